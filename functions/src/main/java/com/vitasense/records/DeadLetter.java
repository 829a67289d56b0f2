package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A raw record the pipeline could not process, on its way to the dead-letter topic: the raw value
 * unchanged, why it failed, and where it came from so it can be replayed after a fix.
 */
@JsonPropertyOrder({"id", "reason", "error", "vendor", "kind", "topic", "partition", "offset", "timestamp", "raw", "raw_base64"})
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
    /**
     * The raw bytes in base64, present only when they are not valid UTF-8, so that {@link #raw}
     * lost some of them: a replay after a fix needs the bytes as they were.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String rawBase64;

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
        d.raw = source.value == null ? null : new String(source.value, StandardCharsets.UTF_8);
        d.rawBase64 = source.value == null || isUtf8(source.value) ? null : Base64.getEncoder().encodeToString(source.value);
        d.id = Ids.hash("dlq", source.topic, Integer.toString(source.partition), Long.toString(source.offset),
                d.raw == null ? "" : d.raw, reason.name());
        return d;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter d)) return false;
        return partition == d.partition && offset == d.offset && timestamp == d.timestamp
                && Objects.equals(id, d.id) && Objects.equals(reason, d.reason) && Objects.equals(error, d.error)
                && Objects.equals(vendor, d.vendor) && Objects.equals(kind, d.kind)
                && Objects.equals(topic, d.topic) && Objects.equals(raw, d.raw) && Objects.equals(rawBase64, d.rawBase64);
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
