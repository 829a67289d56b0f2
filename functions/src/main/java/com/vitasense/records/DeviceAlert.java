package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.Objects;

/**
 * An alert about a device, as users act on it: the row of {@code device_alerts} and the value on
 * {@code device-anomalies}. One episode of one condition has one id, derived from the device, the
 * alert type (and metric, for per-sensor alerts) and the episode's start; it is raised once and
 * cleared once, so a replay or a backfill writes the same alerts under the same ids.
 */
@JsonPropertyOrder({"id", "user_id", "device_id", "alert_type", "metric", "severity", "status", "started_at",
        "cleared_at", "details"})
public class DeviceAlert {
    public static final String RAISED = "raised";
    public static final String CLEARED = "cleared";

    public String id;
    public String userId;
    public String deviceId;
    public String alertType;
    /** The sensor the alert concerns, or null for device-level alerts. */
    public String metric;
    public String severity;
    /** {@link #RAISED} or {@link #CLEARED}. */
    public String status;
    public Instant startedAt;
    public Instant clearedAt;
    /** A JSON object with what made the pattern fire (stored as jsonb; an object, not a string, on the topic). */
    @JsonRawValue
    public String details;

    public DeviceAlert() {}

    /** The id of an episode: device, type, metric and start, nothing else. */
    public static String idOf(String deviceId, String alertType, String metric, Instant startedAt) {
        return Ids.hash("device_alert", deviceId, alertType, metric, startedAt.toString());
    }

    public boolean isRaised() {
        return RAISED.equals(status);
    }

    public DeviceAlert copy() {
        DeviceAlert a = new DeviceAlert();
        a.id = id;
        a.userId = userId;
        a.deviceId = deviceId;
        a.alertType = alertType;
        a.metric = metric;
        a.severity = severity;
        a.status = status;
        a.startedAt = startedAt;
        a.clearedAt = clearedAt;
        a.details = details;
        return a;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeviceAlert a)) return false;
        return Objects.equals(id, a.id) && Objects.equals(userId, a.userId) && Objects.equals(deviceId, a.deviceId)
                && Objects.equals(alertType, a.alertType) && Objects.equals(metric, a.metric)
                && Objects.equals(severity, a.severity) && Objects.equals(status, a.status)
                && Objects.equals(startedAt, a.startedAt) && Objects.equals(clearedAt, a.clearedAt)
                && Objects.equals(details, a.details);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status);
    }

    @Override
    public String toString() {
        return "DeviceAlert{" + alertType + (metric != null ? "/" + metric : "") + " " + status + " " + severity + " "
                + deviceId + " " + startedAt + (clearedAt != null ? ".." + clearedAt : "") + "}";
    }
}
