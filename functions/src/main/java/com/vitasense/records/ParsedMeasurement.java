package com.vitasense.records;

import java.util.Objects;

/**
 * What the parse stage emits, in the order it parsed them: a reading, a reference measurement or a
 * device event (exactly one of the three is set).
 *
 * <p>All travel in one stream until event time is assigned, so that the watermarks derived from
 * the readings are emitted into the same channels as the references and device events, after those
 * that precede them. A reference then always reaches the calibration stage, and a battery report or
 * sync step the alert patterns, before the watermark that passes it, however fast event time moves
 * (a replay covers hours of it in a second) and however long the readings take through the quality
 * stages. Separate streams give no such order.
 */
public class ParsedMeasurement {
    public DataPoint point;
    public ReferenceMeasurement reference;
    public DeviceEvent event;

    public ParsedMeasurement() {}

    public static ParsedMeasurement of(DataPoint point) {
        ParsedMeasurement m = new ParsedMeasurement();
        m.point = Objects.requireNonNull(point);
        return m;
    }

    public static ParsedMeasurement of(ReferenceMeasurement reference) {
        ParsedMeasurement m = new ParsedMeasurement();
        m.reference = Objects.requireNonNull(reference);
        return m;
    }

    public static ParsedMeasurement of(DeviceEvent event) {
        ParsedMeasurement m = new ParsedMeasurement();
        m.event = Objects.requireNonNull(event);
        return m;
    }

    /** The reading's event time, the reference's time or the device event's time. */
    public long eventTimeMillis() {
        if (point != null) return point.eventTimeMillis();
        return reference != null ? reference.time.toEpochMilli() : event.eventTime.toEpochMilli();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ParsedMeasurement m
                && Objects.equals(point, m.point) && Objects.equals(reference, m.reference)
                && Objects.equals(event, m.event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(point, reference, event);
    }

    @Override
    public String toString() {
        if (point != null) return "ParsedMeasurement{point=" + point + "}";
        return reference != null ? "ParsedMeasurement{reference=" + reference + "}" : "ParsedMeasurement{event=" + event + "}";
    }
}
