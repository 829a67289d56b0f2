package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * A data-quality problem found in a reading or a series: the row of {@code quality_issues} and the
 * value on {@code data-quality-issues}. The id is derived from the rule and what it concerns, so a
 * replay or a backfill reports the same issue under the same id.
 */
@JsonPropertyOrder({"id", "rule", "severity", "user_id", "device_id", "metric", "event_time", "data_point_id",
        "observed_value", "expected_min", "expected_max", "reason"})
public class QualityIssue {
    /** How much an issue matters to a consumer of the data. */
    public enum Severity { INFO, WARNING, CRITICAL }

    public String id;
    /** A {@link QualityRule} name. */
    public String rule;
    /** A {@link Severity} name. */
    public String severity;
    public String userId;
    public String deviceId;
    public String metric;
    public Instant eventTime;
    /** The point the issue is about, when it is about one point. */
    public String dataPointId;
    public Double observedValue;
    public Double expectedMin;
    public Double expectedMax;
    /** Why, in words, with the numbers that made the rule fire. */
    public String reason;

    public QualityIssue() {}

    /** An issue about one point; the id is derived from the rule, the point and {@code discriminator}. */
    public static QualityIssue about(DataPoint p, QualityRule rule, Severity severity, String reason, String discriminator) {
        QualityIssue i = new QualityIssue();
        i.rule = rule.name();
        i.severity = severity.name();
        i.userId = p.userId;
        i.deviceId = p.deviceId;
        i.metric = p.metric;
        i.eventTime = p.startTime;
        i.dataPointId = p.id;
        i.observedValue = p.value;
        i.reason = reason;
        i.id = Ids.hash("quality_issue", rule.name(), p.id, discriminator);
        return i;
    }

    public QualityIssue withExpected(Double min, Double max) {
        expectedMin = min;
        expectedMax = max;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof QualityIssue q)) return false;
        return Objects.equals(id, q.id) && Objects.equals(rule, q.rule) && Objects.equals(severity, q.severity)
                && Objects.equals(userId, q.userId) && Objects.equals(deviceId, q.deviceId)
                && Objects.equals(metric, q.metric) && Objects.equals(eventTime, q.eventTime)
                && Objects.equals(dataPointId, q.dataPointId) && Objects.equals(observedValue, q.observedValue)
                && Objects.equals(expectedMin, q.expectedMin) && Objects.equals(expectedMax, q.expectedMax)
                && Objects.equals(reason, q.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return "QualityIssue{" + rule + " " + severity + " " + deviceId + " " + metric + " @" + eventTime + ": " + reason + "}";
    }
}
