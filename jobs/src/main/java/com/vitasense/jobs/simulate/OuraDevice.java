package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * An Oura ring read through API v2 every 30 minutes: {@code heartrate} (5-minute samples, UTC
 * timestamps) and {@code ring_battery_level}; each morning {@code daily_readiness} and
 * {@code sleep} (durations in seconds, 5-minute heart-rate and HRV series with the occasional
 * null, {@code sleep_phase_5_min}). Every response is a collection: {@code {data: [...],
 * next_token}}.
 */
final class OuraDevice extends DeviceSimulator {
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private OuraDevice(Physiology body, String serial, long seed, Instant start) {
        super(body, "oura-ring-" + serial, "oura", Duration.ofMinutes(30), seed, start);
    }

    static OuraDevice create(Physiology body, long seed, Instant start) {
        return new OuraDevice(body, String.format("%06x", 0x3c2a10 + 97 * body.user().index()), seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        ObjectNode hr = object();
        ArrayNode data = hr.putArray("data");
        every(from, to, Duration.ofMinutes(5), t -> data.addObject()
                .put("bpm", Math.round(body.heartRate(t) + noise(2)))
                .put("source", body.asleep(t) ? "sleep" : "awake")
                .put("timestamp", t.atOffset(java.time.ZoneOffset.UTC).format(OFFSET)));
        hr.putNull("next_token");
        if (!data.isEmpty()) out.envelope("heartrate", hr);

        ObjectNode battery = object();
        battery.putArray("data").addObject()
                .put("timestamp", to.atOffset(java.time.ZoneOffset.UTC).format(OFFSET))
                .put("level", level(to))
                .put("charging", false)
                .put("in_charger", false);
        battery.putNull("next_token");
        out.envelope("ring_battery_level", battery);

        if (first || dailyAt(from, to, 8, 0)) {
            // The latest morning that has passed: today after 08:00, else yesterday.
            ZonedDateTime now = body.local(to);
            LocalDate day = now.getHour() >= 8 ? now.toLocalDate() : now.toLocalDate().minusDays(1);
            out.envelope("daily_readiness", collection(readiness(day)));
            out.envelope("sleep", collection(sleep(day)));
        }
    }

    private ObjectNode collection(ObjectNode item) {
        ObjectNode c = object();
        c.putArray("data").add(item);
        c.putNull("next_token");
        return c;
    }

    private ObjectNode readiness(LocalDate day) {
        ObjectNode r = object().put("id", uuid());
        ObjectNode c = r.putObject("contributors");
        for (String k : new String[] {"activity_balance", "body_temperature", "hrv_balance", "previous_day_activity",
            "previous_night", "recovery_index", "resting_heart_rate", "sleep_balance", "sleep_regularity"}) {
            c.put(k, Math.max(1, Math.min(100, body.recovery(day) + random.nextInt(21) - 10)));
        }
        r.put("day", day.toString())
                .put("score", body.recovery(day))
                .put("temperature_deviation", round(body.temperatureDeviation(day), 2))
                .put("temperature_trend_deviation", round(body.temperatureDeviation(day) / 2, 2))
                .put("timestamp", day.atStartOfDay(user.zone()).format(OFFSET));
        return r;
    }

    /** Last night: bedtime 23:00-ish to 07:00-ish local, the night before {@code day}'s morning. */
    private ObjectNode sleep(LocalDate day) {
        ZonedDateTime start = day.minusDays(1).atTime(23, 0).atZone(user.zone()).plusMinutes(random.nextInt(40));
        ZonedDateTime end = day.atTime(6, 50).atZone(user.zone()).plusMinutes(random.nextInt(30));
        int inBed = (int) Duration.between(start, end).toSeconds();
        int slots = inBed / 300;
        StringBuilder phases = new StringBuilder();
        int deep = 0, light = 0, rem = 0, awake = 0;
        for (int i = 0; i < slots; i++) {
            int p = i < 2 || i >= slots - 1 ? 4 : (i % 18 < 4 ? 1 : i % 18 < 13 ? 2 : i % 18 < 17 ? 3 : 4);
            if (random.nextDouble() < 0.05) p = 4;
            phases.append(p);
            switch (p) {
                case 1 -> deep += 300;
                case 2 -> light += 300;
                case 3 -> rem += 300;
                default -> awake += 300;
            }
        }
        ObjectNode s = object().put("id", uuid())
                .put("average_breath", round(14.5 + noise(0.6), 3))
                .put("average_heart_rate", round(54 + noise(2), 3))
                .put("average_hrv", 40 + random.nextInt(20))
                .put("awake_time", awake)
                .put("bedtime_end", end.format(OFFSET))
                .put("bedtime_start", start.format(OFFSET))
                .put("day", day.toString())
                .put("deep_sleep_duration", deep)
                .put("efficiency", (int) Math.round(100.0 * (inBed - awake) / inBed));
        series(s.putObject("heart_rate"), start, slots, 54, 3);
        series(s.putObject("hrv"), start, slots, 45, 8);
        s.put("latency", 300 + 60 * random.nextInt(15))
                .put("light_sleep_duration", light)
                .put("low_battery_alert", false)
                .put("lowest_heart_rate", 47 + random.nextInt(5))
                .put("period", 0)
                .put("rem_sleep_duration", rem)
                .put("restless_periods", random.nextInt(300))
                .put("sleep_phase_5_min", phases.toString())
                .put("time_in_bed", inBed)
                .put("total_sleep_duration", deep + light + rem)
                .put("type", "long_sleep");
        return s;
    }

    /** A 5-minute series with the occasional null, where the ring had no reading. */
    private void series(ObjectNode node, ZonedDateTime start, int slots, double base, double sd) {
        node.put("interval", 300.0);
        ArrayNode items = node.putArray("items");
        for (int i = 0; i < slots; i++) {
            if (random.nextDouble() < 0.06) items.addNull();
            else items.add(round(base + noise(sd), 1));
        }
        node.put("timestamp", start.format(OFFSET));
    }

    private int level(Instant at) {
        int h = (int) (at.getEpochSecond() / 3600 % 120); // five days per charge
        return Math.max(4, 100 - h * 100 / 120);
    }

    @Override
    protected ObjectNode status(Instant at) {
        return object().put("battery_level", level(at)).put("firmware", "2.9.21");
    }
}
