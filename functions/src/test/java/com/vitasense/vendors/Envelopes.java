package com.vitasense.vendors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.Json;
import com.vitasense.records.RawRecord;
import java.nio.charset.StandardCharsets;

/** Test fixtures: raw envelopes as the raw topic carries them. */
final class Envelopes {
    static final String TOPIC = "device-data-raw";
    static final String USER = "u-17";
    static final String DEVICE = "dexcom-g7-8XK2";
    static final String RECEIVED_AT = "2026-11-27T10:00:03Z";
    static final long BROKER_TIME = 1_764_237_605_000L;

    private Envelopes() {}

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /** A full envelope with a Berlin profile time zone and a sync id. */
    static ObjectNode envelope(String vendor, String kind, JsonNode payload) {
        ObjectNode e = object();
        e.put("vendor", vendor);
        e.put("kind", kind);
        e.put("user_id", USER);
        e.put("device_id", DEVICE);
        e.put("received_at", RECEIVED_AT);
        e.put("time_zone", "Europe/Berlin");
        e.put("sync_id", "s-991");
        e.set("payload", payload);
        return e;
    }

    /** A canonical data point payload with a numeric value. */
    static ObjectNode pointPayload(String metric, double value, String unit, String start) {
        ObjectNode p = object();
        p.put("metric", metric);
        p.put("value", value);
        if (unit != null) p.put("unit", unit);
        p.put("start_time", start);
        return p;
    }

    static ObjectNode dataPoint(ObjectNode payload) {
        return envelope("canonical", "data_point", payload);
    }

    static RawRecord record(JsonNode envelope) {
        return record(Json.toBytes(envelope));
    }

    static RawRecord record(String json) {
        return record(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static RawRecord record(byte[] bytes) {
        return new RawRecord(bytes, TOPIC, 3, 42, BROKER_TIME);
    }
}
