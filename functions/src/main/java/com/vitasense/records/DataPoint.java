package com.vitasense.records;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The canonical data point: one reading of one metric from one device, in canonical units, with
 * the vendor's raw value and unit kept beside it. This is the row of {@code data_points} and the
 * value on {@code device-data-processed}.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so it is serialized without Kryo. Quality
 * flags are a bit set over {@link QualityFlag} for the same reason; JSON shows them as names.
 */
@JsonPropertyOrder({"id", "revision", "user_id", "device_id", "vendor", "device_model", "metric", "value",
        "category", "unit", "raw_value", "raw_unit", "start_time", "end_time", "time_source", "quality_flags",
        "quality_score", "anomaly_score", "calibration_id", "source_record_id", "ingested_at"})
public class DataPoint {
    public String id;
    /** 1 for the first version of a reading; a re-sent reading with changed content counts up. */
    public int revision;
    public String userId;
    public String deviceId;
    public String vendor;
    public String deviceModel;
    public String metric;
    /** The value in the metric's canonical unit; null for categorical metrics such as sleep stages. */
    public Double value;
    /**
     * The category of a categorical metric (a sleep stage), or the kind of a measured value that
     * comes in kinds (a workout's activity type beside its duration); else null.
     */
    public String category;
    public String unit;
    /** The value exactly as the vendor sent it, as text, so nothing is lost to conversion. */
    public String rawValue;
    public String rawUnit;
    public Instant startTime;
    /** End of the measured interval; equal to {@link #startTime} for instantaneous readings. */
    public Instant endTime;
    /** A {@link TimeSource} name. */
    public String timeSource;
    /** Bit set over {@link QualityFlag} ordinals. */
    @JsonIgnore
    public long qualityFlags;
    public Double qualityScore;
    /**
     * How unusual the value is for this device and metric, in [0, 1], from the adaptive outlier
     * detector; null where no score applies (categorical metrics, sensor limits, interpolated points).
     */
    public Double anomalyScore;
    public String calibrationId;
    /** The vendor's own id for the reading when it has one; part of the identity. */
    public String sourceRecordId;
    /**
     * When the platform received the reading: the envelope's {@code received_at}, so that a replay
     * or a backfill reproduces it.
     */
    public Instant ingestedAt;

    public DataPoint() {}

    /** Event time in epoch millis, the basis of watermarks and every time-based rule. */
    @JsonIgnore
    public long eventTimeMillis() {
        return startTime.toEpochMilli();
    }

    public boolean hasFlag(QualityFlag flag) {
        return (qualityFlags & flag.bit()) != 0;
    }

    public DataPoint withFlag(QualityFlag flag) {
        qualityFlags |= flag.bit();
        return this;
    }

    @JsonIgnore
    public Set<QualityFlag> flags() {
        EnumSet<QualityFlag> set = EnumSet.noneOf(QualityFlag.class);
        for (QualityFlag f : QualityFlag.values()) {
            if (hasFlag(f)) set.add(f);
        }
        return set;
    }

    /** The flag names in declaration order, as written to JSON and to {@code data_points.quality_flags}. */
    @JsonProperty("quality_flags")
    public List<String> flagNames() {
        List<String> names = new ArrayList<>();
        for (QualityFlag f : flags()) names.add(f.name());
        return names;
    }

    @JsonProperty("quality_flags")
    public void setFlagNames(List<String> names) {
        qualityFlags = 0;
        if (names != null) {
            for (String n : names) withFlag(QualityFlag.valueOf(n));
        }
    }

    /**
     * Hash of everything that a vendor can revise about a reading without changing its identity;
     * equal hashes mean an exact repeat.
     */
    public long contentHash() {
        return Objects.hash(value, category, unit, rawValue, rawUnit, endTime, deviceModel, userId, vendor);
    }

    public DataPoint copy() {
        DataPoint c = new DataPoint();
        c.id = id;
        c.revision = revision;
        c.userId = userId;
        c.deviceId = deviceId;
        c.vendor = vendor;
        c.deviceModel = deviceModel;
        c.metric = metric;
        c.value = value;
        c.category = category;
        c.unit = unit;
        c.rawValue = rawValue;
        c.rawUnit = rawUnit;
        c.startTime = startTime;
        c.endTime = endTime;
        c.timeSource = timeSource;
        c.qualityFlags = qualityFlags;
        c.qualityScore = qualityScore;
        c.anomalyScore = anomalyScore;
        c.calibrationId = calibrationId;
        c.sourceRecordId = sourceRecordId;
        c.ingestedAt = ingestedAt;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DataPoint p)) return false;
        return revision == p.revision && qualityFlags == p.qualityFlags && Objects.equals(id, p.id)
                && Objects.equals(userId, p.userId) && Objects.equals(deviceId, p.deviceId)
                && Objects.equals(vendor, p.vendor) && Objects.equals(deviceModel, p.deviceModel)
                && Objects.equals(metric, p.metric) && Objects.equals(value, p.value)
                && Objects.equals(category, p.category) && Objects.equals(unit, p.unit)
                && Objects.equals(rawValue, p.rawValue) && Objects.equals(rawUnit, p.rawUnit)
                && Objects.equals(startTime, p.startTime) && Objects.equals(endTime, p.endTime)
                && Objects.equals(timeSource, p.timeSource) && Objects.equals(qualityScore, p.qualityScore)
                && Objects.equals(anomalyScore, p.anomalyScore)
                && Objects.equals(calibrationId, p.calibrationId) && Objects.equals(sourceRecordId, p.sourceRecordId)
                && Objects.equals(ingestedAt, p.ingestedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, revision, metric, startTime, value);
    }

    @Override
    public String toString() {
        return "DataPoint{" + id + " r" + revision + " " + deviceId + " " + metric + "=" + (value != null ? value : category)
                + " " + unit + " @" + startTime + " " + flags() + "}";
    }
}
