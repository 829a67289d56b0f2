package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Fitbit Charge polled hourly through the Web API: {@code heart_intraday} and
 * {@code steps_intraday} (the 1-minute intraday responses, one per local date in the window, times
 * as local {@code HH:mm:ss} without any offset, the daily step total as a string), and
 * {@code devices} (the devices list, with {@code lastSyncTime} in local time).
 */
final class FitbitDevice extends DeviceSimulator {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private final String trackerId;
    private int stepsToday;
    private LocalDate stepsDay;

    private FitbitDevice(Physiology body, String trackerId, long seed, Instant start) {
        super(body, "fitbit-" + trackerId, "fitbit", Duration.ofHours(1), seed, start);
        this.trackerId = trackerId;
    }

    static FitbitDevice create(Physiology body, long seed, Instant start) {
        return new FitbitDevice(body, Long.toString(2570612980L + 7919L * body.user().index()), seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        Map<LocalDate, ArrayNode> heart = new TreeMap<>();
        Map<LocalDate, ArrayNode> steps = new TreeMap<>();
        every(from, to, Duration.ofMinutes(1), t -> {
            ZonedDateTime local = body.local(t);
            heart.computeIfAbsent(local.toLocalDate(), d -> array()).addObject()
                    .put("time", TIME.format(local)).put("value", Math.round(body.heartRate(t) + noise(2.5)));
            int n = body.stepsPerMinute(t, random);
            steps.computeIfAbsent(local.toLocalDate(), d -> array()).addObject().put("time", TIME.format(local)).put("value", n);
            if (!local.toLocalDate().equals(stepsDay)) {
                stepsDay = local.toLocalDate();
                stepsToday = 0;
            }
            stepsToday += n;
        });
        for (var day : heart.entrySet()) {
            ObjectNode p = object();
            ObjectNode summary = p.putArray("activities-heart").addObject().put("dateTime", day.getKey().toString());
            ObjectNode value = summary.putObject("value");
            value.putArray("customHeartRateZones");
            ArrayNode zones = value.putArray("heartRateZones");
            zone(zones, "Out of Range", 30, 98, 1042);
            zone(zones, "Fat Burn", 98, 137, 41);
            zone(zones, "Cardio", 137, 166, 6);
            zone(zones, "Peak", 166, 220, 0);
            value.put("restingHeartRate", 58 + user.index() % 6);
            ObjectNode intraday = p.putObject("activities-heart-intraday");
            intraday.set("dataset", day.getValue());
            intraday.put("datasetInterval", 1).put("datasetType", "minute");
            out.envelope("heart_intraday", p);
        }
        for (var day : steps.entrySet()) {
            ObjectNode p = object();
            // The daily total comes as a string, unlike the intraday values.
            p.putArray("activities-steps").addObject().put("dateTime", day.getKey().toString())
                    .put("value", Integer.toString(day.getKey().equals(stepsDay) ? stepsToday : 8000 + random.nextInt(4000)));
            ObjectNode intraday = p.putObject("activities-steps-intraday");
            intraday.set("dataset", day.getValue());
            intraday.put("datasetInterval", 1).put("datasetType", "minute");
            out.envelope("steps_intraday", p);
        }
        if (first || dailyAt(from, to, 9, 0)) out.envelope("devices", devices(to));
    }

    private static void zone(ArrayNode zones, String name, int min, int max, int minutes) {
        zones.addObject().put("caloriesOut", Math.round(minutes * 1.37 * 100) / 100.0).put("max", max).put("min", min)
                .put("minutes", minutes).put("name", name);
    }

    /** The devices list: an array, as {@code GET /1/user/-/devices.json} returns it. */
    private ArrayNode devices(Instant now) {
        ArrayNode list = array();
        int level = batteryLevel(now);
        ObjectNode d = list.addObject();
        d.put("battery", level > 60 ? "High" : level > 25 ? "Medium" : level > 5 ? "Low" : "Empty")
                .put("batteryLevel", level)
                .put("deviceVersion", "Charge 6");
        d.putArray("features");
        d.put("id", trackerId)
                .put("lastSyncTime", LOCAL.format(body.local(now).toLocalDateTime()))
                .put("mac", String.format("F1%010X", Long.parseLong(trackerId) & 0xFFFFFFFFFFL))
                .put("type", "TRACKER");
        return list;
    }

    private int batteryLevel(Instant at) {
        // A week per charge, recharged on Sunday.
        int hoursIntoWeek = (body.local(at).getDayOfWeek().getValue() % 7) * 24 + body.local(at).getHour();
        return Math.max(3, 100 - hoursIntoWeek * 100 / 168);
    }

    @Override
    protected ObjectNode status(Instant at) {
        return object().put("battery_level", batteryLevel(at));
    }
}
