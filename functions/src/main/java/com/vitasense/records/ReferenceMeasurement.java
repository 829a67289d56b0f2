package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * A reference measurement for calibration (a fingerstick glucose value, a manual entry): the
 * truth a device's readings are compared against.
 *
 * <p>Some sources carry a sensor's calibration parameters instead of (or beside) a reference value:
 * a Nightscout {@code cal} entry gives {@link #slope}, {@link #intercept} and {@link #scale} for
 * the raw sensor signal ({@code mg/dL = scale * (unfiltered - intercept) / slope}) and no value.
 * Such a record has a null {@link #value}; consumers that need a value skip it.
 */
public class ReferenceMeasurement {
    public String id;
    public String userId;
    public String deviceId;
    public String vendor;
    public String metric;
    /** In the metric's canonical unit; null for a record that only carries calibration parameters. */
    public Double value;
    public String unit;
    public String rawValue;
    public String rawUnit;
    public Instant time;
    /**
     * Where the reference came from: {@code manual}, {@code dexcom_calibration} (a fingerstick
     * entered on a Dexcom system), {@code nightscout_mbg} (a meter reading uploaded to Nightscout),
     * {@code nightscout_cal} (calibration parameters from Nightscout).
     */
    public String source;
    /**
     * Calibration slope of the sensor's raw signal in raw units per mg/dL (Nightscout {@code cal});
     * null otherwise.
     */
    public Double slope;
    /** Calibration intercept in raw sensor units (Nightscout {@code cal}); null otherwise. */
    public Double intercept;
    /** Calibration scale factor, dimensionless (Nightscout {@code cal}, usually 1); null otherwise. */
    public Double scale;

    public ReferenceMeasurement() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ReferenceMeasurement r)) return false;
        return Objects.equals(value, r.value) && Objects.equals(id, r.id) && Objects.equals(userId, r.userId)
                && Objects.equals(deviceId, r.deviceId) && Objects.equals(vendor, r.vendor)
                && Objects.equals(metric, r.metric) && Objects.equals(unit, r.unit)
                && Objects.equals(rawValue, r.rawValue) && Objects.equals(rawUnit, r.rawUnit)
                && Objects.equals(time, r.time) && Objects.equals(source, r.source)
                && Objects.equals(slope, r.slope) && Objects.equals(intercept, r.intercept)
                && Objects.equals(scale, r.scale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, deviceId, metric, time);
    }

    @Override
    public String toString() {
        return "ReferenceMeasurement{" + source + " " + deviceId + " " + metric + "=" + value + " " + unit + " @" + time
                + (slope != null ? " slope=" + slope + " intercept=" + intercept + " scale=" + scale : "") + "}";
    }
}
