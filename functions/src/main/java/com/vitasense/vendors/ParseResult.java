package com.vitasense.vendors;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.ReferenceMeasurement;
import java.util.List;

/**
 * Everything one raw record turned into. A record yields canonical output (points, device events,
 * reference measurements; possibly none, e.g. an empty vendor page), or one dead letter, or both:
 * a partial record keeps the output of its good items and carries one dead letter naming the items
 * it skipped ({@link com.vitasense.records.DeadLetterReason#NO_MEASUREMENT}). Never more than one
 * dead letter per record. Lists rather than single values because one vendor response carries many
 * readings.
 */
public final class ParseResult {
    private static final ParseResult EMPTY = new ParseResult(List.of(), List.of(), List.of(), List.of());

    private final List<DataPoint> points;
    private final List<DeviceEvent> deviceEvents;
    private final List<ReferenceMeasurement> references;
    private final List<DeadLetter> deadLetters;

    private ParseResult(List<DataPoint> points, List<DeviceEvent> deviceEvents,
                        List<ReferenceMeasurement> references, List<DeadLetter> deadLetters) {
        this.points = List.copyOf(points);
        this.deviceEvents = List.copyOf(deviceEvents);
        this.references = List.copyOf(references);
        this.deadLetters = List.copyOf(deadLetters);
    }

    /** Nothing to emit: a well-formed record without readings. */
    public static ParseResult empty() {
        return EMPTY;
    }

    public static ParseResult of(List<DataPoint> points, List<DeviceEvent> deviceEvents,
                                 List<ReferenceMeasurement> references) {
        return new ParseResult(points, deviceEvents, references, List.of());
    }

    public static ParseResult ofPoints(List<DataPoint> points) {
        return new ParseResult(points, List.of(), List.of(), List.of());
    }

    public static ParseResult ofPoint(DataPoint point) {
        return ofPoints(List.of(point));
    }

    public static ParseResult ofDeviceEvent(DeviceEvent event) {
        return new ParseResult(List.of(), List.of(event), List.of(), List.of());
    }

    public static ParseResult ofReference(ReferenceMeasurement reference) {
        return new ParseResult(List.of(), List.of(), List.of(reference), List.of());
    }

    public static ParseResult ofDeadLetter(DeadLetter deadLetter) {
        return new ParseResult(List.of(), List.of(), List.of(), List.of(deadLetter));
    }

    /**
     * This result with {@code skipped} as its dead letter: the output is kept, so a record whose
     * good items were processed also reports the ones it skipped.
     */
    public ParseResult withDeadLetter(DeadLetter skipped) {
        if (!deadLetters.isEmpty()) throw new IllegalStateException("a record has at most one dead letter: " + this);
        return new ParseResult(points, deviceEvents, references, List.of(skipped));
    }

    public List<DataPoint> points() {
        return points;
    }

    public List<DeviceEvent> deviceEvents() {
        return deviceEvents;
    }

    public List<ReferenceMeasurement> references() {
        return references;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** True if the record was rejected as a whole: a dead letter and no output. */
    public boolean isDeadLetter() {
        return !deadLetters.isEmpty() && !hasOutput();
    }

    /** True if the record was processed in part: output, and a dead letter naming what was skipped. */
    public boolean isPartial() {
        return !deadLetters.isEmpty() && hasOutput();
    }

    private boolean hasOutput() {
        return !points.isEmpty() || !deviceEvents.isEmpty() || !references.isEmpty();
    }

    /** The dead letter of a rejected or partial record, or null if it was accepted whole. */
    public DeadLetter deadLetter() {
        return deadLetters.isEmpty() ? null : deadLetters.get(0);
    }

    @Override
    public String toString() {
        return "ParseResult{points=" + points + ", deviceEvents=" + deviceEvents + ", references=" + references
                + ", deadLetters=" + deadLetters + "}";
    }
}
