package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.QualityRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The gate every data point passes once, keyed by (device, metric) with {@link #keySelector()}.
 *
 * <p>Versions of a re-sent reading are numbered in the order they arrive. A stream receives a
 * device's envelopes in the order they were sent; a batch backfill hands the records of one key
 * and time over in no particular order (its input is sorted by key and time only). So in batch
 * mode ({@code holdUntilWatermark}) a reading is judged once the watermark passes its time,
 * together with every other version of it, in order of receipt ({@code ingested_at}): the order a
 * stream sees them in. In batch mode that costs nothing, every timer fires at the end of a key
 * anyway; a stream keeps judging on arrival, as downstream stages wait for the watermark already.
 *
 * <ol>
 *   <li>An exact repeat (same id, same {@link DataPoint#contentHash()}) is dropped and counted
 *       ({@code exactRepeatsDropped}): vendors re-send pages and backfills overlap, and a repeat
 *       carries no news.
 *   <li>The same id with different content is a vendor revision: emitted with revision = last
 *       revision + 1 ({@code revisions}), so sinks upsert the newer version, and reported as a
 *       {@link QualityRule#REVISION_CONFLICT} issue on {@link QualityOutputs#ISSUES}.
 *   <li>A point whose event time is below the current watermark is emitted with
 *       {@link QualityFlag#LATE} ({@code lateReadings}); late readings are kept, never dropped.
 * </ol>
 *
 * <p>State is bounded by explicit event-time cleanup: {@code MapState<id, SeenReading>} entries live
 * for {@code retention} (default 48 h) of event time after the reading. Each admitted reading
 * registers an event-time timer at eventTime + retention rounded up to the minute, so readings of
 * the same minute share one timer, and is listed under that time in {@code seen-by-cleanup-time};
 * the timer removes exactly the readings listed for it. A timer never scans the whole map: a
 * device sending every minute keeps 2880 readings for 48 h, and a batch backfill keeps every
 * reading of its input until the end, so a scan per timer would make cleanup quadratic. A reading
 * already older than its cleanup time when it arrives is emitted but not remembered.
 *
 * <p>Consequence, by design: a repeat arriving after its entry expired is emitted again with the
 * same id (and a revision that starts again at the incoming one). That is harmless because every
 * sink upserts on the id, and it is what keeps state bounded. In batch mode the watermark stays
 * at its minimum until the end, so nothing is LATE and all repeats within the input are dropped.
 */
public class ReadingAdmission extends KeyedProcessFunction<String, DataPoint, DataPoint> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_RETENTION = Duration.ofHours(48);

    /** Cleanup timers are rounded up to this granularity so that readings share timers. */
    static final long TIMER_GRANULARITY_MS = 60_000;

    /**
     * Versions of one reading in the order they were received. The sort is stable: versions
     * received at the same instant keep the order they arrived in (in a backfill, the order the
     * batch sort hands them over, which is why re-sent versions need their own receipt time).
     */
    static final Comparator<DataPoint> RECEIPT_ORDER = Comparator.comparing((DataPoint p) -> p.id)
            .thenComparing(p -> p.ingestedAt, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final long retentionMillis;
    private final long clockSkewMillis;
    private final boolean holdUntilWatermark;

    /** Reading time -> readings waiting for the watermark to pass it. */
    private transient MapState<Long, List<DataPoint>> pending;
    private transient MapState<String, SeenReading> seen;
    /** Cleanup timer time -> ids of the readings that timer removes. */
    private transient MapState<Long, List<String>> byCleanupTime;
    private transient Counter exactRepeats;
    private transient Counter revisions;
    private transient Counter late;

    public ReadingAdmission() {
        this(DEFAULT_RETENTION);
    }

    /** @param retention how long (event time) a reading is remembered for repeat detection; positive */
    public ReadingAdmission(Duration retention) {
        this(retention, QualityRules.defaults().clockSkew(), false);
    }

    /**
     * @param retention how long (event time) a reading is remembered for repeat detection; positive
     * @param clockSkew how far after its receipt a reading may be dated before it counts as dated in
     *     the future (the quality rules' clock skew); such a reading is judged at once, as the
     *     watermark does not follow it (see {@link ReadingWatermarks})
     * @param holdUntilWatermark judge readings once the watermark passes them, versions in order of
     *     receipt: for batch mode, where arrival order within a key and time is arbitrary
     */
    public ReadingAdmission(Duration retention, Duration clockSkew, boolean holdUntilWatermark) {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        this.clockSkewMillis = clockSkew.toMillis();
        this.holdUntilWatermark = holdUntilWatermark;
        this.retentionMillis = retention.toMillis();
    }

    /** The key of a point: {@code deviceId|metric}. */
    public static String key(DataPoint p) {
        return PointKey.deviceMetric().getKey(p);
    }

    /** The key selector to {@code keyBy} with before this function. */
    public static KeySelector<DataPoint, String> keySelector() {
        return PointKey.deviceMetric();
    }


    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("admission-pending", Types.LONG,
                Types.LIST(TypeInformation.of(DataPoint.class))));
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-readings", Types.STRING,
                TypeInformation.of(SeenReading.class)));
        byCleanupTime = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-by-cleanup-time", Types.LONG,
                Types.LIST(Types.STRING)));
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        exactRepeats = metrics.counter("exactRepeatsDropped");
        revisions = metrics.counter("revisions");
        late = metrics.counter("lateReadings");
    }

    @Override
    public void processElement(DataPoint p, Context ctx, Collector<DataPoint> out) throws Exception {
        long t = p.eventTimeMillis();
        boolean isLate = t < ctx.timerService().currentWatermark();
        if (!holdUntilWatermark || isLate || isFuture(p)) {
            judge(p, seen.get(p.id), isLate, ctx, out);
            return;
        }
        List<DataPoint> atTime = pending.get(t);
        if (atTime == null) atTime = new ArrayList<>(2);
        atTime.add(p);
        pending.put(t, atTime);
        ctx.timerService().registerEventTimeTimer(t);
    }

    private boolean isFuture(DataPoint p) {
        return p.ingestedAt != null && p.eventTimeMillis() > p.ingestedAt.toEpochMilli() + clockSkewMillis;
    }

    /**
     * Drops an exact repeat of {@code prior}, or emits {@code p} as a new reading or the next
     * revision of {@code prior}; returns what is known about its id afterwards.
     */
    private SeenReading judge(DataPoint p, SeenReading prior, boolean isLate, Context ctx, Collector<DataPoint> out)
            throws Exception {
        long eventTime = p.eventTimeMillis();
        long watermark = ctx.timerService().currentWatermark();
        long contentHash = p.contentHash();
        if (prior != null && prior.contentHash == contentHash) {
            exactRepeats.inc();
            return prior;
        }
        DataPoint admitted = p.copy();
        if (prior == null) {
            admitted.revision = Math.max(1, p.revision);
        } else {
            admitted.revision = prior.revision + 1;
            revisions.inc();
            ctx.output(QualityOutputs.ISSUES, QualityIssue.about(admitted, QualityRule.REVISION_CONFLICT,
                    QualityIssue.Severity.INFO, "re-sent with different content: revision " + admitted.revision
                            + " replaces revision " + prior.revision, Integer.toString(admitted.revision)));
        }
        if (isLate) {
            admitted.withFlag(QualityFlag.LATE);
            late.inc();
        }

        SeenReading now = new SeenReading(contentHash, admitted.revision, eventTime);
        long cleanupAt = cleanupTime(eventTime, retentionMillis);
        // Every entry whose timer time is not after the watermark has been removed already; storing
        // one now would only wait for the next watermark to be removed again. (In batch mode the
        // watermark is at its end while timers fire, so nothing is stored: nothing comes later.)
        if (cleanupAt > watermark) {
            seen.put(p.id, now);
            // A revision keeps its id and time, and is listed already.
            if (prior == null || cleanupTime(prior.eventTime, retentionMillis) != cleanupAt) {
                List<String> ids = byCleanupTime.get(cleanupAt);
                if (ids == null) ids = new ArrayList<>(2);
                ids.add(p.id);
                byCleanupTime.put(cleanupAt, ids);
            }
            ctx.timerService().registerEventTimeTimer(cleanupAt);
        }
        out.collect(admitted);
        return now;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DataPoint> out) throws Exception {
        List<DataPoint> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            due.sort(RECEIPT_ORDER);
            Map<String, SeenReading> judged = new HashMap<>();
            for (DataPoint p : due) {
                SeenReading prior = judged.containsKey(p.id) ? judged.get(p.id) : seen.get(p.id);
                judged.put(p.id, judge(p, prior, false, ctx, out));
            }
        }
        List<String> listed = byCleanupTime.get(timestamp);
        if (listed != null) {
            byCleanupTime.remove(timestamp);
            for (String id : listed) {
                SeenReading s = seen.get(id);
                if (s != null && expiry(s.eventTime, retentionMillis) <= timestamp) seen.remove(id);
            }
        } else if (due == null) {
            // A timer restored from a savepoint taken before the index existed: scan, as it did then.
            List<String> expired = new ArrayList<>();
            for (Map.Entry<String, SeenReading> e : seen.entries()) {
                if (expiry(e.getValue().eventTime, retentionMillis) <= timestamp) expired.add(e.getKey());
            }
            for (String id : expired) {
                seen.remove(id);
            }
        }
        if (seen.isEmpty()) {
            // Drop the key's map itself, not just its entries, so an idle key leaves nothing behind.
            seen.clear();
        }
    }

    /** Test hook: exact repeats dropped by this instance. */
    long exactRepeatsDropped() {
        return exactRepeats.getCount();
    }

    /** eventTime + retention, saturating instead of overflowing. */
    static long expiry(long eventTime, long retentionMillis) {
        return eventTime > Long.MAX_VALUE - retentionMillis ? Long.MAX_VALUE : eventTime + retentionMillis;
    }

    /** The cleanup timer for a reading: its expiry rounded up to {@link #TIMER_GRANULARITY_MS}. */
    static long cleanupTime(long eventTime, long retentionMillis) {
        long expiry = expiry(eventTime, retentionMillis);
        long remainder = Math.floorMod(expiry, TIMER_GRANULARITY_MS);
        if (remainder == 0) return expiry;
        long roundedDown = expiry - remainder;
        return roundedDown > Long.MAX_VALUE - TIMER_GRANULARITY_MS ? Long.MAX_VALUE : roundedDown + TIMER_GRANULARITY_MS;
    }
}
