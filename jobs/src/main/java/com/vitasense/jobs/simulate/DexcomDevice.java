package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A Dexcom G7 read through API v3 every 15 minutes: {@code egvs} (a reading every 5 minutes;
 * {@code systemTime} in UTC and {@code displayTime} in local time, both without an offset; beyond
 * the sensor's 40-400 mg/dL range the value is the limit with status {@code high}/{@code low}; now
 * and then a null value while the sensor warms up or loses signal), {@code calibrations}
 * (fingersticks entered in the app, about twice a day) and {@code devices} (transmitter and alert
 * settings, once a day).
 */
final class DexcomDevice extends DeviceSimulator {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private final String transmitterId;
    private final String dexcomUserId;
    private final long ticksAtStart;
    private final Instant start;
    private Double previous;

    private DexcomDevice(Physiology body, String serial, long seed, Instant start) {
        super(body, "dexcom-g7-" + serial, "dexcom", Duration.ofMinutes(15), seed, start);
        this.transmitterId = Long.toHexString(0x5f1a2b3c4d5e6f70L + body.user().index()).substring(0, 16);
        this.dexcomUserId = uuid();
        this.ticksAtStart = 3_000_000L + random.nextInt(1_000_000);
        this.start = start;
    }

    static DexcomDevice create(Physiology body, long seed, Instant start) {
        return new DexcomDevice(body, String.format("%04X", 0x8A12 + 17 * body.user().index()), seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        ObjectNode egvs = response("egv");
        ArrayNode records = egvs.putArray("records");
        every(from, to, Duration.ofMinutes(5), t -> records.add(egv(t.plusSeconds(17))));
        if (!records.isEmpty()) out.envelope("egvs", egvs);
        if (first || dailyAt(from, to, 7, 45) || dailyAt(from, to, 19, 45)) {
            ObjectNode cal = response("calibration");
            Instant t = to.minusSeconds(120);
            cal.putArray("records").addObject()
                    .put("recordId", uuid())
                    .put("systemTime", LOCAL.format(t.atOffset(java.time.ZoneOffset.UTC)))
                    .put("displayTime", LOCAL.format(body.local(t)))
                    .put("unit", "mg/dL")
                    .put("value", Math.round(body.glucose(t) + noise(5)))
                    .put("displayDevice", "iOS")
                    .put("transmitterId", transmitterId)
                    .put("transmitterTicks", ticks(t))
                    .put("transmitterGeneration", "g7");
            out.envelope("calibrations", cal);
        }
        if (first || dailyAt(from, to, 12, 0)) out.envelope("devices", devices(to));
    }

    private ObjectNode response(String recordType) {
        return object().put("recordType", recordType).put("recordVersion", "3.0").put("userId", dexcomUserId);
    }

    private ObjectNode egv(Instant t) {
        double g = body.glucose(t) + noise(4);
        ObjectNode r = object().put("recordId", uuid())
                .put("systemTime", LOCAL.format(t.atOffset(java.time.ZoneOffset.UTC)))
                .put("displayTime", LOCAL.format(body.local(t)))
                .put("transmitterId", transmitterId)
                .put("transmitterTicks", ticks(t));
        if (random.nextDouble() < 0.01) {
            // Signal loss or warm-up: no value and no trend, but the record is still sent.
            r.putNull("value").put("status", "unknown").put("trend", "notComputable").putNull("trendRate");
            previous = null;
        } else {
            long value = Math.round(Math.max(40, Math.min(400, g)));
            r.put("value", value);
            if (g > 400) r.put("status", "high");
            else if (g < 40) r.put("status", "low");
            else r.putNull("status");
            double rate = previous == null ? 0 : (g - previous) / 5;
            r.put("trend", trend(rate));
            if (previous != null) r.put("trendRate", round(rate, 1)); else r.putNull("trendRate");
            previous = g;
        }
        r.put("unit", "mg/dL").put("rateUnit", "mg/dL/min").put("displayDevice", "iOS").put("transmitterGeneration", "g7");
        return r;
    }

    private static String trend(double rate) {
        if (rate >= 3) return "doubleUp";
        if (rate >= 2) return "singleUp";
        if (rate >= 1) return "fortyFiveUp";
        if (rate > -1) return "flat";
        if (rate > -2) return "fortyFiveDown";
        if (rate > -3) return "singleDown";
        return "doubleDown";
    }

    private long ticks(Instant t) {
        return ticksAtStart + Duration.between(start, t).toSeconds();
    }

    private ObjectNode devices(Instant now) {
        ObjectNode d = response("device");
        ObjectNode device = d.putArray("records").addObject()
                .put("lastUploadDate", LOCAL.format(now.atOffset(java.time.ZoneOffset.UTC)))
                .put("transmitterId", transmitterId)
                .put("transmitterGeneration", "g7")
                .put("displayDevice", "iOS")
                .put("displayApp", "G7");
        ObjectNode schedule = device.putArray("alertSchedules").addObject();
        ObjectNode settings = schedule.putObject("alertScheduleSettings")
                .put("alertScheduleName", "").put("isEnabled", true).put("isDefaultSchedule", true)
                .put("startTime", "00:00").put("endTime", "00:00");
        ArrayNode days = settings.putArray("daysOfWeek");
        for (String day : new String[] {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}) days.add(day);
        settings.put("isActive", true);
        settings.putObject("override").put("isOverrideEnabled", false).put("mode", "quiet").put("endTime", "00:00");
        ArrayNode alerts = schedule.putArray("alertSettings");
        alert(alerts, "urgentLow", 55, "mg/dL", 30, true);
        alert(alerts, "urgentLowSoon", 55, "mg/dL", 30, true);
        alert(alerts, "low", 70, "mg/dL", 15, true);
        alert(alerts, "high", 250, "mg/dL", 120, true);
        alert(alerts, "rise", 3, "mg/dL/min", 0, false);
        alert(alerts, "fall", 3, "mg/dL/min", 0, false);
        alert(alerts, "noReadings", 20, "minutes", 20, true);
        return d;
    }

    private static void alert(ArrayNode alerts, String name, int value, String unit, int snooze, boolean enabled) {
        alerts.addObject().put("alertName", name).put("value", value).put("unit", unit).put("snooze", snooze)
                .put("enabled", enabled);
    }

    @Override
    protected ObjectNode status(Instant at) {
        // The transmitter's battery lasts the sensor's ten days.
        long hours = Duration.between(start, at).toHours() % 240;
        return object().put("battery_level", Math.max(5, 100 - hours * 100 / 240)).put("connected", true);
    }
}
