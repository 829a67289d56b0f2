package com.vitasense.calibration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.CalibrationEvent.Type;
import com.vitasense.records.DataPoint;
import com.vitasense.records.Json;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The calibration stage, keyed by (device, metric) ({@link CalibrationKeys}): readings on the first
 * input, reference measurements on the second. Readings of calibrated metrics leave corrected by
 * the version in force at their event time; versions go to {@link CalibrationOutputs#VERSIONS},
 * events to {@link CalibrationOutputs#EVENTS}. Readings of other metrics pass straight through.
 *
 * <p><b>Event time.</b> A reading at {@code t} and a reference at {@code T} wait until the
 * watermark passes {@code t + tolerance} and {@code T + tolerance}: by then every reading a
 * reference could pair with (nearest within the tolerance, either side) has arrived. They are then
 * processed in event-time order, references before readings of the same time, so a version opened
 * by a reference at {@code T} corrects every reading from {@code T} on, and a streaming run and a
 * batch backfill process the same sequence. All timers are registered in {@code processElement}:
 * batch mode drops timers registered while timers fire.
 *
 * <p><b>Model.</b> Each reference is paired with the nearest usable reading (not a sensor limit,
 * implausible, interpolated or of suspect time) within the tolerance; none gives
 * {@code REFERENCE_UNPAIRED}. The pairs of the recent window are fitted robustly
 * ({@link RobustFit}) into {@code reference = scale * device + offset}, a new version valid from
 * the reference's time; the previous one is closed there. A Nightscout {@code cal} entry (the
 * sensor's own calibration changed) drops the pairs before it and opens an identity version.
 *
 * <p><b>Accuracy and drift.</b> Each pair also measures what the pipeline had published for the
 * paired reading; MARD and bias over the last pairs (outside warm-ups) beyond their thresholds give
 * {@code DRIFT_DETECTED}, the next reference still beyond them {@code RECALIBRATION_RECOMMENDED}
 * (with the estimated correction), and back within them {@code DRIFT_RESOLVED}. The device model's
 * schedule gives {@code CALIBRATION_DUE} and {@code CALIBRATION_OVERDUE} at the times they fell due,
 * reported with the first reading at or after them; a gap of the session-gap starts a sensor
 * session, marked {@code WARMUP} where the model has a warm-up, during which nothing is alarmed.
 *
 * <p><b>Late references.</b> A reference is on time while the watermark has not passed its time
 * plus the tolerance (its readings from its time on are still pending). One that arrives later
 * (only in streaming) is processed at once: it is paired with the readings still remembered (two tolerances behind the
 * watermark), and its version is valid from the later of its own time and the first reading not
 * yet written ({@code watermark - tolerance + 1}). Readings already written are never rewritten, so
 * the {@code calibrations} history stays exactly what was applied; {@code LATE_REFERENCE} records
 * the reference time and the version's start. A backfill of the same input gives the version from
 * the reference's own time.
 *
 * <p><b>Late readings</b> (behind the watermark on arrival) are corrected by the version that was
 * in force at their time and passed on at once.
 *
 * <p><b>State</b>: pending readings and references (until their timers), the readings of the last
 * two tolerances (for pairing), the pairs of the fit window, the versions of the state retention
 * and a small {@link CalibrationStatus}. Everything of a key is cleared by an event-time timer once
 * the key has been quiet for the state retention.
 */
public class CalibrationCorrection extends KeyedCoProcessFunction<String, DataPoint, ReferenceMeasurement, DataPoint> {
    private static final long serialVersionUID = 1L;

    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final CalibrationRules rules;

    private transient MapState<Long, List<DataPoint>> pendingReadings;
    private transient MapState<Long, List<ReferenceMeasurement>> pendingReferences;
    private transient MapState<Long, Double> recentReadings;
    private transient MapState<String, ReferencePair> pairs;
    private transient MapState<Long, Calibration> versions;
    private transient ValueState<CalibrationStatus> status;
    private transient Counter corrected;
    private transient Counter events;

    public CalibrationCorrection(CalibrationRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        pendingReadings = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-readings", Types.LONG,
                Types.LIST(TypeInformation.of(DataPoint.class))));
        pendingReferences = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-references", Types.LONG,
                Types.LIST(TypeInformation.of(ReferenceMeasurement.class))));
        recentReadings = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("recent-readings", Types.LONG, Types.DOUBLE));
        pairs = getRuntimeContext().getMapState(new MapStateDescriptor<>("reference-pairs", Types.STRING,
                TypeInformation.of(ReferencePair.class)));
        versions = getRuntimeContext().getMapState(new MapStateDescriptor<>("versions", Types.LONG,
                TypeInformation.of(Calibration.class)));
        status = getRuntimeContext().getState(
                new ValueStateDescriptor<>("calibration-status", TypeInformation.of(CalibrationStatus.class)));
        corrected = getRuntimeContext().getMetricGroup().counter("calibratedPoints");
        events = getRuntimeContext().getMetricGroup().counter("calibrationEvents");
    }

    @Override
    public void processElement1(DataPoint point, Context ctx, Collector<DataPoint> out) throws Exception {
        if (!rules.calibrates(point.metric)) {
            out.collect(point);
            return;
        }
        long t = point.eventTimeMillis();
        if (t <= ctx.timerService().currentWatermark()) {
            DataPoint p = point.copy();
            if (pairable(p)) recentReadings.put(t, p.value);
            correct(p, versionAt(t));
            touch(t, ctx);
            out.collect(p);
            return;
        }
        List<DataPoint> atTime = pendingReadings.get(t);
        if (atTime == null) atTime = new ArrayList<>();
        atTime.add(point);
        pendingReadings.put(t, atTime);
        ctx.timerService().registerEventTimeTimer(t + tolerance(point.metric));
        touch(t, ctx);
    }

    @Override
    public void processElement2(ReferenceMeasurement reference, Context ctx, Collector<DataPoint> out) throws Exception {
        if (!rules.calibrates(reference.metric) || (reference.value == null && reference.slope == null)) {
            CalibrationEvent e = event(Type.REFERENCE_IGNORED, reference.userId, reference.deviceId, reference.metric,
                    reference.time, null);
            ObjectNode d = details(reference);
            d.put("reason", rules.calibrates(reference.metric)
                    ? "the reference carries neither a value nor calibration parameters"
                    : "metric " + reference.metric + " is not calibrated (calibration.metrics=" + rules.metrics() + ")");
            e.details = d.toString();
            emit(ctx, e);
            return;
        }
        long t = reference.time.toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        // On time while its own timer is ahead: every reading from its time on is still pending
        // (they wait for t' + tolerance > watermark) and the ones before are remembered, so a
        // reference up to one tolerance behind the watermark is applied exactly as in a backfill.
        if (t + tolerance(reference.metric) <= watermark) {
            ReferencePair known = pairs.get(reference.id);
            // A vendor re-sending a page repeats references already applied: nothing new to learn.
            if (known != null && known.referenceTime == t && reference.value != null
                    && known.referenceValue == reference.value) {
                return;
            }
            processLateReference(reference, watermark, ctx);
            touch(t, ctx);
            return;
        }
        List<ReferenceMeasurement> atTime = pendingReferences.get(t);
        if (atTime == null) atTime = new ArrayList<>();
        atTime.add(reference);
        pendingReferences.put(t, atTime);
        ctx.timerService().registerEventTimeTimer(t + tolerance(reference.metric));
        touch(t, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DataPoint> out) throws Exception {
        CalibrationStatus s = status.value();
        if (s == null) return;
        long tolerance = tolerance(s.metric);
        long t = timestamp - tolerance;
        List<ReferenceMeasurement> refs = pendingReferences.get(t);
        if (refs != null) {
            pendingReferences.remove(t);
            processReferences(s, t, t, refs, ctx);
        }
        List<DataPoint> due = pendingReadings.get(t);
        if (due != null) {
            pendingReadings.remove(t);
            // Same-time readings in a fixed order, so the result does not depend on arrival order.
            due.sort(Comparator.comparing((DataPoint p) -> p.id).thenComparingInt(p -> p.revision));
            for (DataPoint p : due) {
                out.collect(processReading(s, p.copy(), ctx));
            }
        }
        // Only references processed at or after this timer can still pair: they are at least at
        // timestamp - tolerance, and pair with readings from timestamp - 2 * tolerance on.
        List<Long> old = new ArrayList<>();
        for (Long time : recentReadings.keys()) {
            if (time < timestamp - 2 * tolerance) old.add(time);
        }
        for (Long time : old) recentReadings.remove(time);
        status.update(s);
        expire(s, timestamp);
    }

    // ---- readings

    private DataPoint processReading(CalibrationStatus s, DataPoint p, Context ctx) throws Exception {
        long t = p.eventTimeMillis();
        s.userId = p.userId;
        if (p.deviceModel != null) s.deviceModel = p.deviceModel;
        if (!p.hasFlag(QualityFlag.INTERPOLATED)) {
            if (s.lastReadingTime == null || t - s.lastReadingTime >= rules.sessionGap().toMillis()) {
                startSession(s, p, ctx);
            }
            s.lastReadingTime = s.lastReadingTime == null ? t : Math.max(t, s.lastReadingTime);
            checkSchedule(s, p, ctx);
        }
        if (pairable(p)) recentReadings.put(t, p.value);
        correct(p, s.current != null && s.current.covers(t) ? s.current : versionAt(t));
        return p;
    }

    private void startSession(CalibrationStatus s, DataPoint p, Context ctx) {
        long t = p.eventTimeMillis();
        Duration warmup = rules.warmup(s.deviceModel);
        boolean first = s.lastReadingTime == null;
        s.sessionStart = t;
        s.warmupUntil = warmup.isZero() ? null : t + warmup.toMillis();
        long anchor = t + warmup.toMillis();
        if (s.scheduleAnchor == null || anchor > s.scheduleAnchor) {
            s.scheduleAnchor = anchor;
            s.dueReported = false;
            s.overdueReported = false;
        }
        if (warmup.isZero()) return;
        CalibrationEvent e = event(Type.WARMUP, s.userId, s.deviceId, s.metric, p.startTime, s.current);
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("device_model", s.deviceModel);
        d.put("warmup_until", Instant.ofEpochMilli(s.warmupUntil).toString());
        d.put("reason", first ? "first reading of the series: a new sensor session as far as the pipeline can tell"
                : "first reading after " + Duration.ofMillis(t - s.lastReadingTime).toMinutes()
                        + " min without readings: a new sensor session");
        e.details = d.toString();
        emit(ctx, e);
    }

    private void checkSchedule(CalibrationStatus s, DataPoint p, Context ctx) {
        CalibrationRules.Schedule schedule = rules.schedule(s.deviceModel);
        long t = p.eventTimeMillis();
        if (schedule == null || s.scheduleAnchor == null || inWarmup(s, t)) return;
        long dueAt = s.scheduleAnchor + schedule.due().toMillis();
        long overdueAt = s.scheduleAnchor + schedule.overdue().toMillis();
        if (!s.dueReported && t >= dueAt) {
            s.dueReported = true;
            scheduleEvent(Type.CALIBRATION_DUE, s, dueAt, schedule, ctx);
        }
        if (!s.overdueReported && t >= overdueAt) {
            s.overdueReported = true;
            scheduleEvent(Type.CALIBRATION_OVERDUE, s, overdueAt, schedule, ctx);
        }
    }

    private void scheduleEvent(Type type, CalibrationStatus s, long at, CalibrationRules.Schedule schedule, Context ctx) {
        CalibrationEvent e = event(type, s.userId, s.deviceId, s.metric, Instant.ofEpochMilli(at), s.current);
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("device_model", s.deviceModel);
        d.put("counted_from", Instant.ofEpochMilli(s.scheduleAnchor).toString());
        d.put("due_after", schedule.due().toString());
        d.put("overdue_after", schedule.overdue().toString());
        d.put("reason", (type == Type.CALIBRATION_DUE ? "due: " : "overdue: ") + "no calibration for "
                + Duration.ofMillis(at - s.scheduleAnchor).toHours() + " h since " + Instant.ofEpochMilli(s.scheduleAnchor));
        e.details = d.toString();
        emit(ctx, e);
    }

    private static boolean inWarmup(CalibrationStatus s, long t) {
        return s.warmupUntil != null && t < s.warmupUntil;
    }

    /** Applies {@code version}, if any, to a reading that is a measurement; the raw value stays as it was. */
    private void correct(DataPoint p, Calibration version) {
        if (version == null || !correctable(p)) return;
        p.value = version.apply(p.value);
        p.calibrationId = version.id;
        p.withFlag(QualityFlag.CALIBRATED);
        corrected.inc();
    }

    private static boolean correctable(DataPoint p) {
        return p.value != null && !p.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH) && !p.hasFlag(QualityFlag.SENSOR_LIMIT_LOW)
                && !p.hasFlag(QualityFlag.OUT_OF_RANGE);
    }

    private static boolean pairable(DataPoint p) {
        return correctable(p) && !p.hasFlag(QualityFlag.INTERPOLATED) && !p.hasFlag(QualityFlag.TIMESTAMP_SUSPECT)
                && !p.hasFlag(QualityFlag.CALIBRATED);
    }

    // ---- references

    private void processLateReference(ReferenceMeasurement r, long watermark, Context ctx) throws Exception {
        CalibrationStatus s = statusFor(r.userId, r.deviceId, r.metric);
        long t = r.time.toEpochMilli();
        long firstUnwritten = watermark - tolerance(r.metric) + 1;
        long validFrom = Math.max(t, firstUnwritten);
        if (s.current != null) validFrom = Math.max(validFrom, s.current.validFrom.toEpochMilli() + 1);
        CalibrationEvent e = event(Type.LATE_REFERENCE, r.userId, r.deviceId, r.metric, r.time, null);
        ObjectNode d = details(r);
        d.put("watermark", Instant.ofEpochMilli(watermark).toString());
        d.put("valid_from", Instant.ofEpochMilli(validFrom).toString());
        // validFrom > t always here: the watermark is at least a tolerance past the reference's time.
        d.put("reason", "arrived after readings from its time were written; they are not rewritten, its correction"
                + " applies from valid_from on (a backfill applies it from its own time)");
        String lateDetails = d.toString();
        Calibration opened = processReferences(s, t, validFrom, List.of(r), ctx);
        e.calibrationId = opened == null ? null : opened.id;
        e.details = lateDetails;
        emit(ctx, e);
        status.update(s);
    }

    /**
     * The references of time {@code t}: pairs them, refits and opens a version valid from
     * {@code validFrom}, and evaluates drift. Returns the version opened, or null.
     */
    private Calibration processReferences(CalibrationStatus s, long t, long validFrom, List<ReferenceMeasurement> refs,
                                          Context ctx) throws Exception {
        refs = distinct(refs);
        Instant time = Instant.ofEpochMilli(t);
        ReferenceMeasurement deviceCalibration = null;
        List<ReferencePair> fresh = new ArrayList<>();
        for (ReferenceMeasurement r : refs) {
            s.userId = r.userId;
            if (r.value == null) {
                deviceCalibration = r;
                CalibrationEvent e = event(Type.DEVICE_CALIBRATED, r.userId, r.deviceId, r.metric, time, s.current);
                ObjectNode d = details(r);
                d.put("reason", "the sensor's own calibration changed: earlier pairs no longer describe it, the"
                        + " correction restarts from identity");
                e.details = d.toString();
                emit(ctx, e);
                continue;
            }
            if (r.value <= 0) {
                CalibrationEvent e = event(Type.REFERENCE_IGNORED, r.userId, r.deviceId, r.metric, time, s.current);
                ObjectNode d = details(r);
                d.put("reason", "a reference must be positive to measure a relative difference");
                e.details = d.toString();
                emit(ctx, e);
                continue;
            }
            long[] nearest = nearestReading(t, tolerance(r.metric));
            if (nearest == null) {
                CalibrationEvent e = event(Type.REFERENCE_UNPAIRED, r.userId, r.deviceId, r.metric, time, s.current);
                ObjectNode d = details(r);
                d.put("tolerance", Duration.ofMillis(tolerance(r.metric)).toString());
                d.put("reason", "no usable reading within the tolerance of the reference's time");
                e.details = d.toString();
                emit(ctx, e);
                continue;
            }
            long readingTime = nearest[0];
            double device = Double.longBitsToDouble(nearest[1]);
            Calibration then = versionAt(readingTime);
            double published = then == null ? device : then.apply(device);
            ReferencePair pair = new ReferencePair(r.id, t, r.value, readingTime, device, published, r.source,
                    inWarmup(s, t));
            pairs.put(r.id, pair);
            fresh.add(pair);
        }
        if (deviceCalibration != null) {
            List<String> before = new ArrayList<>();
            for (Map.Entry<String, ReferencePair> e : pairs.entries()) {
                if (e.getValue().referenceTime < t) before.add(e.getKey());
            }
            for (String id : before) pairs.remove(id);
        }
        if (fresh.isEmpty() && deviceCalibration == null) return null;

        List<ReferencePair> window = window();
        RobustFit.Fit fit = window.isEmpty()
                ? new RobustFit.Fit(1, 0, null, 0, "identity")
                : fitOf(window);
        Calibration version = new Calibration();
        version.id = Calibration.id(s.deviceId, s.metric, time);
        version.userId = s.userId;
        version.deviceId = s.deviceId;
        version.metric = s.metric;
        version.scale = fit.scale();
        version.offset = fit.offset();
        version.validFrom = Instant.ofEpochMilli(validFrom);
        version.fitQuality = fit.quality();
        version.pairs = fit.pairs();
        TreeSet<String> sources = new TreeSet<>();
        for (ReferencePair p : window) sources.add(p.source);
        if (sources.isEmpty()) sources.add(deviceCalibration.source);
        version.source = String.join(",", sources);
        Calibration previous = s.current;
        if (previous != null) {
            Calibration closed = previous.copy();
            closed.validTo = version.validFrom;
            versions.put(closed.validFrom.toEpochMilli(), closed);
            ctx.output(CalibrationOutputs.VERSIONS, closed);
        }
        versions.put(validFrom, version);
        ctx.output(CalibrationOutputs.VERSIONS, version);
        s.current = version;
        if (s.scheduleAnchor == null || t > s.scheduleAnchor) {
            s.scheduleAnchor = t;
            s.dueReported = false;
            s.overdueReported = false;
        }

        Accuracy accuracy = accuracy(window);
        CalibrationEvent applied = event(Type.CALIBRATION_APPLIED, s.userId, s.deviceId, s.metric, time, version);
        withAccuracy(applied, accuracy);
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("scale", version.scale);
        d.put("offset", version.offset);
        d.put("method", fit.method());
        d.put("pairs", fit.pairs());
        if (fit.quality() == null) d.putNull("fit_quality");
        else d.put("fit_quality", fit.quality());
        d.put("valid_from", version.validFrom.toString());
        d.put("previous_calibration_id", previous == null ? null : previous.id);
        ArrayNode refsNode = d.putArray("references");
        for (ReferencePair p : fresh) {
            refsNode.addObject().put("source", p.source).put("reference", p.referenceValue)
                    .put("reading_time", Instant.ofEpochMilli(p.readingTime).toString())
                    .put("device_value", p.deviceValue).put("published_value", p.publishedValue)
                    .put("warmup", p.warmup);
        }
        applied.details = d.toString();
        emit(ctx, applied);

        boolean counts = fresh.stream().anyMatch(p -> !p.warmup);
        if (accuracy != null && counts && accuracy.pairs() >= rules.minDriftPairs()) {
            evaluateDrift(s, time, accuracy, version, fit, ctx);
        }
        return version;
    }

    /**
     * The references of one time, one per id (a re-sent page repeats them), in a fixed order; of
     * two versions of one id the larger value, so the choice does not depend on arrival order.
     */
    private static List<ReferenceMeasurement> distinct(List<ReferenceMeasurement> refs) {
        List<ReferenceMeasurement> sorted = new ArrayList<>(refs);
        sorted.sort(Comparator.comparing((ReferenceMeasurement r) -> r.id)
                .thenComparing(r -> r.value, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<ReferenceMeasurement> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (i + 1 < sorted.size() && sorted.get(i + 1).id.equals(sorted.get(i).id)) continue;
            out.add(sorted.get(i));
        }
        return out;
    }

    private void evaluateDrift(CalibrationStatus s, Instant time, Accuracy accuracy, Calibration version,
                               RobustFit.Fit fit, Context ctx) {
        double maxMard = rules.maxMard(s.metric);
        double maxBias = rules.maxBias(s.metric);
        boolean drifting = accuracy.drifting(maxMard, maxBias);
        Type type;
        if (drifting && !s.drifting) {
            type = Type.DRIFT_DETECTED;
            s.drifting = true;
            s.recommended = false;
        } else if (drifting && !s.recommended) {
            type = Type.RECALIBRATION_RECOMMENDED;
            s.recommended = true;
        } else if (!drifting && s.drifting) {
            type = Type.DRIFT_RESOLVED;
            s.drifting = false;
            s.recommended = false;
        } else {
            return;
        }
        CalibrationEvent e = event(type, s.userId, s.deviceId, s.metric, time, version);
        withAccuracy(e, accuracy);
        ObjectNode d = Json.mapper().createObjectNode();
        String reason;
        if (!drifting) {
            reason = String.format("MARD %.2f %% and bias %+.2f %% over the last %d references are within %.1f %% and"
                    + " +-%.1f %%", accuracy.mard(), accuracy.bias(), accuracy.pairs(), maxMard, maxBias);
        } else {
            List<String> why = new ArrayList<>();
            if (accuracy.mard() > maxMard) {
                why.add(String.format("MARD %.2f %% above %.1f %%", accuracy.mard(), maxMard));
            }
            if (Math.abs(accuracy.bias()) > maxBias) {
                why.add(String.format("bias %+.2f %% beyond +-%.1f %%", accuracy.bias(), maxBias));
            }
            reason = String.join(" and ", why) + " over the last " + accuracy.pairs() + " references"
                    + (type == Type.RECALIBRATION_RECOMMENDED
                    ? "; still drifting at the next reference: recalibrate the device (or replace the sensor)" : "");
        }
        d.put("reason", reason);
        d.put("max_mard", maxMard);
        d.put("max_bias", maxBias);
        d.put("pairs", accuracy.pairs());
        if (type != Type.DRIFT_RESOLVED) {
            ObjectNode estimate = d.putObject("estimated_correction");
            estimate.put("scale", fit.scale());
            estimate.put("offset", fit.offset());
            estimate.put("method", fit.method());
            estimate.put("applied_as", version.id);
        }
        e.details = d.toString();
        emit(ctx, e);
    }

    /** The pairs a fit and the drift statistics use: the newest {@code window-pairs} within the window. */
    private List<ReferencePair> window() throws Exception {
        List<ReferencePair> all = new ArrayList<>();
        for (ReferencePair p : pairs.values()) all.add(p);
        all.sort(Comparator.comparingLong((ReferencePair p) -> p.referenceTime).thenComparing(p -> p.referenceId));
        if (all.isEmpty()) return all;
        long newest = all.get(all.size() - 1).referenceTime;
        long from = newest - rules.window().toMillis();
        List<String> expired = new ArrayList<>();
        List<ReferencePair> recent = new ArrayList<>();
        for (ReferencePair p : all) {
            if (p.referenceTime <= from) expired.add(p.referenceId);
            else recent.add(p);
        }
        for (String id : expired) pairs.remove(id);
        int n = recent.size();
        return new ArrayList<>(recent.subList(Math.max(0, n - rules.windowPairs()), n));
    }

    private RobustFit.Fit fitOf(List<ReferencePair> window) {
        double[] device = new double[window.size()];
        double[] reference = new double[window.size()];
        for (int i = 0; i < window.size(); i++) {
            device[i] = window.get(i).deviceValue;
            reference[i] = window.get(i).referenceValue;
        }
        return RobustFit.fit(device, reference, rules.minScale(), rules.maxScale(), rules.minSpread());
    }

    private Accuracy accuracy(List<ReferencePair> window) {
        List<ReferencePair> counted = new ArrayList<>();
        for (ReferencePair p : window) if (!p.warmup) counted.add(p);
        int n = counted.size();
        return Accuracy.of(counted.subList(Math.max(0, n - rules.driftPairs()), n));
    }

    /**
     * The usable reading nearest to {@code t} within {@code tolerance}, among those remembered and
     * those still pending, as {time, value bits}; on a tie the earlier one. Null if none.
     */
    private long[] nearestReading(long t, long tolerance) throws Exception {
        long bestTime = 0;
        Double bestValue = null;
        for (Map.Entry<Long, Double> e : recentReadings.entries()) {
            long time = e.getKey();
            if (better(time, t, tolerance, bestValue == null ? null : bestTime)) {
                bestTime = time;
                bestValue = e.getValue();
            }
        }
        for (Map.Entry<Long, List<DataPoint>> e : pendingReadings.entries()) {
            long time = e.getKey();
            List<DataPoint> atTime = new ArrayList<>(e.getValue());
            atTime.sort(Comparator.comparing((DataPoint p) -> p.id).thenComparingInt(p -> p.revision));
            for (DataPoint p : atTime) {
                if (pairable(p) && better(time, t, tolerance, bestValue == null ? null : bestTime)) {
                    bestTime = time;
                    bestValue = p.value;
                }
            }
        }
        return bestValue == null ? null : new long[] {bestTime, Double.doubleToLongBits(bestValue)};
    }

    private static boolean better(long time, long t, long tolerance, Long best) {
        long distance = Math.abs(time - t);
        if (distance > tolerance) return false;
        if (best == null) return true;
        long bestDistance = Math.abs(best - t);
        return distance < bestDistance || (distance == bestDistance && time < best);
    }

    /** The version in force at {@code t}, or null. */
    private Calibration versionAt(long t) throws Exception {
        Calibration found = null;
        for (Calibration c : versions.values()) {
            if (c.covers(t) && (found == null || c.validFrom.isAfter(found.validFrom))) found = c;
        }
        return found;
    }

    // ---- bookkeeping

    private CalibrationStatus statusFor(String userId, String deviceId, String metric) throws Exception {
        CalibrationStatus s = status.value();
        if (s == null) {
            s = new CalibrationStatus();
            s.deviceId = deviceId;
            s.metric = metric;
        }
        if (userId != null) s.userId = userId;
        return s;
    }

    /** Records activity at {@code t} and registers the timer that clears the key once it is quiet. */
    private void touch(long t, Context ctx) throws Exception {
        CalibrationStatus s = status.value();
        if (s == null) {
            String[] key = ctx.getCurrentKey().split("\\|", 2);
            s = new CalibrationStatus();
            s.deviceId = key[0];
            s.metric = key.length > 1 ? key[1] : null;
        }
        s.lastActivity = Math.max(s.lastActivity, t);
        status.update(s);
        long at = t + rules.stateRetention().toMillis();
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(at, HOUR) * HOUR + HOUR);
    }

    /** Clears the key when it has been quiet for the retention, else drops versions closed before it. */
    private void expire(CalibrationStatus s, long timestamp) throws Exception {
        long retention = rules.stateRetention().toMillis();
        if (s.lastActivity + retention <= timestamp && pendingReadings.isEmpty() && pendingReferences.isEmpty()) {
            pendingReadings.clear();
            pendingReferences.clear();
            recentReadings.clear();
            pairs.clear();
            versions.clear();
            status.clear();
            return;
        }
        List<Long> old = new ArrayList<>();
        for (Calibration c : versions.values()) {
            if (c.validTo != null && c.validTo.toEpochMilli() + retention <= timestamp) old.add(c.validFrom.toEpochMilli());
        }
        for (Long from : old) versions.remove(from);
    }

    private long tolerance(String metric) {
        return rules.tolerance(metric).toMillis();
    }

    private static CalibrationEvent event(Type type, String userId, String deviceId, String metric, Instant time,
                                          Calibration version) {
        CalibrationEvent e = CalibrationEvent.of(type, userId, deviceId, metric, time);
        e.calibrationId = version == null ? null : version.id;
        return e;
    }

    private static void withAccuracy(CalibrationEvent e, Accuracy accuracy) {
        if (accuracy == null) return;
        e.mard = accuracy.mard();
        e.bias = accuracy.bias();
    }

    private static ObjectNode details(ReferenceMeasurement r) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("reference_id", r.id);
        d.put("source", r.source);
        d.put("reference_time", r.time.toString());
        if (r.value != null) d.put("reference", r.value);
        if (r.slope != null) d.put("slope", r.slope);
        if (r.intercept != null) d.put("intercept", r.intercept);
        if (r.scale != null) d.put("scale", r.scale);
        return d;
    }

    private void emit(Context ctx, CalibrationEvent e) {
        events.inc();
        ctx.output(CalibrationOutputs.EVENTS, e);
    }
}
