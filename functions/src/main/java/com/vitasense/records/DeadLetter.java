package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A raw record the pipeline could not process, on its way to the dead-letter topic: the raw value
 * unchanged, why it failed, and where it came from so it can be replayed after a fix.
 */
@JsonPropertyOrder({"id", "reason", "error", "vendor", "kind", "topic", "partition", "offset", "timestamp", "raw"})
public class DeadLetter {
    /** Deterministic: the same source record always yields the same id. */
    public String id;
    /** Machine-readable cause, a {@link DeadLetterReason} name. */
    public String reason;
    /** Human-readable detail. */
    public String error;
    /** Vendor and kind when the envelope could be read that far, else null. */
    public String vendor;
    public String kind;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    /** The raw value as UTF-8 text (malformed byte sequences replaced). */
    public String raw;

    public DeadLetter() {}

    public static DeadLetter of(RawRecord source, DeadLetterReason reason, String error, String vendor, String kind) {
        DeadLetter d = new DeadLetter();
        d.reason = reason.name();
        d.error = error;
        d.vendor = vendor;
        d.kind = kind;
        d.topic = source.topic;
        d.partition = source.partition;
        d.offset = source.offset;
        d.timestamp = source.timestamp;
        d.raw = source.value == null ? null : new String(source.value, java.nio.charset.StandardCharsets.UTF_8);
        d.id = Ids.hash("dlq", source.topic, Integer.toString(source.partition), Long.toString(source.offset),
                d.raw == null ? "" : d.raw, reason.name());
        return d;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter d)) return false;
        return partition == d.partition && offset == d.offset && timestamp == d.timestamp
                && Objects.equals(id, d.id) && Objects.equals(reason, d.reason) && Objects.equals(error, d.error)
                && Objects.equals(vendor, d.vendor) && Objects.equals(kind, d.kind)
                && Objects.equals(topic, d.topic) && Objects.equals(raw, d.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, reason, topic, partition, offset);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + error + " @" + topic + "-" + partition + "@" + offset + "}";
    }
}
