package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a device metric's correction, {@code corrected = scale * value + offset}, in force
 * from {@link #validFrom} (inclusive) until {@link #validTo} (exclusive; null while current). The
 * row of {@code calibrations}: a version is written when it opens and again when the next one
 * closes it.
 *
 * <p>The id is derived from device, metric and the time of the reference that opened the version,
 * so a replay or a backfill writes the same version under the same id.
 */
@JsonPropertyOrder({"id", "user_id", "device_id", "metric", "scale", "offset", "valid_from", "valid_to", "source",
        "fit_quality", "pairs"})
public class Calibration {
    public String id;
    public String userId;
    public String deviceId;
    public String metric;
    public double scale;
    public double offset;
    public Instant validFrom;
    public Instant validTo;
    /** The reference sources the version was fitted on, comma-separated ({@code dexcom_calibration}, {@code manual}, ...). */
    public String source;
    /**
     * In [0, 1]: one minus the median absolute relative residual of the fit over its own pairs;
     * null for a fit on a single pair, which says nothing about its quality.
     */
    public Double fitQuality;
    /** Reference pairs the version was fitted on. */
    public int pairs;

    public Calibration() {}

    public static String id(String deviceId, String metric, Instant openedBy) {
        return Ids.hash("calibration", deviceId, metric, openedBy.toString());
    }

    /** The corrected value of {@code value}. */
    public double apply(double value) {
        return scale * value + offset;
    }

    /** True if the version is in force at {@code millis}. */
    public boolean covers(long millis) {
        return validFrom.toEpochMilli() <= millis && (validTo == null || millis < validTo.toEpochMilli());
    }

    public Calibration copy() {
        Calibration c = new Calibration();
        c.id = id;
        c.userId = userId;
        c.deviceId = deviceId;
        c.metric = metric;
        c.scale = scale;
        c.offset = offset;
        c.validFrom = validFrom;
        c.validTo = validTo;
        c.source = source;
        c.fitQuality = fitQuality;
        c.pairs = pairs;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Calibration c)) return false;
        return Double.compare(scale, c.scale) == 0 && Double.compare(offset, c.offset) == 0 && pairs == c.pairs
                && Objects.equals(id, c.id) && Objects.equals(userId, c.userId) && Objects.equals(deviceId, c.deviceId)
                && Objects.equals(metric, c.metric) && Objects.equals(validFrom, c.validFrom)
                && Objects.equals(validTo, c.validTo) && Objects.equals(source, c.source)
                && Objects.equals(fitQuality, c.fitQuality);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, validTo);
    }

    @Override
    public String toString() {
        return "Calibration{" + deviceId + " " + metric + " x" + scale + " " + (offset >= 0 ? "+" : "") + offset
                + " [" + validFrom + ", " + validTo + ") " + source + " n=" + pairs + "}";
    }
}
