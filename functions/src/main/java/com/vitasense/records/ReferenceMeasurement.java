package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * A reference measurement for calibration (a fingerstick glucose value, a manual entry): the
 * truth a device's readings are compared against.
 */
public class ReferenceMeasurement {
    public String id;
    public String userId;
    public String deviceId;
    public String vendor;
    public String metric;
    /** In the metric's canonical unit. */
    public double value;
    public String unit;
    public String rawValue;
    public String rawUnit;
    public Instant time;
    /** Where the reference came from, e.g. "manual", "dexcom_calibration". */
    public String source;

    public ReferenceMeasurement() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ReferenceMeasurement r)) return false;
        return Double.compare(value, r.value) == 0 && Objects.equals(id, r.id) && Objects.equals(userId, r.userId)
                && Objects.equals(deviceId, r.deviceId) && Objects.equals(vendor, r.vendor)
                && Objects.equals(metric, r.metric) && Objects.equals(unit, r.unit)
                && Objects.equals(rawValue, r.rawValue) && Objects.equals(rawUnit, r.rawUnit)
                && Objects.equals(time, r.time) && Objects.equals(source, r.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, deviceId, metric, time);
    }

    @Override
    public String toString() {
        return "ReferenceMeasurement{" + deviceId + " " + metric + "=" + value + " " + unit + " @" + time + "}";
    }
}
