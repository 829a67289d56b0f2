package com.vitasense.jobs.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.Json;
import java.time.Instant;

/** Raw envelopes for tests, in the format of docs/design.md. */
public final class Envelopes {
    private Envelopes() {}

    public static String point(String user, String device, String metric, double value, String unit, Instant time) {
        return point(user, device, metric, value, unit, time, time.plusSeconds(5));
    }

    /** A reading received at {@code receivedAt}: before its own time for a device whose clock runs ahead. */
    public static String point(String user, String device, String metric, double value, String unit, Instant time,
                               Instant receivedAt) {
        ObjectNode payload = Json.mapper().createObjectNode()
                .put("metric", metric)
                .put("value", value)
                .put("unit", unit)
                .put("start_time", time.toString())
                .put("device_model", "model-of-" + device);
        return envelope("canonical", "data_point", user, device, receivedAt, payload);
    }

    /** A manual reference measurement (canonical kind {@code calibration}), received a minute after its time. */
    public static String calibration(String user, String device, String metric, double value, String unit, Instant time) {
        ObjectNode payload = Json.mapper().createObjectNode()
                .put("metric", metric)
                .put("value", value)
                .put("unit", unit)
                .put("time", time.toString());
        return envelope("canonical", "calibration", user, device, time.plusSeconds(60), payload);
    }

    public static String battery(String user, String device, double level, Instant time) {
        ObjectNode payload = Json.mapper().createObjectNode().put("battery_level", level).put("time", time.toString());
        return envelope("canonical", "device_status", user, device, time.plusSeconds(5), payload);
    }

    /** A step of a sync session: {@code kind} is sync_started, sync_completed or sync_failed. */
    public static String sync(String user, String device, String kind, String syncId, Instant time) {
        ObjectNode payload = Json.mapper().createObjectNode().put("sync_id", syncId).put("time", time.toString());
        if (kind.equals("sync_failed")) payload.put("error", "vendor API unavailable");
        return envelope("canonical", kind, user, device, time.plusSeconds(5), payload);
    }

    public static String envelope(String vendor, String kind, String user, String device, Instant receivedAt,
                                  ObjectNode payload) {
        ObjectNode e = Json.mapper().createObjectNode()
                .put("vendor", vendor)
                .put("kind", kind)
                .put("user_id", user)
                .put("device_id", device)
                .put("received_at", receivedAt.toString());
        e.set("payload", payload);
        return e.toString();
    }
}
