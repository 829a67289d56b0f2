package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * What a device pattern found, before the alert lifecycle turns it into raised and cleared alerts:
 * a condition that holds, one that has ended, or a whole episode seen after the fact.
 *
 * <p>A Flink POJO.
 */
public class AlertCondition {
    /** How a condition moves its alert. */
    public enum Phase {
        /** The condition holds at {@link #eventTime}; its episode starts at {@link #startedAt}. */
        HOLDS,
        /** The condition ended at {@link #eventTime}. */
        ENDED,
        /** A complete episode, from {@link #startedAt} to {@link #endedAt} (a gap between readings). */
        EPISODE
    }

    public String userId;
    public String deviceId;
    public String vendor;
    public String deviceModel;
    /** An alert type name (see the patterns package). */
    public String alertType;
    /** The metric the alert concerns, or null for device-level alerts; part of the alert's identity. */
    public String metric;
    public String severity;
    /** A {@link Phase} name. */
    public String phase;
    /** When the condition was observed: the event time of what made the pattern match. */
    public Instant eventTime;
    /**
     * The stream time at which the condition became known (epoch millis): the timestamp of the record
     * that completed the match, or the end of a timed-out window. Orders the lifecycle; it can be
     * later than {@link #eventTime} where the quality stage held a reading back (cross-device
     * agreement), and is the same in both execution modes. Null: order by {@link #eventTime}.
     */
    public Long orderAt;
    public Instant startedAt;
    /** {@link Phase#EPISODE}: when the episode ended. */
    public Instant endedAt;
    /**
     * How long after its last observation the condition counts as over when nothing ends it
     * explicitly (counts within a window); null when only an {@link Phase#ENDED} clears it.
     */
    public Long quietMillis;
    /**
     * True for conditions of the processing-time watchdog: applied on arrival, not in event-time
     * order, since they have no event time of their own.
     */
    public boolean watchdog;
    /** JSON object with the numbers that made the pattern match. */
    public String details;

    public AlertCondition() {}

    public static AlertCondition of(DeviceSignal s, String alertType, String severity, Phase phase, Instant eventTime,
                                    Instant startedAt) {
        AlertCondition c = new AlertCondition();
        c.userId = s.userId;
        c.deviceId = s.deviceId;
        c.vendor = s.vendor;
        c.deviceModel = s.deviceModel;
        c.alertType = alertType;
        c.severity = severity;
        c.phase = phase.name();
        c.eventTime = eventTime;
        c.startedAt = startedAt;
        return c;
    }

    public AlertCondition knownAt(long millis) {
        orderAt = millis;
        return this;
    }

    /** The time the lifecycle orders this condition by. */
    public long orderTime() {
        return orderAt != null ? orderAt : eventTime.toEpochMilli();
    }

    public AlertCondition forMetric(String m) {
        metric = m;
        return this;
    }

    public AlertCondition quietAfter(long millis) {
        quietMillis = millis;
        return this;
    }

    public AlertCondition withDetails(String json) {
        details = json;
        return this;
    }

    public boolean is(Phase p) {
        return p.name().equals(phase);
    }

    /** The alert this condition belongs to, within its device. */
    public String subject() {
        return metric == null ? alertType : alertType + "|" + metric;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AlertCondition c)) return false;
        return watchdog == c.watchdog && Objects.equals(userId, c.userId) && Objects.equals(deviceId, c.deviceId)
                && Objects.equals(vendor, c.vendor) && Objects.equals(deviceModel, c.deviceModel)
                && Objects.equals(alertType, c.alertType) && Objects.equals(metric, c.metric)
                && Objects.equals(severity, c.severity) && Objects.equals(phase, c.phase)
                && Objects.equals(eventTime, c.eventTime) && Objects.equals(orderAt, c.orderAt)
                && Objects.equals(startedAt, c.startedAt)
                && Objects.equals(endedAt, c.endedAt) && Objects.equals(quietMillis, c.quietMillis)
                && Objects.equals(details, c.details);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, alertType, metric, phase, eventTime);
    }

    @Override
    public String toString() {
        return "AlertCondition{" + alertType + (metric != null ? "/" + metric : "") + " " + phase + " " + severity
                + " " + deviceId + " @" + eventTime + " from " + startedAt + (endedAt != null ? " to " + endedAt : "") + "}";
    }
}
