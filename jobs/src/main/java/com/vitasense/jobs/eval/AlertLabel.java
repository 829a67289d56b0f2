package com.vitasense.jobs.eval;

import java.time.Instant;
import java.util.Objects;

/**
 * One injected fault episode, the ground truth an alert is scored against: the device, the alert
 * type it should raise (and the metric, for per-sensor alerts), and when the fault was present.
 *
 * @param deviceId the device the fault was injected into
 * @param alertType an alert type name ({@code com.vitasense.patterns.AlertType})
 * @param metric the sensor the alert concerns, or null for device-level alerts
 * @param start when the fault began
 * @param end when the fault was over (at or after {@code start})
 */
public record AlertLabel(String deviceId, String alertType, String metric, Instant start, Instant end) {
    public AlertLabel {
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(alertType, "alert_type");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) throw new IllegalArgumentException("end " + end + " is before start " + start);
    }
}
