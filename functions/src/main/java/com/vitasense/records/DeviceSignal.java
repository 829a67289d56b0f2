package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing a device did or had happen to it, as the device patterns see it: a reading, a battery
 * report, a sensor error, a step of a sync session, a quality issue, a drift of its calibration, the
 * completeness of an hour. The alert patterns match sequences of these per device.
 *
 * <p>A Flink POJO; fields a kind does not use stay null.
 */
public class DeviceSignal {
    /** What a signal is. Consumers match on the names; append new kinds. */
    public enum Kind {
        READING, BATTERY, SENSOR_ERROR, SYNC_STARTED, SYNC_COMPLETED, SYNC_FAILED, QUALITY_ISSUE,
        REVISION_CONFLICT, CALIBRATION_DRIFT, COMPLETENESS
    }

    /** The metric whose battery is reported by a data point rather than a device status. */
    public static final String BATTERY_METRIC = "battery_level";

    public String userId;
    public String deviceId;
    public String vendor;
    public String deviceModel;
    /** The metric a reading, issue, drift or completeness is about; null for device-level signals. */
    public String metric;
    /** A {@link Kind} name. */
    public String kind;
    public Instant eventTime;
    /**
     * READING: the value; BATTERY: percent; CALIBRATION_DRIFT: the MARD in percent; COMPLETENESS:
     * readings received.
     */
    public Double value;
    /** COMPLETENESS: readings expected; CALIBRATION_DRIFT: the bias. */
    public Double reference;
    /**
     * READING: the typical change between consecutive readings of this device and metric before this
     * one (set by the noise baseline), or null while too few readings are known.
     */
    public Double noise;
    /** READING: the data point's quality flags (a bit set over {@link QualityFlag}). */
    public long flags;
    /** Sync id, sensor error code, quality rule: what identifies the event within its kind. */
    public String code;
    /** A human-readable detail (a sync error, an issue's reason). */
    public String detail;

    public DeviceSignal() {}

    private static DeviceSignal of(Kind kind, String userId, String deviceId, Instant eventTime) {
        DeviceSignal s = new DeviceSignal();
        s.kind = kind.name();
        s.userId = userId;
        s.deviceId = deviceId;
        s.eventTime = eventTime;
        return s;
    }

    /** A reading; a {@code battery_level} point is a battery report. */
    public static DeviceSignal from(DataPoint p) {
        DeviceSignal s = of(BATTERY_METRIC.equals(p.metric) ? Kind.BATTERY : Kind.READING, p.userId, p.deviceId, p.startTime);
        s.vendor = p.vendor;
        s.deviceModel = p.deviceModel;
        s.metric = p.metric;
        s.value = p.value;
        s.flags = p.qualityFlags;
        s.code = p.id;
        return s;
    }

    /**
     * The signal of a device event, or null for a status report that carries nothing the patterns
     * use (no battery level).
     */
    public static DeviceSignal from(DeviceEvent e) {
        Kind kind = switch (DeviceEvent.Type.valueOf(e.type)) {
            case DEVICE_STATUS -> e.batteryLevel == null ? null : Kind.BATTERY;
            case SYNC_STARTED -> Kind.SYNC_STARTED;
            case SYNC_COMPLETED -> Kind.SYNC_COMPLETED;
            case SYNC_FAILED -> Kind.SYNC_FAILED;
            case SENSOR_ERROR -> Kind.SENSOR_ERROR;
        };
        if (kind == null) return null;
        DeviceSignal s = of(kind, e.userId, e.deviceId, e.eventTime);
        s.vendor = e.vendor;
        s.deviceModel = e.deviceModel;
        if (kind == Kind.BATTERY) s.value = e.batteryLevel;
        s.code = kind == Kind.SENSOR_ERROR ? e.errorCode : e.syncId;
        s.detail = e.error;
        return s;
    }

    /** A quality issue; a revision conflict is a re-send that contradicts what was received. */
    public static DeviceSignal from(QualityIssue i) {
        Kind kind = QualityRule.REVISION_CONFLICT.name().equals(i.rule) ? Kind.REVISION_CONFLICT : Kind.QUALITY_ISSUE;
        DeviceSignal s = of(kind, i.userId, i.deviceId, i.eventTime);
        s.metric = i.metric;
        s.value = i.observedValue;
        s.code = i.rule;
        s.detail = i.reason;
        return s;
    }

    /** Readings received against expected in one hour ({@link #eventTime} is the hour's start). */
    public static DeviceSignal from(DeviceCompleteness c) {
        DeviceSignal s = of(Kind.COMPLETENESS, c.userId, c.deviceId, c.hour);
        s.metric = c.metric;
        s.value = (double) c.received;
        s.reference = (double) c.expected;
        return s;
    }

    /** The calibration stage found the device's readings drifting from the references. */
    public static DeviceSignal calibrationDrift(String userId, String deviceId, String metric, Instant eventTime,
                                                Double mard, Double bias) {
        DeviceSignal s = of(Kind.CALIBRATION_DRIFT, userId, deviceId, eventTime);
        s.metric = metric;
        s.value = mard;
        s.reference = bias;
        return s;
    }

    public boolean is(Kind k) {
        return k.name().equals(kind);
    }

    public boolean hasFlag(QualityFlag flag) {
        return (flags & flag.bit()) != 0;
    }

    public long eventTimeMillis() {
        return eventTime.toEpochMilli();
    }

    /** The key of the device-level patterns and the alert lifecycle. */
    public static String deviceKey(DeviceSignal s) {
        return s.deviceId;
    }

    /** The key of the per-series patterns (one sensor of one device). */
    public static String seriesKey(DeviceSignal s) {
        return s.deviceId + "|" + s.metric;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeviceSignal s)) return false;
        return flags == s.flags && Objects.equals(userId, s.userId) && Objects.equals(deviceId, s.deviceId)
                && Objects.equals(vendor, s.vendor) && Objects.equals(deviceModel, s.deviceModel)
                && Objects.equals(metric, s.metric) && Objects.equals(kind, s.kind)
                && Objects.equals(eventTime, s.eventTime) && Objects.equals(value, s.value)
                && Objects.equals(reference, s.reference) && Objects.equals(noise, s.noise)
                && Objects.equals(code, s.code) && Objects.equals(detail, s.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, kind, eventTime, metric);
    }

    @Override
    public String toString() {
        return "DeviceSignal{" + kind + " " + deviceId + (metric != null ? " " + metric : "") + " @" + eventTime
                + (value != null ? " " + value : "") + (code != null ? " " + code : "") + "}";
    }
}
