package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.util.Collector;

/**
 * SPIKE: an implausible jump and return. Three consecutive readings of one sensor where the middle
 * one leaves the first by more than {@code max(spike.min-jump.<metric>, spike.noise-factor x noise)}
 * and the third comes back to within {@code spike.return-ratio} of that jump: a body does not do
 * that, a sensor glitch does. A level shift (no return) is not a spike. Cleared after
 * {@code spike.clear-after} without another.
 */
public final class SpikePattern implements DevicePattern {
    private static final long serialVersionUID = 1L;

    private final Set<String> metrics;
    private final HashMap<String, Double> minJumps = new HashMap<>();
    private final double noiseFactor;
    private final double returnRatio;
    private final Duration within;
    private final long clearAfter;

    public SpikePattern(AlertRules rules) {
        metrics = Set.copyOf(rules.metrics("spike.metrics"));
        for (String m : metrics) {
            Double j = rules.minJump(m);
            if (j == null) throw new IllegalArgumentException("alert rules: spike.min-jump." + m + " is required for spike.metrics");
            minJumps.put(m, j);
        }
        noiseFactor = rules.number("spike.noise-factor");
        returnRatio = rules.number("spike.return-ratio");
        within = rules.duration("spike.within");
        clearAfter = rules.duration("spike.clear-after").toMillis();
    }

    @Override
    public AlertType type() {
        return AlertType.SPIKE;
    }

    @Override
    public Key key() {
        return Key.SERIES;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.READING) && s.value != null && metrics.contains(s.metric)
                && !s.hasFlag(QualityFlag.INTERPOLATED) && !s.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH)
                && !s.hasFlag(QualityFlag.SENSOR_LIMIT_LOW);
    }

    /** The smallest jump from {@code before} that counts as implausible. */
    double threshold(DeviceSignal before) {
        double j = minJumps.get(before.metric);
        return before.noise == null ? j : Math.max(j, noiseFactor * before.noise);
    }

    private static DeviceSignal only(Iterable<DeviceSignal> events) {
        for (DeviceSignal s : events) return s;
        throw new IllegalStateException("no event for a pattern step that must have one");
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        return Pattern.<DeviceSignal>begin("before", AfterMatchSkipStrategy.skipPastLastEvent())
                .next("peak")
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(DeviceSignal peak, Context<DeviceSignal> ctx) throws Exception {
                        DeviceSignal before = only(ctx.getEventsForPattern("before"));
                        return Math.abs(peak.value - before.value) > threshold(before);
                    }
                })
                .next("after")
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(DeviceSignal after, Context<DeviceSignal> ctx) throws Exception {
                        DeviceSignal before = only(ctx.getEventsForPattern("before"));
                        DeviceSignal peak = only(ctx.getEventsForPattern("peak"));
                        return Math.abs(after.value - before.value) <= returnRatio * Math.abs(peak.value - before.value);
                    }
                })
                .within(within);
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        return new PatternProcessFunction<>() {
            @Override
            public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
                DeviceSignal before = match.get("before").get(0);
                DeviceSignal peak = match.get("peak").get(0);
                DeviceSignal after = match.get("after").get(0);
                out.collect((AlertCondition.of(after, AlertType.SPIKE.name(), AlertType.Severity.WARNING.name(),
                                AlertCondition.Phase.HOLDS, after.eventTime, peak.eventTime)
                        .forMetric(peak.metric).quietAfter(clearAfter)
                        .withDetails(Details.of("before", before.value, "peak", peak.value, "after", after.value,
                                "jump", peak.value - before.value, "threshold", threshold(before)))).knownAt(ctx.timestamp()));
            }
        };
    }
}
