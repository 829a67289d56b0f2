package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.util.Collector;

/**
 * CONNECTIVITY_LOST from the data alone: two consecutive readings of a device (of the continuously
 * sampled metrics in {@code connectivity.metrics}, glucose by default) further
 * apart in event time than the stale threshold of its model ({@code connectivity.warn}, 15 min by
 * default: a warning; beyond {@code connectivity.urgent}, 30 min: urgent). The episode runs from
 * the last reading before the gap to the first after it, so a backfill finds the same episodes as
 * the stream. The streaming job's {@link ConnectivityWatchdog} raises the same episode (same id)
 * while it is still open.
 *
 * <p>Gaps longer than {@code connectivity.max-gap} are not matched: the pattern's {@code within}
 * bounds its state, and a device silent that long is no longer a connectivity problem but a
 * device out of use.
 */
public final class ConnectivityLostPattern implements DevicePattern {
    private static final long serialVersionUID = 1L;

    private final AlertRules rules;
    private final Set<String> metrics;

    public ConnectivityLostPattern(AlertRules rules) {
        this.rules = rules;
        this.metrics = Set.copyOf(rules.metrics("connectivity.metrics"));
    }

    @Override
    public AlertType type() {
        return AlertType.CONNECTIVITY_LOST;
    }

    @Override
    public Key key() {
        return Key.DEVICE;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        // Only continuously sampled metrics (CGM glucose by default, whose ecosystem the stale
        // thresholds come from): a watch's sporadic heart rate, hourly steps or a night's sleep
        // stages are hours apart by design and would be "stale" all day. A filled-in point says
        // nothing about when the device was last heard from.
        return s.is(DeviceSignal.Kind.READING) && metrics.contains(s.metric) && !s.hasFlag(QualityFlag.INTERPOLATED);
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        return Pattern.<DeviceSignal>begin("last", AfterMatchSkipStrategy.skipToNext())
                .next("next")
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(DeviceSignal next, Context<DeviceSignal> ctx) throws Exception {
                        for (DeviceSignal last : ctx.getEventsForPattern("last")) {
                            long gap = next.eventTimeMillis() - last.eventTimeMillis();
                            return gap > rules.staleAfter(next.deviceModel, false).toMillis();
                        }
                        return false;
                    }
                })
                .within(rules.duration("connectivity.max-gap"));
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        return new PatternProcessFunction<>() {
            @Override
            public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
                DeviceSignal last = match.get("last").get(0);
                DeviceSignal next = match.get("next").get(0);
                long gap = next.eventTimeMillis() - last.eventTimeMillis();
                Duration urgent = rules.staleAfter(next.deviceModel, true);
                AlertType.Severity severity = gap > urgent.toMillis() ? AlertType.Severity.URGENT : AlertType.Severity.WARNING;
                AlertCondition c = AlertCondition.of(next, AlertType.CONNECTIVITY_LOST.name(), severity.name(),
                        AlertCondition.Phase.EPISODE, next.eventTime, last.eventTime);
                c.endedAt = next.eventTime;
                out.collect((c.withDetails(Details.of("gap_s", gap / 1000, "last_seen", last.eventTime.toString()))).knownAt(ctx.timestamp()));
            }
        };
    }
}
