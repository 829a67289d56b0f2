package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * DATA_INCOMPLETE: an hour of one sensor with fewer readings received than
 * {@code completeness.objective} (80 % by default) of those its vendor's interval makes expected
 * (from {@code device_completeness}); the next hour that meets the objective clears it. Per metric.
 */
public final class DataIncompletePattern implements DevicePattern {
    private static final long serialVersionUID = 1L;
    private static final Duration HOUR = Duration.ofHours(1);

    private final double objective;

    public DataIncompletePattern(AlertRules rules) {
        objective = rules.number("completeness.objective");
    }

    @Override
    public AlertType type() {
        return AlertType.DATA_INCOMPLETE;
    }

    @Override
    public Key key() {
        return Key.DEVICE;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.COMPLETENESS) && s.reference != null && s.reference > 0;
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        // One hour decides on its own; the window only satisfies "within on every pattern".
        return Pattern.<DeviceSignal>begin("hour", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(s -> true))
                .within(HOUR);
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        double o = objective;
        return new PatternProcessFunction<>() {
            @Override
            public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
                DeviceSignal hour = match.get("hour").get(0);
                double ratio = hour.value / hour.reference;
                // Known when the hour is over.
                Instant end = hour.eventTime.plus(HOUR);
                boolean incomplete = ratio < o;
                out.collect((AlertCondition.of(hour, AlertType.DATA_INCOMPLETE.name(), AlertType.Severity.WARNING.name(),
                                incomplete ? AlertCondition.Phase.HOLDS : AlertCondition.Phase.ENDED, end, hour.eventTime)
                        .forMetric(hour.metric)
                        .withDetails(incomplete ? Details.of("hour", hour.eventTime.toString(), "received", hour.value.intValue(),
                                "expected", hour.reference.intValue(), "objective", o) : null)).knownAt(ctx.timestamp()));
            }
        };
    }
}
