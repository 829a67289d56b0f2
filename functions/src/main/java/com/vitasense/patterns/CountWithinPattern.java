package com.vitasense.patterns;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * At least {@code count} signals of a kind from one device within {@code window}. Every further
 * signal that keeps the count reached holds the alert open; it clears once {@code window} passes
 * without one, which is when the count within the window can no longer be reached by the events
 * already seen.
 */
abstract class CountWithinPattern implements DevicePattern {
    private static final long serialVersionUID = 1L;

    private final int count;
    private final Duration window;

    CountWithinPattern(int count, Duration window) {
        this.count = count;
        this.window = window;
    }

    abstract AlertType.Severity severity();

    /** True when the alert is per sensor (the metric of the last signal) rather than per device. */
    boolean perMetric() {
        return false;
    }

    @Override
    public Key key() {
        return Key.DEVICE;
    }

    @Override
    public Pattern<DeviceSignal, ?> pattern() {
        // The input holds only the counted signals, so consecutive ones are the ones in between.
        Pattern<DeviceSignal, DeviceSignal> p = Pattern.<DeviceSignal>begin("events", AfterMatchSkipStrategy.skipToNext())
                .where(SimpleCondition.of(s -> true));
        if (count > 1) p = p.times(count).consecutive();
        return p.within(window);
    }

    @Override
    public PatternProcessFunction<DeviceSignal, AlertCondition> process() {
        String type = type().name();
        String severity = severity().name();
        long quiet = window.toMillis();
        boolean perMetric = perMetric();
        return new PatternProcessFunction<>() {
            @Override
            public void processMatch(Map<String, List<DeviceSignal>> match, Context ctx, Collector<AlertCondition> out) {
                List<DeviceSignal> events = match.get("events");
                DeviceSignal first = events.get(0);
                DeviceSignal last = events.get(events.size() - 1);
                AlertCondition c = AlertCondition.of(last, type, severity, AlertCondition.Phase.HOLDS, last.eventTime,
                                first.eventTime)
                        .quietAfter(quiet)
                        .withDetails(Details.of("count", events.size(), "window_s", quiet / 1000, "last_code", last.code,
                                "last_detail", last.detail, "last_value", last.value));
                out.collect((perMetric ? c.forMetric(last.metric) : c).knownAt(ctx.timestamp()));
            }
        };
    }
}
