package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * Something the calibration stage has to say about one device's metric: a correction applied, a
 * reference it could not use, drift, a calibration due, a warm-up. The row of
 * {@code calibration_events} and the value on {@code calibration-events}.
 *
 * <p>The id is derived from device, metric, event type and event time only, so a replay or a
 * backfill writes the same event under the same id. {@link #details} is a JSON object as text
 * with the numbers behind the event.
 */
@JsonPropertyOrder({"id", "event_type", "user_id", "device_id", "metric", "event_time", "calibration_id", "mard",
        "bias", "details"})
public class CalibrationEvent {
    /** What happened. Consumers match on the names; new types are appended. */
    public enum Type {
        /** A reference was paired with a reading and a new correction version is in force from its time. */
        CALIBRATION_APPLIED,
        /** No usable reading within the pairing tolerance of the reference's time. */
        REFERENCE_UNPAIRED,
        /** A reference for a metric the stage does not calibrate, or without a usable value. */
        REFERENCE_IGNORED,
        /** The device's own calibration changed (Nightscout {@code cal}): the correction restarts from identity. */
        DEVICE_CALIBRATED,
        /** A reference that arrived after the watermark passed its time plus the pairing tolerance (see the late-reference rule). */
        LATE_REFERENCE,
        /** Rolling MARD or bias over recent references crossed its threshold. */
        DRIFT_DETECTED,
        /** Drift persisted at the next reference: the device itself should be recalibrated. */
        RECALIBRATION_RECOMMENDED,
        /** Rolling MARD and bias back within their thresholds. */
        DRIFT_RESOLVED,
        /** The device model's schedule asks for a calibration now. */
        CALIBRATION_DUE,
        /** The device model's schedule's grace period passed without a calibration. */
        CALIBRATION_OVERDUE,
        /** A sensor session started; readings until the warm-up ends are marked, not alarmed. */
        WARMUP,
        /** The vendor reports that it is still learning the user (WHOOP {@code user_calibrating}). */
        USER_CALIBRATING
    }

    public String id;
    /** A {@link Type} name. */
    public String eventType;
    public String userId;
    public String deviceId;
    public String metric;
    public Instant eventTime;
    /** The correction version the event is about, when there is one. */
    public String calibrationId;
    /** Rolling mean absolute relative difference in percent over recent reference pairs, when known. */
    public Double mard;
    /** Rolling mean signed relative difference (device minus reference) in percent, when known. */
    public Double bias;
    /** A JSON object as text: the numbers and reasons behind the event. */
    public String details;

    public CalibrationEvent() {}

    /** An event with its deterministic id. */
    public static CalibrationEvent of(Type type, String userId, String deviceId, String metric, Instant eventTime) {
        CalibrationEvent e = new CalibrationEvent();
        e.eventType = type.name();
        e.userId = userId;
        e.deviceId = deviceId;
        e.metric = metric;
        e.eventTime = eventTime;
        e.id = id(deviceId, metric, type, eventTime);
        return e;
    }

    public static String id(String deviceId, String metric, Type type, Instant eventTime) {
        return Ids.hash("calibration_event", deviceId, metric, type.name(), eventTime.toString());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof CalibrationEvent e)) return false;
        return Objects.equals(id, e.id) && Objects.equals(eventType, e.eventType) && Objects.equals(userId, e.userId)
                && Objects.equals(deviceId, e.deviceId) && Objects.equals(metric, e.metric)
                && Objects.equals(eventTime, e.eventTime) && Objects.equals(calibrationId, e.calibrationId)
                && Objects.equals(mard, e.mard) && Objects.equals(bias, e.bias) && Objects.equals(details, e.details);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return "CalibrationEvent{" + eventType + " " + deviceId + " " + metric + " @" + eventTime
                + (calibrationId != null ? " cal=" + calibrationId : "") + (mard != null ? " mard=" + mard : "")
                + (bias != null ? " bias=" + bias : "") + " " + details + "}";
    }
}
