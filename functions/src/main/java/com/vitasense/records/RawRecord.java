package com.vitasense.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record as read from the raw topic (or a file), before any parsing. Carries its source
 * coordinates so a record that cannot be processed can be traced back to its offset.
 */
public class RawRecord {
    /** The record value, exactly as received. */
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;
    /** The broker or file timestamp in epoch millis, or {@code Long.MIN_VALUE} when unknown. */
    public long timestamp;
    /**
     * Set, with no {@link #value}, by a file reader that could not read on (a damaged or truncated
     * file): what went wrong and where. The records read before the damage were emitted as usual;
     * this one stands for the rest of the file, and the parse stage dead-letters it as
     * {@link DeadLetterReason#DAMAGED_FILE}, so a damaged file neither fails the job nor vanishes.
     * Null for every record actually read.
     */
    public String readError;

    public RawRecord() {}

    public RawRecord(byte[] value, String topic, int partition, long offset, long timestamp) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
    }

    /**
     * The stand-in for the unreadable rest of a damaged file ({@link #readError}).
     *
     * @param offset where reading stopped, in the file's own positions (line, element number)
     */
    public static RawRecord damaged(String error, String topic, int partition, long offset, long timestamp) {
        RawRecord r = new RawRecord(null, topic, partition, offset, timestamp);
        r.readError = error;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RawRecord r)) return false;
        return partition == r.partition && offset == r.offset && timestamp == r.timestamp
                && Arrays.equals(value, r.value) && Objects.equals(topic, r.topic)
                && Objects.equals(readError, r.readError);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), topic, partition, offset, timestamp);
    }

    @Override
    public String toString() {
        return "RawRecord{" + topic + "-" + partition + "@" + offset + ", " + (value == null ? 0 : value.length) + " bytes"
                + (readError != null ? ", damaged: " + readError : "") + "}";
    }
}
