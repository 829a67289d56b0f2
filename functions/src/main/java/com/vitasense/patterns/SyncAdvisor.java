package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;
import com.vitasense.records.SyncSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per-device sync metrics (keyed by device): one {@code sync_sessions} row per sync, written at its
 * start and completed at its end with the readings measured since the previous completed sync and
 * a recommended sync interval.
 *
 * <p>The recommendation: upload about {@code sync.batch-readings} readings per sync at the device's
 * observed data rate (an exponential average of readings per hour between completed syncs), sooner
 * by up to half when recent syncs failed (a failed sync delivers nothing, so the next should come
 * sooner to bound data latency), within {@code sync.min-interval}..{@code sync.max-interval}. No
 * recommendation until a rate is known.
 *
 * <p>Signals are applied in stream-time order (their record timestamps, buffered until the watermark
 * passes, every timer registered in {@link #processElement}), so a backfill computes the same
 * numbers as the stream.
 */
public class SyncAdvisor extends KeyedProcessFunction<String, DeviceSignal, SyncSession> {
    private static final long serialVersionUID = 1L;
    private static final int RECENT = 10;
    private static final double RATE_WEIGHT = 0.3;
    private static final Comparator<DeviceSignal> ORDER = Comparator
            .comparing((DeviceSignal s) -> s.kind)
            .thenComparing(s -> s.code, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final long minInterval;
    private final long maxInterval;
    private final double batchReadings;
    private final long retention;
    private transient MapState<Long, List<DeviceSignal>> pending;
    private transient ValueState<AdvisorState> state;

    public SyncAdvisor(AlertRules rules) {
        minInterval = rules.duration("sync.min-interval").toMillis();
        maxInterval = rules.duration("sync.max-interval").toMillis();
        batchReadings = rules.number("sync.batch-readings");
        retention = rules.duration("watchdog.retention").toMillis();
    }

    /** What is known of a device's syncs. A Flink POJO. */
    public static class AdvisorState {
        public int readingsSinceSync;
        public Long lastCompleted;
        /** Readings per hour, or null before two completed syncs. */
        public Double ratePerHour;
        /** Outcomes of the last syncs, oldest first: C completed, F failed. */
        public String recent = "";
        public long lastActivity;

        public AdvisorState() {}
    }

    /** The signals this step looks at. */
    public static boolean accepts(DeviceSignal s) {
        // A sync step without a sync id names no session.
        return s.is(DeviceSignal.Kind.READING) || (s.code != null && (s.is(DeviceSignal.Kind.SYNC_STARTED)
                || s.is(DeviceSignal.Kind.SYNC_COMPLETED) || s.is(DeviceSignal.Kind.SYNC_FAILED)));
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                Types.LIST(TypeInformation.of(DeviceSignal.class))));
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("advisor", AdvisorState.class));
    }

    @Override
    public void processElement(DeviceSignal s, Context ctx, Collector<SyncSession> out) throws Exception {
        // Ordered by stream time (the record's timestamp): a reading the quality stage held back
        // for cross-device agreement counts when it was released, in both modes alike.
        long t = ctx.timestamp() != null ? ctx.timestamp() : s.eventTimeMillis();
        if (t <= ctx.timerService().currentWatermark()) {
            // Behind the watermark: its place in the order has passed. A late reading changes no
            // rate already reported; a late sync step is still recorded.
            if (!s.is(DeviceSignal.Kind.READING)) apply(s, state(), out);
            return;
        }
        List<DeviceSignal> at = pending.get(t);
        if (at == null) at = new ArrayList<>();
        at.add(s);
        pending.put(t, at);
        ctx.timerService().registerEventTimeTimer(t);
        ctx.timerService().registerEventTimeTimer(t + retention);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SyncSession> out) throws Exception {
        List<DeviceSignal> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            due.sort(ORDER);
            AdvisorState a = state();
            for (DeviceSignal s : due) apply(s, a, out);
        }
        AdvisorState a = state.value();
        if (a != null && a.lastActivity + retention <= timestamp && pending.isEmpty()) state.clear();
    }

    private AdvisorState state() throws Exception {
        AdvisorState a = state.value();
        return a == null ? new AdvisorState() : a;
    }

    private void apply(DeviceSignal s, AdvisorState a, Collector<SyncSession> out) throws Exception {
        long t = s.eventTimeMillis();
        a.lastActivity = Math.max(a.lastActivity, t);
        SyncSession row = s.is(DeviceSignal.Kind.READING) ? null : session(s);
        switch (DeviceSignal.Kind.valueOf(s.kind)) {
            case READING -> a.readingsSinceSync++;
            case SYNC_STARTED -> {
                row.status = SyncSession.STARTED;
                row.startedAt = s.eventTime;
            }
            case SYNC_COMPLETED -> {
                row.status = SyncSession.COMPLETED;
                row.finishedAt = s.eventTime;
                row.readings = a.readingsSinceSync;
                if (a.lastCompleted != null && t > a.lastCompleted) {
                    double rate = a.readingsSinceSync * 3_600_000.0 / (t - a.lastCompleted);
                    a.ratePerHour = a.ratePerHour == null ? rate : a.ratePerHour + RATE_WEIGHT * (rate - a.ratePerHour);
                }
                a.lastCompleted = t;
                a.readingsSinceSync = 0;
                a.recent = recent(a.recent + "C");
            }
            case SYNC_FAILED -> {
                row.status = SyncSession.FAILED;
                row.finishedAt = s.eventTime;
                row.error = s.detail;
                a.recent = recent(a.recent + "F");
            }
            default -> throw new IllegalArgumentException("not a sync or reading signal: " + s);
        }
        if (row != null && !SyncSession.STARTED.equals(row.status)) advise(row, a);
        state.update(a);
        if (row != null) out.collect(row);
    }

    private void advise(SyncSession row, AdvisorState a) {
        long failed = a.recent.chars().filter(c -> c == 'F').count();
        double failureRate = a.recent.isEmpty() ? 0 : (double) failed / a.recent.length();
        if (a.ratePerHour != null) {
            double base = a.ratePerHour <= 0 ? maxInterval : batchReadings / a.ratePerHour * 3_600_000.0;
            long interval = Math.round(Math.min(maxInterval, Math.max(minInterval, base * (1 - failureRate / 2))));
            row.recommendedIntervalSeconds = (int) (interval / 1000);
        }
        row.details = Details.of("readings_per_hour", a.ratePerHour, "recent_syncs", a.recent.length(),
                "recent_failures", (int) failed, "failure_rate", failureRate);
    }

    private static String recent(String outcomes) {
        return outcomes.length() > RECENT ? outcomes.substring(outcomes.length() - RECENT) : outcomes;
    }

    private static SyncSession session(DeviceSignal s) {
        SyncSession r = new SyncSession();
        r.id = SyncSession.idOf(s.deviceId, s.code);
        r.userId = s.userId;
        r.deviceId = s.deviceId;
        r.syncId = s.code;
        return r;
    }
}
