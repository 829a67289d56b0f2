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
 * FLATLINE: a stuck sensor. A run of consecutive readings of one sensor that stay within a small
 * fraction of that sensor's own typical change between readings (its noise, from
 * {@link NoiseBaseline}), not a fixed "no change for 45 minutes" rule, which false-alarms on quiet
 * nights of a precise sensor and misses a stuck noisy one. Cleared when no run has matched for
 * {@code flatline.clear-after}.
 */
public final class FlatlinePattern implements DevicePattern {
    private static final long serialVersionUID = 1L;

    private final Set<String> metrics;
    private final int readings;
    private final double noiseRatio;
    private final Duration within;
    private final long clearAfter;

    public FlatlinePattern(AlertRules rules) {
        metrics = Set.copyOf(rules.metrics("flatline.metrics"));
        readings = rules.count("flatline.readings");
        noiseRatio = rules.number("flatline.noise-ratio");
        within = rules.duration("flatline.within");
        clearAfter = rules.duration("flatline.clear-after").toMillis();
    }

    @Override
    public AlertType type() {
        return AlertType.FLATLINE;
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

    /** How far from the first reading of a run a reading may be and still be "flat". */
    double tolerance(DeviceSignal first) {
        return noiseRatio * first.noise;
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        return Pattern.<DeviceSignal>begin("flat", AfterMatchSkipStrategy.skipToNext())
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(DeviceSignal s, Context<DeviceSignal> ctx) throws Exception {
                        for (DeviceSignal first : ctx.getEventsForPattern("flat")) {
                            return Math.abs(s.value - first.value) <= tolerance(first);
                        }
                        // A run starts only where the sensor's noise is known: without a baseline
                        // there is no scale to call a change small.
                        return s.noise != null;
                    }
                })
                .times(readings).consecutive()
                .within(within);
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        return new PatternProcessFunction<>() {
            @Override
            public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
                List<DeviceSignal> run = match.get("flat");
                DeviceSignal first = run.get(0);
                DeviceSignal last = run.get(run.size() - 1);
                double min = run.stream().mapToDouble(s -> s.value).min().orElse(0);
                double max = run.stream().mapToDouble(s -> s.value).max().orElse(0);
                out.collect((AlertCondition.of(last, AlertType.FLATLINE.name(), AlertType.Severity.WARNING.name(),
                                AlertCondition.Phase.HOLDS, last.eventTime, first.eventTime)
                        .forMetric(last.metric).quietAfter(clearAfter)
                        .withDetails(Details.of("readings", run.size(), "spread", max - min, "noise", first.noise,
                                "tolerance", tolerance(first), "value", last.value))).knownAt(ctx.timestamp()));
            }
        };
    }
}
