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
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * Two consecutive battery reports of a device on either side of a threshold: falling to or below it
 * raises the alert, rising above it again (charging) clears it. Reports on the same side match
 * nothing, so a battery hovering at 12 % alerts once, at the crossing, not on every report.
 */
abstract class BatteryCrossingPattern implements DevicePattern {
    private static final long serialVersionUID = 1L;

    private final double threshold;
    private final Duration within;

    BatteryCrossingPattern(double threshold, Duration within) {
        this.threshold = threshold;
        this.within = within;
    }

    abstract AlertType.Severity severity();

    @Override
    public Key key() {
        return Key.DEVICE;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.BATTERY) && s.value != null;
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        double t = threshold;
        // Strict contiguity over battery reports only: "before" is the report just before "after".
        return Pattern.<DeviceSignal>begin("before", AfterMatchSkipStrategy.skipToNext())
                .where(SimpleCondition.of(s -> true))
                .next("after")
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(DeviceSignal after, Context<DeviceSignal> ctx) throws Exception {
                        for (DeviceSignal before : ctx.getEventsForPattern("before")) {
                            return (before.value > t) != (after.value > t);
                        }
                        return false;
                    }
                })
                // Reports further apart than this are not consecutive enough to speak of a crossing.
                .within(within);
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        String type = type().name();
        String severity = severity().name();
        double t = threshold;
        return new PatternProcessFunction<>() {
            @Override
            public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
                DeviceSignal before = match.get("before").get(0);
                DeviceSignal after = match.get("after").get(0);
                boolean falling = after.value <= t;
                Instant at = after.eventTime;
                out.collect((AlertCondition.of(after, type, severity,
                                falling ? AlertCondition.Phase.HOLDS : AlertCondition.Phase.ENDED, at, at)
                        .withDetails(Details.of("threshold", t, "battery_before", before.value, "battery", after.value))).knownAt(ctx.timestamp()));
            }
        };
    }
}
