package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A small simulated fleet sending canonical raw envelopes: CGMs, watches, rings and scales across
 * a few users, on a simulated clock. A fixed share of what it sends is deliberately wrong
 * (malformed JSON, unknown vendors, missing fields, unknown units) or re-sent or late, so every
 * path of the pipeline runs. The same seed gives the same envelopes.
 */
public final class FleetSimulator {

    /** One envelope as it would be produced to the raw topic. */
    public record Envelope(String key, String json, Kind kind) {}

    /** What an envelope is meant to exercise. */
    public enum Kind { READING, DUPLICATE, LATE, STATUS, MALFORMED }

    private record Device(String userId, String deviceId, String model, String metric, String unit,
                          double base, double noise, int everyMinutes) {}

    private final Random random;
    private final List<Device> devices = new ArrayList<>();
    private final double faultRate;
    private Instant clock;
    private long minute;
    private String lastReading;

    /**
     * @param seed random seed
     * @param users number of simulated users (each with a CGM, a watch and a ring)
     * @param start simulated start time
     * @param faultRate share of envelopes that are malformed, duplicated or late
     */
    public FleetSimulator(long seed, int users, Instant start, double faultRate) {
        this.random = new Random(seed);
        this.clock = start;
        this.faultRate = faultRate;
        for (int u = 1; u <= users; u++) {
            String user = "u-" + u;
            devices.add(new Device(user, "cgm-" + u, "Dexcom G7", "glucose", "mg/dL", 110, 4, 5));
            devices.add(new Device(user, "watch-" + u, "Apple Watch Series 9", "heart_rate", "bpm", 68, 3, 1));
            devices.add(new Device(user, "ring-" + u, "Oura Ring Gen3", "skin_temperature", "degF", 93.2, 0.3, 5));
            devices.add(new Device(user, "watch-" + u, "Apple Watch Series 9", "steps", "count", 40, 30, 1));
        }
    }

    public Instant clock() {
        return clock;
    }

    /** Advances the simulated clock by one minute and hands every envelope of that minute to {@code out}. */
    public void tick(Consumer<Envelope> out) {
        for (Device d : devices) {
            if (minute % d.everyMinutes() != 0) continue;
            double roll = random.nextDouble();
            if (roll < faultRate / 4) {
                out.accept(malformed(d));
            } else if (roll < faultRate / 2 && lastReading != null) {
                out.accept(new Envelope(d.deviceId(), lastReading, Kind.DUPLICATE));
            } else if (roll < 3 * faultRate / 4) {
                out.accept(new Envelope(d.deviceId(), reading(d, clock.minus(Duration.ofSeconds(45 * 60 + 30))), Kind.LATE));
            } else {
                String json = reading(d, clock);
                lastReading = json;
                out.accept(new Envelope(d.deviceId(), json, Kind.READING));
            }
        }
        if (minute % 30 == 0) {
            for (Device d : devices) {
                if (d.metric().equals("glucose") || d.metric().equals("heart_rate")) out.accept(status(d));
            }
        }
        minute++;
        clock = clock.plus(Duration.ofMinutes(1));
    }

    private String reading(Device d, Instant at) {
        ObjectNode payload = Json.mapper().createObjectNode()
                .put("metric", d.metric())
                .put("unit", d.unit())
                .put("start_time", at.toString())
                .put("device_model", d.model());
        double value = d.base() + random.nextGaussian() * d.noise()
                + (d.metric().equals("glucose") ? 25 * Math.sin(minute / 90.0) : 0);
        if (d.metric().equals("steps")) value = Math.max(0, Math.round(value));
        payload.put("value", Math.round(value * 10) / 10.0);
        return envelope(d, "canonical", "data_point", at, payload);
    }

    private Envelope status(Device d) {
        double battery = Math.max(0, 100 - (minute / 30.0) % 100);
        ObjectNode payload = Json.mapper().createObjectNode()
                .put("battery_level", battery)
                .put("time", clock.toString())
                .put("device_model", d.model());
        return new Envelope(d.deviceId(), envelope(d, "canonical", "device_status", clock, payload), Kind.STATUS);
    }

    private Envelope malformed(Device d) {
        String json = switch (random.nextInt(4)) {
            case 0 -> "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"" + d.userId() + "\", \"payl";
            case 1 -> envelope(d, "acme_wearables", "data_point", clock, Json.mapper().createObjectNode().put("bpm", 70));
            case 2 -> envelope(d, "canonical", "data_point", clock,
                    Json.mapper().createObjectNode().put("metric", d.metric()).put("unit", d.unit()));
            default -> envelope(d, "canonical", "data_point", clock, Json.mapper().createObjectNode()
                    .put("metric", d.metric()).put("value", 1.0).put("unit", "furlongs").put("start_time", clock.toString()));
        };
        return new Envelope(d.deviceId(), json, Kind.MALFORMED);
    }

    private String envelope(Device d, String vendor, String kind, Instant at, ObjectNode payload) {
        ObjectNode e = Json.mapper().createObjectNode()
                .put("vendor", vendor)
                .put("kind", kind)
                .put("user_id", d.userId())
                .put("device_id", d.deviceId())
                .put("received_at", at.plusSeconds(2).toString())
                .put("time_zone", "Europe/Berlin");
        e.set("payload", payload);
        return e.toString();
    }
}
