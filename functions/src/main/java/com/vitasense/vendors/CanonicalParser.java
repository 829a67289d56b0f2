package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;
import static com.vitasense.records.DeadLetterReason.UNSUPPORTED_UNIT;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.units.Metric;
import com.vitasense.units.Units;
import com.vitasense.units.UnsupportedUnitException;

/**
 * The platform's own format, vendor {@code canonical}: what the simulator, manual entry and
 * integrations without a dedicated parser send.
 *
 * <ul>
 *   <li>{@code data_point}: {@code {metric, value | category, unit?, start_time, end_time?,
 *       device_model?, source_record_id?, user_entered?}} becomes one {@link DataPoint}.
 *   <li>{@code calibration}: {@code {metric, value, unit?, time, source?}} becomes one
 *       {@link ReferenceMeasurement}.
 * </ul>
 *
 * <p>The format is ours, so it is read strictly: a value of the wrong type is rejected rather than
 * coerced (no numeric strings, no value on a categorical metric), because a lenient reading would
 * hide a producer bug behind plausible-looking data.
 */
public final class CanonicalParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "canonical";
    public static final String KIND_DATA_POINT = "data_point";
    public static final String KIND_CALIBRATION = "calibration";

    /** Reference source when the payload names none: a person typed it in. */
    public static final String DEFAULT_REFERENCE_SOURCE = "manual";

    private static final String P = "payload";

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        return switch (env.kind()) {
            case KIND_DATA_POINT -> ParseResult.ofPoint(dataPoint(env));
            case KIND_CALIBRATION -> ParseResult.ofReference(reference(env));
            default -> throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor canonical (known: data_point, calibration, sync_started, sync_completed, "
                    + "sync_failed, device_status)");
        };
    }

    private static DataPoint dataPoint(Envelope env) throws RecordRejectedException {
        JsonNode p = objectPayload(env);
        Metric metric = metric(p);

        DataPoint d = new DataPoint();
        d.userId = env.userId();
        d.deviceId = env.deviceId();
        d.vendor = env.vendor();
        d.metric = metric.key();
        d.revision = 1;
        d.ingestedAt = env.receivedAt();
        d.deviceModel = JsonFields.optionalText(p, P, "device_model");
        d.sourceRecordId = JsonFields.optionalId(p, P, "source_record_id");
        String unit = unitText(p);
        d.rawUnit = unit;

        if (metric.isCategorical()) {
            if (JsonFields.get(p, "value") != null) {
                throw new RecordRejectedException(INVALID_FIELD,
                        metric.key() + " is categorical: send payload.category, not payload.value");
            }
            if (unit != null) {
                throw new RecordRejectedException(UNSUPPORTED_UNIT,
                        metric.key() + " is categorical and takes no unit, got " + JsonFields.quote(unit));
            }
            d.category = JsonFields.requiredText(p, P, "category");
            d.rawValue = d.category;
        } else {
            if (JsonFields.get(p, "category") != null) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "payload.category is only for categorical metrics, not " + metric.key());
            }
            JsonNode value = JsonFields.requiredNumber(p, P, "value");
            d.rawValue = JsonFields.numberText(value);
            Units.Normalized n = normalize(metric, value.doubleValue(), unit);
            d.value = n.value();
            d.unit = n.unit();
        }

        EventTimes.ParsedTime start = EventTimes.required(p, P, "start_time", env.timeZone());
        EventTimes.ParsedTime end = EventTimes.optional(p, P, "end_time", env.timeZone());
        d.startTime = start.instant();
        d.endTime = end == null ? start.instant() : end.instant();
        if (d.endTime.isBefore(d.startTime)) {
            throw new RecordRejectedException(INVALID_FIELD,
                    "payload.end_time " + d.endTime + " is before payload.start_time " + d.startTime);
        }
        // The start decides: it is the event time every rule keys on.
        d.timeSource = start.source().name();

        Boolean userEntered = JsonFields.optionalBoolean(p, P, "user_entered");
        if (Boolean.TRUE.equals(userEntered)) d.withFlag(QualityFlag.USER_ENTERED);

        d.id = Ids.hash("point", d.userId, d.deviceId, d.metric, d.startTime.toString(), d.endTime.toString(),
                d.sourceRecordId);
        return d;
    }

    private static ReferenceMeasurement reference(Envelope env) throws RecordRejectedException {
        JsonNode p = objectPayload(env);
        Metric metric = metric(p);
        if (metric.isCategorical()) {
            throw new RecordRejectedException(INVALID_FIELD, metric.key() + " is categorical and cannot be calibrated");
        }
        JsonNode value = JsonFields.requiredNumber(p, P, "value");
        String unit = unitText(p);
        Units.Normalized n = normalize(metric, value.doubleValue(), unit);

        ReferenceMeasurement r = new ReferenceMeasurement();
        r.userId = env.userId();
        r.deviceId = env.deviceId();
        r.vendor = env.vendor();
        r.metric = metric.key();
        r.value = n.value();
        r.unit = n.unit();
        r.rawValue = JsonFields.numberText(value);
        r.rawUnit = unit;
        r.time = EventTimes.required(p, P, "time", env.timeZone()).instant();
        String source = JsonFields.optionalText(p, P, "source");
        r.source = source == null ? DEFAULT_REFERENCE_SOURCE : source;
        // Not the value: a corrected reference for the same moment replaces the earlier one on upsert.
        r.id = Ids.hash("reference", r.userId, r.deviceId, r.metric, r.time.toString(), r.source);
        return r;
    }

    private static JsonNode objectPayload(Envelope env) throws RecordRejectedException {
        if (!env.payload().isObject()) {
            throw new RecordRejectedException(INVALID_FIELD, "payload of canonical/" + env.kind() + " must be an object");
        }
        return env.payload();
    }

    private static Metric metric(JsonNode p) throws RecordRejectedException {
        String name = JsonFields.requiredText(p, P, "metric");
        return Metric.find(name).orElseThrow(() -> new RecordRejectedException(INVALID_FIELD,
                "unknown metric " + JsonFields.quote(name)));
    }

    private static String unitText(JsonNode p) throws RecordRejectedException {
        return JsonFields.optionalText(p, P, "unit");
    }

    private static Units.Normalized normalize(Metric metric, double value, String unit) throws RecordRejectedException {
        Units.Normalized n;
        try {
            n = Units.normalize(metric, value, unit);
        } catch (UnsupportedUnitException e) {
            // A dimensional metric without any unit is a missing field; a unit we cannot read is unsupported.
            throw new RecordRejectedException(unit == null ? MISSING_FIELD : UNSUPPORTED_UNIT, e.getMessage());
        }
        if (!Double.isFinite(n.value())) {
            throw new RecordRejectedException(INVALID_FIELD,
                    "payload.value " + value + " " + unit + " overflows in conversion to " + n.unit());
        }
        return n;
    }
}
