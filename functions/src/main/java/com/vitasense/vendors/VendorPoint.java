package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNSUPPORTED_UNIT;

import com.vitasense.records.DataPoint;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.units.Metric;
import com.vitasense.units.Units;
import com.vitasense.units.UnsupportedUnitException;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.time.Instant;
import java.util.EnumSet;

/**
 * Builds one canonical {@link DataPoint} from a vendor reading, the same way for every vendor:
 * envelope fields, unit conversion through {@link Units} (raw value and unit kept), time source,
 * and the id.
 *
 * <p><b>Ids.</b> {@code Ids.hash("point", user, device, metric, start, end, sourceRecordId)}, the
 * recipe of {@link CanonicalParser}, with one difference: when the point carries a vendor record id
 * ({@link #record(String)}), the end is left out (hashed as null). The vendor id already names the
 * record, and the end of an interval is exactly what vendors revise (a WHOOP cycle in progress has
 * no end yet, an Oura sleep period is re-scored), so a re-sent record keeps its id and
 * {@code ReadingAdmission} numbers the changed content as the next revision. The start stays in
 * the id: it is the event time, which {@link DataPoint#contentHash()} does not cover. For series
 * inside one vendor record, the record id is combined with the sample's time
 * ({@link #seriesId(String, Instant)}). Without a vendor id the id is the content: user, device,
 * metric, start and end.
 */
final class VendorPoint {
    private final Envelope env;
    private final Metric metric;
    private Double value;
    private String category;
    private String rawValue;
    private String rawUnit;
    /** The unit the value is converted from; usually the raw unit. */
    private String conversionUnit;
    private ParsedTime start;
    private Instant end;
    private String deviceModel;
    private String sourceRecordId;
    private final EnumSet<QualityFlag> flags = EnumSet.noneOf(QualityFlag.class);
    /** Names the reading in messages, e.g. {@code payload.records[2]}. */
    private String label = "payload";

    private VendorPoint(Envelope env, Metric metric) {
        this.env = env;
        this.metric = metric;
    }

    static VendorPoint of(Envelope env, Metric metric) {
        return new VendorPoint(env, metric);
    }

    /** The record id {@code id} plus the sample time: the vendor id of one sample of a series. */
    static String seriesId(String recordId, Instant sampleTime) {
        return recordId == null ? null : recordId + "@" + sampleTime;
    }

    /** A number in {@code unit}, converted to the metric's canonical unit; raw value and unit as sent. */
    VendorPoint number(VendorFields.Num n, String unit) {
        return number(n.value(), n.text(), unit, unit);
    }

    /**
     * A number whose sent unit is {@code rawUnit} but which converts from {@code conversionUnit}
     * (Apple's 0..1 {@code %} is a {@code fraction}; WHOOP's {@code hrv_rmssd_milli} has no unit
     * field but is {@code ms}).
     */
    VendorPoint number(double v, String rawText, String rawUnit, String conversionUnit) {
        this.value = v;
        this.rawValue = rawText;
        this.rawUnit = rawUnit;
        this.conversionUnit = conversionUnit;
        return this;
    }

    /** A categorical reading (a sleep stage); {@code raw} is the vendor's own value. */
    VendorPoint category(String category, String raw) {
        this.category = category;
        this.rawValue = raw;
        return this;
    }

    /** The category beside a numeric value (a workout's activity type). */
    VendorPoint kind(String category) {
        this.category = category;
        return this;
    }

    /** An instantaneous reading. */
    VendorPoint at(ParsedTime time) {
        return between(time, time.instant());
    }

    /** A reading over [start, end]; its time source is the start's. */
    VendorPoint between(ParsedTime start, Instant end) {
        this.start = start;
        this.end = end;
        return this;
    }

    VendorPoint model(String deviceModel) {
        this.deviceModel = deviceModel;
        return this;
    }

    VendorPoint record(String sourceRecordId) {
        this.sourceRecordId = sourceRecordId;
        return this;
    }

    VendorPoint flag(QualityFlag flag) {
        flags.add(flag);
        return this;
    }

    VendorPoint label(String label) {
        this.label = label;
        return this;
    }

    DataPoint build() throws RecordRejectedException {
        DataPoint d = new DataPoint();
        d.revision = 1;
        d.userId = env.userId();
        d.deviceId = env.deviceId();
        d.vendor = env.vendor();
        d.deviceModel = deviceModel;
        d.metric = metric.key();
        d.category = category;
        d.rawValue = rawValue;
        d.rawUnit = rawUnit;
        if (metric.isCategorical()) {
            if (category == null) throw new IllegalStateException(metric + " needs a category");
        } else {
            if (value == null) throw new IllegalStateException(metric + " needs a value");
            Units.Normalized n;
            try {
                n = Units.normalize(metric, value, conversionUnit);
            } catch (UnsupportedUnitException e) {
                throw new RecordRejectedException(conversionUnit == null ? MISSING_FIELD : UNSUPPORTED_UNIT,
                        label + ": " + e.getMessage());
            }
            if (!Double.isFinite(n.value())) {
                throw new RecordRejectedException(INVALID_FIELD, label + ": value " + rawValue + " " + rawUnit
                        + " overflows in conversion to " + n.unit());
            }
            d.value = n.value();
            d.unit = n.unit();
        }
        d.startTime = start.instant();
        d.endTime = end;
        if (d.endTime.isBefore(d.startTime)) {
            throw new RecordRejectedException(INVALID_FIELD, label + ": end " + d.endTime + " is before start " + d.startTime);
        }
        d.timeSource = start.source().name();
        d.sourceRecordId = sourceRecordId;
        d.ingestedAt = env.receivedAt();
        for (QualityFlag f : flags) d.withFlag(f);
        d.id = Ids.hash("point", d.userId, d.deviceId, d.metric, d.startTime.toString(),
                sourceRecordId == null ? d.endTime.toString() : null, sourceRecordId);
        return d;
    }
}
