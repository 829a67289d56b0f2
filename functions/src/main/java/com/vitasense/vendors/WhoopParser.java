package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.units.Metric;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * WHOOP API v2, vendor {@code whoop}: one record per envelope.
 *
 * <ul>
 *   <li>{@code recovery}: {@code recovery_score} (%), {@code resting_heart_rate} (bpm),
 *       {@code hrv_rmssd_milli} as {@code hrv_rmssd} (ms), {@code spo2_percentage} as {@code spo2}
 *       and {@code skin_temp_celsius} as {@code skin_temperature}, at {@code created_at} (when WHOOP
 *       scored the night; {@code updated_at} moves on every re-score, so it would not identify
 *       the reading). SpO2 and skin temperature exist only on newer straps: absent means no point.
 *       {@code user_calibrating} becomes a {@code DEVICE_STATUS} event with {@code calibrating}
 *       (true in the first weeks of wear, when scores are not yet reliable), also from a pending or
 *       unscorable record whose payload carries a {@code score} with it. Source record id: the
 *       {@code cycle_id} (one recovery per cycle), else the {@code sleep_id}.
 *   <li>{@code cycle}: {@code strain} (0-21) and {@code kilojoule} as {@code energy_expenditure}
 *       over [{@code start}, {@code end}]. A cycle in progress has no {@code end}: its points end
 *       at {@code updated_at} (the strain so far), and when the finished cycle is re-sent the same
 *       ids get a new revision with the real end. Average and max heart rate are not mapped (they
 *       summarize samples other sources deliver).
 *   <li>{@code sleep}: light + slow-wave + REM time as {@code sleep_duration} (s; the raw value is
 *       the sum in ms),
 *       {@code respiratory_rate}, {@code sleep_efficiency_percentage} as {@code sleep_efficiency},
 *       over [{@code start}, {@code end}]. Naps are sleep too. Performance and consistency
 *       percentages are WHOOP-specific and not mapped.
 * </ul>
 *
 * <p>Only {@code score_state} SCORED carries values: PENDING_SCORE and UNSCORABLE records are
 * well-formed but carry no measurement, so they become one {@code NO_MEASUREMENT} dead letter
 * naming the state (a pending record is re-sent once scored), next to the {@code user_calibrating}
 * event if there is one; so does a scored record without any value ({@link SkippedItems}).
 * Times are ISO-8601 UTC (VENDOR_OFFSET); {@code timezone_offset} only describes the user's local
 * clock. Ids: the record's {@code id} is the source record id.
 */
public final class WhoopParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "whoop";
    public static final String KIND_RECOVERY = "recovery";
    public static final String KIND_CYCLE = "cycle";
    public static final String KIND_SLEEP = "sleep";

    private static final String P = "payload";
    private static final String S = "payload.score";

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        return switch (env.kind()) {
            case KIND_RECOVERY -> recovery(env);
            case KIND_CYCLE -> cycle(env);
            case KIND_SLEEP -> sleep(env);
            default -> throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor whoop (known: recovery, cycle, sleep, sync_started, sync_completed, sync_failed, "
                    + "device_status)");
        };
    }

    private static ParseResult recovery(Envelope env) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String id = JsonFields.optionalId(p, P, "cycle_id");
        if (id == null) id = JsonFields.optionalId(p, P, "sleep_id");
        ParsedTime time = EventTimes.required(p, P, "created_at", env.timeZone());
        SkippedItems skipped = new SkippedItems();
        JsonNode score = score(p, skipped);

        List<DataPoint> points = new ArrayList<>();
        if (score != null) {
            value(env, score, "recovery_score", Metric.RECOVERY_SCORE, "%", time, time.instant(), id, points);
            value(env, score, "resting_heart_rate", Metric.RESTING_HEART_RATE, "bpm", time, time.instant(), id, points);
            value(env, score, "hrv_rmssd_milli", Metric.HRV_RMSSD, "ms", time, time.instant(), id, points);
            value(env, score, "spo2_percentage", Metric.SPO2, "%", time, time.instant(), id, points);
            value(env, score, "skin_temp_celsius", Metric.SKIN_TEMPERATURE, "degC", time, time.instant(), id, points);
            if (points.isEmpty()) skipped.record(S, "a scored recovery without any value");
        }

        // user_calibrating says whether the strap still learns the user, whatever this record's
        // score: read it from a pending or unscorable record too when the payload carries a score.
        JsonNode calibratingSource = score != null ? score : VendorFields.optionalObject(p, P, "score");
        List<DeviceEvent> events = new ArrayList<>();
        Boolean calibrating = calibratingSource == null ? null
                : JsonFields.optionalBoolean(calibratingSource, S, "user_calibrating");
        if (calibrating != null) {
            DeviceEvent e = VendorRecords.event(env, DeviceEvent.Type.DEVICE_STATUS, env.deviceId(), time, id);
            e.calibrating = calibrating;
            events.add(e);
        }
        return skipped.attachTo(ParseResult.of(points, events, List.of()), env);
    }

    private static ParseResult cycle(Envelope env) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String id = requiredId(p);
        ParsedTime start = EventTimes.required(p, P, "start", env.timeZone());
        ParsedTime end = EventTimes.optional(p, P, "end", env.timeZone());
        Instant endTime;
        if (end != null) {
            endTime = end.instant();
        } else {
            // In progress: the strain so far, as of the last update.
            ParsedTime updated = EventTimes.optional(p, P, "updated_at", env.timeZone());
            endTime = updated != null && updated.instant().isAfter(start.instant()) ? updated.instant() : start.instant();
        }
        SkippedItems skipped = new SkippedItems();
        JsonNode score = score(p, skipped);
        List<DataPoint> points = new ArrayList<>();
        if (score != null) {
            value(env, score, "strain", Metric.STRAIN, null, start, endTime, id, points);
            value(env, score, "kilojoule", Metric.ENERGY_EXPENDITURE, "kJ", start, endTime, id, points);
            if (points.isEmpty()) skipped.record(S, "a scored cycle without strain or kilojoule");
        }
        return skipped.attachTo(ParseResult.ofPoints(points), env);
    }

    private static ParseResult sleep(Envelope env) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String id = requiredId(p);
        ParsedTime start = EventTimes.required(p, P, "start", env.timeZone());
        ParsedTime end = EventTimes.required(p, P, "end", env.timeZone());
        SkippedItems skipped = new SkippedItems();
        JsonNode score = score(p, skipped);
        if (score == null) return skipped.attachTo(ParseResult.empty(), env);
        List<DataPoint> points = new ArrayList<>();
        JsonNode stages = VendorFields.optionalObject(score, S, "stage_summary");
        if (stages != null) {
            String path = S + ".stage_summary";
            JsonNode light = JsonFields.requiredNumber(stages, path, "total_light_sleep_time_milli");
            JsonNode deep = JsonFields.requiredNumber(stages, path, "total_slow_wave_sleep_time_milli");
            JsonNode rem = JsonFields.requiredNumber(stages, path, "total_rem_sleep_time_milli");
            // The raw value is the sum in milliseconds, the unit WHOOP sends each stage in.
            BigDecimal asleepMs = light.decimalValue().add(deep.decimalValue()).add(rem.decimalValue());
            points.add(VendorPoint.of(env, Metric.SLEEP_DURATION)
                    .number(asleepMs.doubleValue(), asleepMs.toPlainString(), "ms", "ms")
                    .between(start, end.instant()).record(id).label(path).build());
        }
        value(env, score, "respiratory_rate", Metric.RESPIRATORY_RATE, "breaths/min", start, end.instant(), id, points);
        value(env, score, "sleep_efficiency_percentage", Metric.SLEEP_EFFICIENCY, "%", start, end.instant(), id, points);
        if (points.isEmpty()) skipped.record(S, "a scored sleep without any value");
        return skipped.attachTo(ParseResult.ofPoints(points), env);
    }

    /**
     * The score of a SCORED record; null for PENDING_SCORE and UNSCORABLE, which are recorded in
     * {@code skipped} with the state: well-formed records without a measurement.
     */
    private static JsonNode score(JsonNode p, SkippedItems skipped) throws RecordRejectedException {
        String state = JsonFields.requiredText(p, P, "score_state");
        return switch (state) {
            case "SCORED" -> JsonFields.requiredObject(p, P, "score");
            case "PENDING_SCORE" -> {
                skipped.record(P, "score_state PENDING_SCORE (not scored yet; WHOOP sends the record again once scored)");
                yield null;
            }
            case "UNSCORABLE" -> {
                skipped.record(P, "score_state UNSCORABLE (WHOOP could not score it)");
                yield null;
            }
            default -> throw new RecordRejectedException(INVALID_FIELD, "field payload.score_state must be SCORED, "
                    + "PENDING_SCORE or UNSCORABLE, got " + JsonFields.quote(state));
        };
    }

    private static String requiredId(JsonNode p) throws RecordRejectedException {
        String id = JsonFields.optionalId(p, P, "id");
        if (id == null) throw new RecordRejectedException(MISSING_FIELD, "missing field payload.id");
        return id;
    }

    /** An optional score field as one point; absent or null means no point. */
    private static void value(Envelope env, JsonNode score, String field, Metric metric, String unit, ParsedTime start,
                              Instant end, String id, List<DataPoint> out) throws RecordRejectedException {
        VendorFields.Num v = VendorFields.optionalNumeric(score, S, field);
        if (v == null) return;
        out.add(VendorPoint.of(env, metric).number(v, unit).between(start, end).record(id)
                .label(S + "." + field).build());
    }
}
