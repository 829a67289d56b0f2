package com.vitasense.jobs.simulate;

import java.time.ZoneId;

/**
 * A simulated person: platform id, a first name (vendors put it in device names), a home time zone
 * and a 0-based index that decides which devices they wear.
 */
record SimulatedUser(String id, int index, String name, ZoneId zone) {
    private static final String[] NAMES = {"Jane", "Omar", "Mei", "Lukas", "Ana", "Tom", "Priya", "Kofi"};
    private static final ZoneId[] ZONES = {ZoneId.of("Europe/Berlin"), ZoneId.of("Europe/London"),
        ZoneId.of("America/New_York"), ZoneId.of("Asia/Tokyo"), ZoneId.of("America/Los_Angeles")};

    static SimulatedUser number(int index) {
        String name = NAMES[index % NAMES.length] + (index >= NAMES.length ? " " + (index + 1) : "");
        return new SimulatedUser("u-" + (index + 1), index, name, ZONES[index % ZONES.length]);
    }
}
