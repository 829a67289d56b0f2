package com.vitasense.records;

import java.util.Objects;

/**
 * What the parse stage emits, in the order it parsed them: a reading or a reference measurement
 * (exactly one of the two is set).
 *
 * <p>Both travel in one stream until event time is assigned, so that the watermarks derived from
 * the readings are emitted into the same channels as the references, after the references that
 * precede them. A reference then always reaches the calibration stage before the watermark that
 * passes it, however fast event time moves (a replay covers hours of it in a second) and however
 * long the readings take through the quality stages. Two separate streams give no such order.
 */
public class ParsedMeasurement {
    public DataPoint point;
    public ReferenceMeasurement reference;

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

    /** The reading's event time, or the reference's time. */
    public long eventTimeMillis() {
        return point != null ? point.eventTimeMillis() : reference.time.toEpochMilli();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ParsedMeasurement m
                && Objects.equals(point, m.point) && Objects.equals(reference, m.reference);
    }

    @Override
    public int hashCode() {
        return Objects.hash(point, reference);
    }

    @Override
    public String toString() {
        return point != null ? "ParsedMeasurement{point=" + point + "}" : "ParsedMeasurement{reference=" + reference + "}";
    }
}
