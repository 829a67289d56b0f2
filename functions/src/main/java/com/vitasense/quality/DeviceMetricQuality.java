package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.QualityIssue.Severity;
import com.vitasense.records.QualityRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The data-quality rules of one device's metric, keyed by (device, metric) like
 * {@link ReadingAdmission}.
 *
 * <p>Readings are held until the watermark passes their time and are then checked in event-time
 * order, so every rule that compares a reading with the previous one (jumps, gaps, the outlier
 * detector) sees the same sequence in streaming and in a batch backfill, and gives the same
 * answer. The price is latency: a reading is written once the watermark passes it, i.e. after the
 * configured out-of-orderness. A LATE reading (already behind the watermark) is checked on its own
 * and passed on at once; it does not rewrite the series' history.
 *
 * <p>Thresholds are the {@link QualityRules} for the reading's metric and its device model.
 *
 * <p>Per reading, in order: timestamp sanity (future beyond the clock skew, long before the series
 * was first seen), plausible range, gap to the previous reading (short gaps filled with INTERPOLATED
 * points, never across a sensor-limit or implausible value; long gaps reported), physiologically
 * impossible jump from the last accepted value (beyond the metric's plausible rate of change), and the adaptive outlier score. Every finding flags
 * the point and goes to {@link QualityOutputs#ISSUES}. Received readings per hour go to {@link QualityOutputs#COMPLETENESS}
 * when the hour closes (again if a late reading changes the count).
 *
 * <p>State: the pending readings (until the watermark passes them), a small {@link SeriesState},
 * the detector state and the open hour counts. A series quiet for the rules' state retention is
 * cleared by an event-time timer.
 */
public class DeviceMetricQuality extends KeyedProcessFunction<String, DataPoint, DataPoint> {
    private static final long serialVersionUID = 1L;

    static final long HOUR = Duration.ofHours(1).toMillis();
    /** Hours without a single reading inside one gap are reported up to this many. */
    static final int MAX_EMPTY_HOURS_REPORTED = 24 * 7;
    /** Jumps are only measured against a reading at most this far back. */
    static final long JUMP_HORIZON = Duration.ofHours(1).toMillis();
    /** After this many impossible jumps in a row the new level is accepted as real. */
    static final int JUMPS_BEFORE_REANCHOR = 3;

    private final QualityRules rules;
    private final PlausibilityCheck plausibility;

    private transient MapState<Long, List<DataPoint>> pending;
    private transient ValueState<SeriesState> series;
    private transient ValueState<DetectorState> detectorState;
    private transient MapState<Long, Integer> hourCounts;
    private transient Counter issues;
    private transient Counter interpolated;
    private transient Counter superseded;

    public DeviceMetricQuality(QualityRules rules) {
        this.rules = rules;
        this.plausibility = new PlausibilityCheck(rules.ranges());
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-readings", Types.LONG,
                Types.LIST(TypeInformation.of(DataPoint.class))));
        series = getRuntimeContext().getState(new ValueStateDescriptor<>("series", TypeInformation.of(SeriesState.class)));
        detectorState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("outlier-detector", TypeInformation.of(DetectorState.class)));
        hourCounts = getRuntimeContext().getMapState(new MapStateDescriptor<>("hour-counts", Types.LONG, Types.INT));
        issues = getRuntimeContext().getMetricGroup().counter("qualityIssues");
        interpolated = getRuntimeContext().getMetricGroup().counter("interpolatedPoints");
        superseded = getRuntimeContext().getMetricGroup().counter("supersededVersions");
    }

    @Override
    public void processElement(DataPoint point, Context ctx, Collector<DataPoint> out) throws Exception {
        long t = point.eventTimeMillis();
        // A reading dated in the future would wait for the watermark until that future comes (the
        // watermark does not follow it, see ReadingWatermarks): it is checked and passed on now.
        if (t <= ctx.timerService().currentWatermark() || isFuture(point)) {
            checkLate(point.copy(), ctx, out);
            return;
        }
        List<DataPoint> atTime = pending.get(t);
        if (atTime == null) atTime = new ArrayList<>();
        atTime.add(point);
        pending.put(t, atTime);
        // Every timer is registered here, never while timers fire: in batch mode timers registered
        // during the final firing are dropped, and the modes would part ways.
        ctx.timerService().registerEventTimeTimer(t);
        if (rules.expectedInterval(point.vendor, point.metric, point.deviceModel) != null) {
            long hourEnd = Math.floorDiv(t, HOUR) * HOUR + HOUR;
            ctx.timerService().registerEventTimeTimer(hourEnd);
            ctx.timerService().registerEventTimeTimer(hourEnd + rules.stateRetention().toMillis());
        }
        scheduleCleanup(t, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DataPoint> out) throws Exception {
        List<DataPoint> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            // Same-time readings in a fixed order, so the result does not depend on arrival order.
            due.sort(Comparator.comparing((DataPoint p) -> p.id).thenComparingInt(p -> p.revision));
            for (int i = 0; i < due.size(); i++) {
                DataPoint p = due.get(i);
                // Of the versions of one reading only the last revision is a reading of the series:
                // checking each would count it twice and report its issues once per version, under
                // one issue id, leaving whichever write came last.
                if (i + 1 < due.size() && due.get(i + 1).id.equals(p.id)) {
                    superseded.inc();
                    continue;
                }
                // Hour-close timers before this one have fired; the one at this time fires below.
                check(p.copy(), timestamp - 1, ctx, out);
            }
        }
        closeHours(timestamp, ctx);
        SeriesState s = series.value();
        if (s != null && s.lastTime != null && s.lastTime + rules.stateRetention().toMillis() <= timestamp
                && pending.isEmpty() && hourCounts.isEmpty()) {
            series.clear();
            detectorState.clear();
        }
    }

    /** @param closedThrough hours ending at or before this time have been emitted already */
    private void check(DataPoint p, long closedThrough, Context ctx, Collector<DataPoint> out) throws Exception {
        SeriesState s = seriesOf(p);
        long t = p.eventTimeMillis();
        checkTimestamp(p, s, ctx);
        boolean usable = checkRange(p, ctx);
        if (p.hasFlag(QualityFlag.TIMESTAMP_SUSPECT)) {
            // A reading whose time cannot be trusted cannot be placed in the series either.
            series.update(s);
            out.collect(p);
            return;
        }
        Duration interval = rules.expectedInterval(p.vendor, p.metric, p.deviceModel);

        if (interval != null) {
            fillOrReportGap(p, s, usable, interval, ctx, out);
            count(p, t, interval, closedThrough, ctx);
        }
        if (usable) {
            checkJump(p, s, ctx);
            score(p, ctx);
        } else if (p.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH) || p.hasFlag(QualityFlag.SENSOR_LIMIT_LOW)) {
            // The true value is somewhere beyond the limit: no reference for the next jump.
            s.anchorTime = null;
            s.anchorValue = null;
            s.consecutiveJumps = 0;
        }
        s.lastTime = t;
        s.lastValue = usable ? p.value : null;
        s.lastUsable = usable;
        series.update(s);
        out.collect(p);
    }

    /**
     * A reading behind the watermark, or dated in the future: checked on its own, without touching
     * the series' history.
     */
    private void checkLate(DataPoint p, Context ctx, Collector<DataPoint> out) throws Exception {
        SeriesState s = seriesOf(p);
        checkTimestamp(p, s, ctx);
        checkRange(p, ctx);
        series.update(s);
        Duration interval = rules.expectedInterval(p.vendor, p.metric, p.deviceModel);
        if (interval != null) {
            count(p, p.eventTimeMillis(), interval, ctx.timerService().currentWatermark(), ctx);
            long hourEnd = Math.floorDiv(p.eventTimeMillis(), HOUR) * HOUR + HOUR;
            ctx.timerService().registerEventTimeTimer(hourEnd + rules.stateRetention().toMillis());
        }
        scheduleCleanup(p.eventTimeMillis(), ctx);
        out.collect(p);
    }

    private boolean isFuture(DataPoint p) {
        return p.ingestedAt != null && p.eventTimeMillis() > p.ingestedAt.toEpochMilli() + rules.clockSkew().toMillis();
    }

    private SeriesState seriesOf(DataPoint p) throws Exception {
        SeriesState s = series.value();
        if (s == null) {
            s = new SeriesState();
            s.deviceId = p.deviceId;
            s.metric = p.metric;
        }
        s.userId = p.userId;
        s.vendor = p.vendor;
        s.deviceModel = p.deviceModel;
        return s;
    }

    private void checkTimestamp(DataPoint p, SeriesState s, Context ctx) {
        if (p.ingestedAt == null) return;
        long received = p.ingestedAt.toEpochMilli();
        long t = p.eventTimeMillis();
        if (t > received + rules.clockSkew().toMillis()) {
            p.withFlag(QualityFlag.TIMESTAMP_SUSPECT);
            issue(ctx, QualityIssue.about(p, QualityRule.FUTURE_TIMESTAMP, Severity.WARNING,
                    "reading time " + p.startTime + " is after its receipt at " + p.ingestedAt
                            + " by more than the clock-skew tolerance of " + rules.clockSkew(), ""));
        }
        s.firstSeen = s.firstSeen == null ? received : Math.min(s.firstSeen, received);
        if (t < s.firstSeen - rules.maxBackfill().toMillis()) {
            p.withFlag(QualityFlag.TIMESTAMP_SUSPECT);
            issue(ctx, QualityIssue.about(p, QualityRule.BEFORE_FIRST_SEEN, Severity.WARNING,
                    "reading time " + p.startTime + " is more than " + rules.maxBackfill().toDays()
                            + " days before the series was first seen at " + Instant.ofEpochMilli(s.firstSeen), ""));
        }
    }

    /** Flags an implausible value; true if the point is a usable measurement. */
    private boolean checkRange(DataPoint p, Context ctx) {
        if (p.value == null || p.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH) || p.hasFlag(QualityFlag.SENSOR_LIMIT_LOW)) {
            return false;
        }
        PlausibilityRanges.Range range = plausibility.violated(p);
        if (range != null) {
            p.withFlag(QualityFlag.OUT_OF_RANGE);
            p.anomalyScore = 1.0;
            issue(ctx, QualityIssue.about(p, QualityRule.OUT_OF_RANGE, Severity.WARNING,
                    p.metric + " " + p.value + " " + p.unit + " is outside the plausible range " + range, "")
                    .withExpected(range.min(), range.max()));
            return false;
        }
        return true;
    }

    private void fillOrReportGap(DataPoint p, SeriesState s, boolean usable, Duration interval, Context ctx,
                                 Collector<DataPoint> out) throws Exception {
        if (s.lastTime == null) return;
        long t = p.eventTimeMillis();
        long step = interval.toMillis();
        long gap = t - s.lastTime;
        if (gap * 2 <= step * 3) return; // within one and a half intervals: no reading is missing
        int missing = (int) Math.min(Integer.MAX_VALUE, Math.round((double) gap / step) - 1);
        if (missing < 1) return;
        if (missing <= rules.maxFillIntervals() && usable && s.lastUsable) {
            for (int k = 1; k <= missing; k++) {
                long at = s.lastTime + gap * k / (missing + 1);
                double value = s.lastValue + (p.value - s.lastValue) * k / (missing + 1);
                out.collect(interpolatedPoint(p, at, value));
                interpolated.inc();
            }
            return;
        }
        String why = missing <= rules.maxFillIntervals()
                ? "; not interpolated because a neighbour is a sensor limit or not a plausible measurement" : "";
        Severity severity = gap >= HOUR ? Severity.WARNING : Severity.INFO;
        issue(ctx, QualityIssue.about(p, QualityRule.DATA_GAP, severity,
                "no reading for " + Duration.ofMillis(gap).toMinutes() + " min before this one (expected every "
                        + interval.toMinutes() + " min; " + missing + " missing)" + why, ""));
        emitEmptyHours(p, s.lastTime, t, interval, ctx);
    }

    private DataPoint interpolatedPoint(DataPoint next, long at, double value) {
        DataPoint i = new DataPoint();
        Instant time = Instant.ofEpochMilli(at);
        i.id = Ids.hash("interpolated", next.userId, next.deviceId, next.metric, time.toString());
        i.revision = 1;
        i.userId = next.userId;
        i.deviceId = next.deviceId;
        i.vendor = next.vendor;
        i.deviceModel = next.deviceModel;
        i.metric = next.metric;
        i.value = value;
        i.unit = next.unit;
        i.startTime = time;
        i.endTime = time;
        i.timeSource = next.timeSource;
        i.ingestedAt = next.ingestedAt;
        i.withFlag(QualityFlag.INTERPOLATED);
        return i;
    }

    private void checkJump(DataPoint p, SeriesState s, Context ctx) {
        QualityRules.JumpLimit limit = rules.jumpLimit(p.metric, p.deviceModel);
        long t = p.eventTimeMillis();
        if (limit == null || s.anchorTime == null || t - s.anchorTime > JUMP_HORIZON) {
            anchor(s, p);
            return;
        }
        double allowed = limit.allowed(t - s.anchorTime);
        double change = p.value - s.anchorValue;
        if (Math.abs(change) <= allowed) {
            anchor(s, p);
            return;
        }
        p.withFlag(QualityFlag.IMPOSSIBLE_JUMP);
        issue(ctx, QualityIssue.about(p, QualityRule.IMPOSSIBLE_JUMP, Severity.WARNING,
                String.format("%s changed by %+.1f %s in %d s from %.1f; at most %.1f is plausible",
                        p.metric, change, p.unit, (t - s.anchorTime) / 1000, s.anchorValue, allowed), "")
                .withExpected(s.anchorValue - allowed, s.anchorValue + allowed));
        if (++s.consecutiveJumps >= JUMPS_BEFORE_REANCHOR) {
            anchor(s, p);
        }
    }

    private static void anchor(SeriesState s, DataPoint p) {
        s.anchorTime = p.eventTimeMillis();
        s.anchorValue = p.value;
        s.consecutiveJumps = 0;
    }

    private void score(DataPoint p, Context ctx) throws Exception {
        OutlierDetector detector = OutlierDetector.forMetric(p.metric);
        DetectorState state = detectorState.value();
        if (state == null) state = new DetectorState();
        double score = detector.score(state, p.eventTimeMillis(), p.value);
        detectorState.update(state);
        p.anomalyScore = score;
        if (detector.isOutlier(score)) {
            p.withFlag(QualityFlag.OUTLIER);
            issue(ctx, QualityIssue.about(p, QualityRule.OUTLIER, Severity.WARNING,
                    String.format("%s %.1f %s is unusual for this device (anomaly score %.3f, threshold %.3f)",
                            p.metric, p.value, p.unit, score, detector.threshold()), ""));
        }
    }

    /** Counts a received reading in its hour; a count for an hour already closed is re-emitted at once. */
    private void count(DataPoint p, long t, Duration interval, long closedThrough, Context ctx) throws Exception {
        long hour = Math.floorDiv(t, HOUR) * HOUR;
        Integer before = hourCounts.get(hour);
        int now = before == null ? 1 : before + 1;
        hourCounts.put(hour, now);
        // Decided by which timers have fired, not by the watermark: in batch mode the watermark is
        // already at its end while the timers still fire one by one.
        if (hour + HOUR <= closedThrough) {
            ctx.output(QualityOutputs.COMPLETENESS, completeness(p, hour, interval, now));
        }
    }

    private void emitEmptyHours(DataPoint p, long from, long to, Duration interval, Context ctx) {
        long firstEmpty = Math.floorDiv(from, HOUR) * HOUR + HOUR;
        long lastHour = Math.floorDiv(to, HOUR) * HOUR;
        int reported = 0;
        for (long hour = firstEmpty; hour < lastHour && reported < MAX_EMPTY_HOURS_REPORTED; hour += HOUR, reported++) {
            ctx.output(QualityOutputs.COMPLETENESS, completeness(p, hour, interval, 0));
        }
    }

    private void closeHours(long timestamp, OnTimerContext ctx) throws Exception {
        SeriesState s = series.value();
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : hourCounts.entries()) {
            long hour = e.getKey();
            Duration interval = s == null ? null : rules.expectedInterval(s.vendor, s.metric, s.deviceModel);
            // No interval (the device's model changed to one without): the hour is not reported.
            if (hour + HOUR == timestamp && interval != null) {
                ctx.output(QualityOutputs.COMPLETENESS, new DeviceCompleteness(s.deviceId, s.metric, Instant.ofEpochMilli(hour),
                        s.userId, (int) (HOUR / interval.toMillis()), e.getValue()));
            }
            if (hour + HOUR + rules.stateRetention().toMillis() <= timestamp) expired.add(hour);
        }
        for (Long hour : expired) hourCounts.remove(hour);
    }

    private DeviceCompleteness completeness(DataPoint p, long hour, Duration interval, int received) {
        return new DeviceCompleteness(p.deviceId, p.metric, Instant.ofEpochMilli(hour), p.userId,
                (int) (HOUR / interval.toMillis()), received);
    }

    private void scheduleCleanup(long t, Context ctx) {
        long at = t + rules.stateRetention().toMillis();
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(at, HOUR) * HOUR + HOUR);
    }

    private void issue(Context ctx, QualityIssue issue) {
        issues.inc();
        ctx.output(QualityOutputs.ISSUES, issue);
    }
}
