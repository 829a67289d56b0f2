package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * CONNECTIVITY_LOST while it is happening, in the streaming job only (keyed by device): when no
 * reading of a device has arrived for its model's stale threshold of wall-clock time, the episode is
 * raised (a warning, then urgent), starting at the newest reading's event time, the same start (and
 * so the same alert id) that {@link ConnectivityLostPattern} gives the gap once the next reading
 * arrives. It measures arrivals, not event times, so a late reading (old event time, arriving now)
 * counts as the device being heard from and never raises anything; and it never moves the start
 * backwards. When the next reading closes a gap shorter in event time than the threshold (the
 * delay was in delivery, not in the device), it ends the episode itself, since the pattern sees no gap.
 */
public class ConnectivityWatchdog extends KeyedProcessFunction<String, DeviceSignal, AlertCondition> {
    private static final long serialVersionUID = 1L;

    private final AlertRules rules;
    private transient ValueState<WatchState> state;

    public ConnectivityWatchdog(AlertRules rules) {
        this.rules = rules;
    }

    /** The watch over one device. A Flink POJO. */
    public static class WatchState {
        public long newestEventTime;
        public long lastArrival;
        /** The severity raised for the current silence, or null. */
        public String raised;
        public String deviceId;
        public String userId;
        public String vendor;
        public String deviceModel;

        public WatchState() {}
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("watch", WatchState.class));
    }

    @Override
    public void processElement(DeviceSignal s, Context ctx, Collector<AlertCondition> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        long t = s.eventTimeMillis();
        WatchState w = state.value();
        if (w == null) {
            w = new WatchState();
            w.newestEventTime = t;
        } else if (w.raised != null) {
            long warn = rules.staleAfter(w.deviceModel, false).toMillis();
            if (t > w.newestEventTime && t - w.newestEventTime <= warn) {
                out.collect(condition(w, AlertCondition.Phase.ENDED, w.raised, t));
            }
            w.raised = null;
        }
        w.newestEventTime = Math.max(w.newestEventTime, t);
        w.lastArrival = now;
        w.deviceId = s.deviceId;
        w.userId = s.userId;
        w.vendor = s.vendor;
        w.deviceModel = s.deviceModel;
        state.update(w);
        ctx.timerService().registerProcessingTimeTimer(now + rules.staleAfter(w.deviceModel, false).toMillis());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCondition> out) throws Exception {
        WatchState w = state.value();
        if (w == null) return;
        long silent = timestamp - w.lastArrival;
        long warn = rules.staleAfter(w.deviceModel, false).toMillis();
        long urgent = rules.staleAfter(w.deviceModel, true).toMillis();
        long retention = rules.duration("watchdog.retention").toMillis();
        if (silent >= retention) {
            state.clear();
            return;
        }
        if (silent >= urgent && !AlertType.Severity.URGENT.name().equals(w.raised)) {
            w.raised = AlertType.Severity.URGENT.name();
            out.collect(condition(w, AlertCondition.Phase.HOLDS, w.raised, w.newestEventTime + urgent));
            ctx.timerService().registerProcessingTimeTimer(w.lastArrival + retention);
        } else if (silent >= warn && w.raised == null) {
            w.raised = AlertType.Severity.WARNING.name();
            out.collect(condition(w, AlertCondition.Phase.HOLDS, w.raised, w.newestEventTime + warn));
            ctx.timerService().registerProcessingTimeTimer(w.lastArrival + urgent);
        }
        // Earlier timers of arrivals since superseded find nothing to do.
        state.update(w);
    }

    private AlertCondition condition(WatchState w, AlertCondition.Phase phase, String severity, long at) {
        AlertCondition c = new AlertCondition();
        c.userId = w.userId;
        c.deviceId = w.deviceId;
        c.vendor = w.vendor;
        c.deviceModel = w.deviceModel;
        c.alertType = AlertType.CONNECTIVITY_LOST.name();
        c.severity = severity;
        c.phase = phase.name();
        c.eventTime = Instant.ofEpochMilli(at);
        c.startedAt = Instant.ofEpochMilli(w.newestEventTime);
        c.watchdog = true;
        c.details = Details.of("source", "watchdog", "last_seen", c.startedAt.toString());
        return c;
    }
}
