package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * An xDrip+ uploader posting Nightscout {@code entries} every 5 minutes: an array of {@code sgv}
 * entries (epoch-millis {@code date}, {@code dateString}, {@code direction}, {@code noise},
 * raw {@code filtered}/{@code unfiltered} counts), with now and then an error code below 39
 * instead of a glucose value; fingerstick {@code mbg} entries twice a day and a sensor
 * {@code cal} entry (slope, intercept, scale) once a day.
 */
final class NightscoutDevice extends DeviceSimulator {
    private static final int[] ERROR_CODES = {1, 5, 9, 12};
    private static final String UPLOADER = "xDrip-DexcomG6";
    private Double previous;

    private NightscoutDevice(Physiology body, long seed, Instant start) {
        super(body, "nightscout-xdrip-" + body.user().id(), "nightscout", Duration.ofMinutes(5), seed, start);
    }

    static NightscoutDevice create(Physiology body, long seed, Instant start) {
        return new NightscoutDevice(body, seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        ArrayNode entries = array();
        every(from, to, Duration.ofMinutes(5), t -> entries.add(sgv(t.plusSeconds(42))));
        if (first || dailyAt(from, to, 8, 0) || dailyAt(from, to, 20, 0)) {
            Instant t = to.minusSeconds(90);
            entries.add(entry("mbg", t).put("mbg", Math.round(body.glucose(t) + noise(5))));
        }
        if (first || dailyAt(from, to, 8, 0)) {
            Instant t = to.minusSeconds(60);
            entries.add(entry("cal", t).put("slope", round(850 + noise(40), 3)).put("intercept", round(32000 + noise(900), 3))
                    .put("scale", 1));
        }
        if (!entries.isEmpty()) out.envelope("entries", entries);
    }

    private ObjectNode entry(String type, Instant t) {
        return object().put("_id", uuid().replace("-", "").substring(0, 24)).put("device", UPLOADER)
                .put("date", t.toEpochMilli()).put("dateString", t.toString()).put("type", type)
                .put("utcOffset", body.local(t).getOffset().getTotalSeconds() / 60);
    }

    private ObjectNode sgv(Instant t) {
        ObjectNode e = entry("sgv", t);
        double g = body.glucose(t) + noise(4);
        if (random.nextDouble() < 0.01) {
            // xDrip+ reports sensor trouble as a small code in place of the value.
            e.put("sgv", ERROR_CODES[random.nextInt(ERROR_CODES.length)]).put("direction", "NOT COMPUTABLE").put("noise", 4);
            previous = null;
            return e;
        }
        long sgv = Math.round(Math.max(39, Math.min(401, g)));
        double delta = previous == null ? 0 : g - previous;
        previous = g;
        e.put("sgv", sgv)
                .put("delta", round(delta, 3))
                .put("direction", direction(delta / 5))
                .put("noise", 1)
                .put("filtered", Math.round(sgv * 1000 + 31000 + noise(300)))
                .put("unfiltered", Math.round(sgv * 1000 + 31000 + noise(600)))
                .put("rssi", 100)
                .put("sysTime", t.toString());
        return e;
    }

    private static String direction(double rate) {
        if (rate >= 3) return "DoubleUp";
        if (rate >= 2) return "SingleUp";
        if (rate >= 1) return "FortyFiveUp";
        if (rate > -1) return "Flat";
        if (rate > -2) return "FortyFiveDown";
        if (rate > -3) return "SingleDown";
        return "DoubleDown";
    }

    @Override
    protected ObjectNode status(Instant at) {
        int h = (int) (at.getEpochSecond() / 3600 % 30);
        return object().put("battery_level", Math.max(10, 100 - 3 * h)).put("connected", true);
    }
}
