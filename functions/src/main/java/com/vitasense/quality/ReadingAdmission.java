package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.QualityRule;
import java.time.Duration;
import java.util.ArrayList;
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
 * The gate every data point passes once, keyed by (device, metric) with {@link #keySelector()}:
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

    private final long retentionMillis;

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
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
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
        long eventTime = p.eventTimeMillis();
        long watermark = ctx.timerService().currentWatermark();
        long contentHash = p.contentHash();

        SeenReading last = seen.get(p.id);
        if (last != null && last.contentHash == contentHash) {
            exactRepeats.inc();
            return;
        }
        DataPoint admitted = p.copy();
        if (last == null) {
            admitted.revision = Math.max(1, p.revision);
        } else {
            admitted.revision = last.revision + 1;
            revisions.inc();
            ctx.output(QualityOutputs.ISSUES, QualityIssue.about(admitted, QualityRule.REVISION_CONFLICT,
                    QualityIssue.Severity.INFO, "re-sent with different content: revision " + admitted.revision
                            + " replaces revision " + last.revision, Integer.toString(admitted.revision)));
        }
        if (eventTime < watermark) {
            admitted.withFlag(QualityFlag.LATE);
            late.inc();
        }

        long cleanupAt = cleanupTime(eventTime, retentionMillis);
        // Every entry whose timer time is not after the watermark has been removed already; storing
        // one now would only wait for the next watermark to be removed again.
        if (cleanupAt > watermark) {
            seen.put(p.id, new SeenReading(contentHash, admitted.revision, eventTime));
            // A revision keeps its id and time, and is listed already.
            if (last == null || cleanupTime(last.eventTime, retentionMillis) != cleanupAt) {
                List<String> ids = byCleanupTime.get(cleanupAt);
                if (ids == null) ids = new ArrayList<>(2);
                ids.add(p.id);
                byCleanupTime.put(cleanupAt, ids);
            }
            ctx.timerService().registerEventTimeTimer(cleanupAt);
        }
        out.collect(admitted);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DataPoint> out) throws Exception {
        List<String> listed = byCleanupTime.get(timestamp);
        if (listed != null) {
            byCleanupTime.remove(timestamp);
            for (String id : listed) {
                SeenReading s = seen.get(id);
                if (s != null && expiry(s.eventTime, retentionMillis) <= timestamp) seen.remove(id);
            }
        } else {
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
