package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.QualityRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Cross-device agreement, keyed by (user, metric): when two devices of one user measure the same
 * metric within the metric's agreement window (a watch and a ring both reading heart rate, two
 * CGMs) and their values differ by more than its tolerance, both readings are flagged
 * DEVICE_DISAGREEMENT and each gets a {@link QualityRule#DEVICE_DISAGREEMENT} issue naming the
 * other device.
 *
 * <p>A reading is held until the watermark passes its time plus the window, so that every reading
 * of the other devices that could pair with it has arrived: then both sides of a disagreement are
 * flagged, in streaming and in batch alike. Metrics without an agreement setting pass straight
 * through. A LATE reading is compared with what is still remembered and passed on at once; its
 * partner, already written, is not flagged again.
 *
 * <p>The readings a new one may pair with are kept in buckets one window wide, so a comparison
 * reads three buckets and a timer drops whole buckets, whatever else the key holds: in a batch
 * backfill, where every reading of the input is held until the end, looking through all of them
 * for each reading would make the stage quadratic.
 *
 * <p>State: a reading's own timer (its time plus the window) drops the buckets no pending reading
 * can pair with any more, but the last reading of a key leaves its bucket behind. So each bucket
 * also gets a cleanup timer, at the time a reading's timer would drop it ({@link #cleanupTime}):
 * once a (user, metric) key goes quiet, its last cleanup timer leaves it no state and no timer.
 * Like every timer here it is registered in {@code processElement}: in batch mode timers registered
 * while timers fire are dropped, and streaming and backfill would part ways.
 */
public class CrossDeviceAgreement extends KeyedProcessFunction<String, DataPoint, DataPoint> {
    private static final long serialVersionUID = 1L;

    /** Empty buckets walked at most when pruning; beyond, the present ones are listed instead. */
    static final int MAX_BUCKETS_WALKED = 64;

    private final QualityRules rules;

    /** Reading time -> readings waiting for the watermark to pass time + window. */
    private transient MapState<Long, List<DataPoint>> pending;
    /** Comparable readings by bucket (time / window): what later readings are compared with. */
    private transient MapState<Long, List<DataPoint>> recent;
    /** The lowest bucket that may still hold readings, so pruning never scans the map. */
    private transient ValueState<Long> lowestBucket;
    /**
     * Readings by exact time, as savepoints taken before the buckets hold them: still compared
     * with and pruned as before, and empty for good one window after such a restore.
     */
    private transient MapState<Long, List<DataPoint>> legacyRecent;

    public CrossDeviceAgreement(QualityRules rules) {
        this.rules = rules;
    }

    /** The key of a point: {@code userId|metric}. */
    public static String key(DataPoint p) {
        return PointKey.userMetric().getKey(p);
    }

    public static KeySelector<DataPoint, String> keySelector() {
        return PointKey.userMetric();
    }


    @Override
    public void open(OpenContext openContext) {
        TypeInformation<List<DataPoint>> list = Types.LIST(TypeInformation.of(DataPoint.class));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("agreement-pending", Types.LONG, list));
        recent = getRuntimeContext().getMapState(new MapStateDescriptor<>("agreement-recent-buckets", Types.LONG, list));
        lowestBucket = getRuntimeContext().getState(new ValueStateDescriptor<>("agreement-lowest-bucket", Types.LONG));
        legacyRecent = getRuntimeContext().getMapState(new MapStateDescriptor<>("agreement-recent", Types.LONG, list));
    }

    @Override
    public void processElement(DataPoint p, Context ctx, Collector<DataPoint> out) throws Exception {
        QualityRules.Agreement agreement = rules.agreement(p.metric);
        // A reading whose time is suspect pairs with nothing, and must not wait for its own time.
        if (agreement == null || p.hasFlag(QualityFlag.TIMESTAMP_SUSPECT)) {
            out.collect(p);
            return;
        }
        long t = p.eventTimeMillis();
        long window = agreement.window().toMillis();
        boolean comparable = comparable(p);
        if (t + window <= ctx.timerService().currentWatermark()) {
            DataPoint checked = p.copy();
            if (comparable) compare(checked, agreement, ctx);
            out.collect(checked);
            return;
        }
        add(pending, t, p);
        if (comparable) {
            long bucket = Math.floorDiv(t, window);
            add(recent, bucket, p);
            Long lowest = lowestBucket.value();
            if (lowest == null || bucket < lowest) lowestBucket.update(bucket);
            ctx.timerService().registerEventTimeTimer(cleanupTime(bucket, window));
        }
        ctx.timerService().registerEventTimeTimer(t + window);
    }

    /**
     * When {@code bucket} can go: the firing time of the first reading timer that would drop it.
     * A timer at {@code f} keeps the buckets from {@code floor((f - 2 window) / window)} on, so
     * bucket {@code b} goes at {@code (b + 3) window}; by then every reading it could pair with
     * (at most one window after its end) has been compared. Firing at exactly a reading timer's
     * time, it changes nothing a reading timer would not have done: batch and stream agree.
     */
    static long cleanupTime(long bucket, long window) {
        return (bucket + 3) * window;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DataPoint> out) throws Exception {
        String key = ctx.getCurrentKey();
        QualityRules.Agreement agreement = rules.agreement(key.substring(key.lastIndexOf('|') + 1));
        long window = agreement.window().toMillis();
        long t = timestamp - window;
        List<DataPoint> due = pending.get(t);
        if (due != null) {
            pending.remove(t);
            // Drop the key's map itself, not just its entries, so a quiet key leaves nothing behind.
            if (pending.isEmpty()) pending.clear();
            due.sort(Comparator.comparing((DataPoint p) -> p.id).thenComparingInt(p -> p.revision));
            for (DataPoint p : due) {
                DataPoint checked = p.copy();
                if (comparable(checked)) compare(checked, agreement, ctx);
                out.collect(checked);
            }
        }
        // Pending readings not yet due are at least t, and look back one window at most.
        prune(Math.floorDiv(t - window, window));
        if (!legacyRecent.isEmpty()) {
            List<Long> old = new ArrayList<>();
            for (Long time : legacyRecent.keys()) {
                if (time < t - window) old.add(time);
            }
            for (Long time : old) legacyRecent.remove(time);
            if (legacyRecent.isEmpty()) legacyRecent.clear();
        }
    }

    /** Drops the buckets below {@code keepFrom}, walking up from the lowest one present. */
    private void prune(long keepFrom) throws Exception {
        Long lowest = lowestBucket.value();
        if (lowest == null || lowest >= keepFrom) return;
        if (keepFrom - lowest > MAX_BUCKETS_WALKED) {
            // A long silence between readings: listing what is there beats walking the empty buckets.
            List<Long> old = new ArrayList<>();
            for (Long bucket : recent.keys()) {
                if (bucket < keepFrom) old.add(bucket);
            }
            for (Long bucket : old) recent.remove(bucket);
        } else {
            for (long bucket = lowest; bucket < keepFrom; bucket++) recent.remove(bucket);
        }
        if (recent.isEmpty()) {
            lowestBucket.clear();
            recent.clear();
        } else {
            lowestBucket.update(keepFrom);
        }
    }

    private void compare(DataPoint p, QualityRules.Agreement agreement, Context ctx) throws Exception {
        long t = p.eventTimeMillis();
        long window = agreement.window().toMillis();
        // The closest reading of every other device within the window.
        // Ties are broken by id in closer(), so the pick does not depend on the order read.
        Map<String, DataPoint> closest = new TreeMap<>();
        long bucket = Math.floorDiv(t, window);
        for (long b = bucket - 1; b <= bucket + 1; b++) {
            List<DataPoint> candidates = recent.get(b);
            if (candidates != null) pickClosest(p, candidates, t, window, closest);
        }
        if (!legacyRecent.isEmpty()) {
            for (Map.Entry<Long, List<DataPoint>> e : legacyRecent.entries()) pickClosest(p, e.getValue(), t, window, closest);
        }
        for (DataPoint q : closest.values()) {
            double tolerance = agreement.tolerance(p.value, q.value);
            double difference = p.value - q.value;
            if (Math.abs(difference) > tolerance) {
                p.withFlag(QualityFlag.DEVICE_DISAGREEMENT);
                ctx.output(QualityOutputs.ISSUES, QualityIssue.about(p, QualityRule.DEVICE_DISAGREEMENT,
                        QualityIssue.Severity.WARNING,
                        String.format("%s %.1f %s disagrees with %s (%.1f %s, %d s apart) by %.1f; tolerance %.1f",
                                p.metric, p.value, p.unit, q.deviceId, q.value, q.unit,
                                Math.abs(q.eventTimeMillis() - t) / 1000, Math.abs(difference), tolerance), q.id)
                        .withExpected(q.value - tolerance, q.value + tolerance));
            }
        }
    }

    private static void pickClosest(DataPoint p, List<DataPoint> candidates, long t, long window,
                                    Map<String, DataPoint> closest) {
        for (DataPoint q : candidates) {
            if (q.deviceId.equals(p.deviceId) || Math.abs(q.eventTimeMillis() - t) > window) continue;
            DataPoint best = closest.get(q.deviceId);
            if (best == null || closer(q, best, t)) closest.put(q.deviceId, q);
        }
    }

    private static boolean closer(DataPoint q, DataPoint best, long t) {
        long dq = Math.abs(q.eventTimeMillis() - t);
        long db = Math.abs(best.eventTimeMillis() - t);
        return dq < db || (dq == db && q.id.compareTo(best.id) < 0);
    }

    /** Only plausible real measurements are compared; a sensor limit or a filled-in value proves nothing. */
    static boolean comparable(DataPoint p) {
        return p.value != null && !p.hasFlag(QualityFlag.INTERPOLATED) && !p.hasFlag(QualityFlag.OUT_OF_RANGE)
                && !p.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH) && !p.hasFlag(QualityFlag.SENSOR_LIMIT_LOW)
                && !p.hasFlag(QualityFlag.IMPOSSIBLE_JUMP);
    }

    private static void add(MapState<Long, List<DataPoint>> state, long t, DataPoint p) throws Exception {
        List<DataPoint> list = state.get(t);
        if (list == null) list = new ArrayList<>();
        list.add(p);
        state.put(t, list);
    }
}
