package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * SYNC_TIMEOUT: a {@code sync_started} not followed by the end of the same sync (completed or
 * failed, by sync id) within {@code sync.timeout}; raised at start + timeout, from the timed-out
 * partial match (on {@link DevicePattern#TIMED_OUT}). A later sync that completes in time clears it.
 */
public final class SyncTimeoutPattern implements DevicePattern {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public SyncTimeoutPattern(AlertRules rules) {
        timeout = rules.duration("sync.timeout");
    }

    @Override
    public AlertType type() {
        return AlertType.SYNC_TIMEOUT;
    }

    @Override
    public Key key() {
        return Key.DEVICE;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.SYNC_STARTED) || s.is(DeviceSignal.Kind.SYNC_COMPLETED)
                || s.is(DeviceSignal.Kind.SYNC_FAILED);
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        return Pattern.<DeviceSignal>begin("started", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(s -> s.is(DeviceSignal.Kind.SYNC_STARTED)))
                // Other syncs' steps in between are skipped: only this sync's end counts.
                .followedBy("ended")
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(DeviceSignal s, Context<DeviceSignal> ctx) throws Exception {
                        if (!s.is(DeviceSignal.Kind.SYNC_COMPLETED) && !s.is(DeviceSignal.Kind.SYNC_FAILED)) return false;
                        for (DeviceSignal started : ctx.getEventsForPattern("started")) {
                            return Objects.equals(started.code, s.code);
                        }
                        return false;
                    }
                })
                .within(timeout);
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        return new Process(timeout.toMillis());
    }

    /** Ends an open timeout on a sync completed in time, raises one on a partial match that timed out. */
    static final class Process extends PatternProcessFunction<DeviceSignal, AlertCondition>
            implements TimedOutPartialMatchHandler<DeviceSignal> {
        private static final long serialVersionUID = 1L;
        private final long timeoutMillis;

        Process(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
            DeviceSignal ended = match.get("ended").get(0);
            if (ended.is(DeviceSignal.Kind.SYNC_COMPLETED)) {
                out.collect((AlertCondition.of(ended, AlertType.SYNC_TIMEOUT.name(), AlertType.Severity.WARNING.name(),
                        AlertCondition.Phase.ENDED, ended.eventTime, null)).knownAt(ctx.timestamp()));
            }
        }

        @Override
        public void processTimedOutMatch(Map<String, List<DeviceSignal>> match, Context ctx) {
            DeviceSignal started = match.get("started").get(0);
            // At start + timeout, not at the time the watermark noticed: the same in both modes.
            var at = started.eventTime.plusMillis(timeoutMillis);
            ctx.output(TIMED_OUT, AlertCondition.of(started, AlertType.SYNC_TIMEOUT.name(),
                            AlertType.Severity.WARNING.name(), AlertCondition.Phase.HOLDS, at, started.eventTime)
                    .withDetails(Details.of("sync_id", started.code, "timeout_s", timeoutMillis / 1000)));
        }
    }
}
