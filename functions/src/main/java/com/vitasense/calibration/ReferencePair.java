package com.vitasense.calibration;

import java.util.Objects;

/**
 * A reference measurement paired with the device's reading nearest in time: what a fit learns
 * from and what MARD and bias are measured on. A Flink POJO of primitives and strings, kept in
 * keyed state.
 */
public class ReferencePair {
    /** The reference's id (the state key of the pair). */
    public String referenceId;
    public long referenceTime;
    /** The reference value, in the metric's canonical unit. */
    public double referenceValue;
    public long readingTime;
    /** The device's own value, before any correction: what a fit maps to the reference. */
    public double deviceValue;
    /** The value the pipeline published for that reading (corrected by the version then in force). */
    public double publishedValue;
    public String source;
    /** Taken during a sensor warm-up: used by fits, not by the drift statistics. */
    public boolean warmup;

    public ReferencePair() {}

    public ReferencePair(String referenceId, long referenceTime, double referenceValue, long readingTime,
                         double deviceValue, double publishedValue, String source, boolean warmup) {
        this.referenceId = referenceId;
        this.referenceTime = referenceTime;
        this.referenceValue = referenceValue;
        this.readingTime = readingTime;
        this.deviceValue = deviceValue;
        this.publishedValue = publishedValue;
        this.source = source;
        this.warmup = warmup;
    }

    /** (published - reference) / reference, in percent. */
    public double relativeErrorPercent() {
        return 100.0 * (publishedValue - referenceValue) / referenceValue;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ReferencePair p)) return false;
        return referenceTime == p.referenceTime && Double.compare(referenceValue, p.referenceValue) == 0
                && readingTime == p.readingTime && Double.compare(deviceValue, p.deviceValue) == 0
                && Double.compare(publishedValue, p.publishedValue) == 0 && warmup == p.warmup
                && Objects.equals(referenceId, p.referenceId) && Objects.equals(source, p.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(referenceId, referenceTime);
    }

    @Override
    public String toString() {
        return "ReferencePair{ref=" + referenceValue + "@" + referenceTime + " device=" + deviceValue + "@" + readingTime
                + " published=" + publishedValue + " " + source + (warmup ? " warmup" : "") + "}";
    }
}
