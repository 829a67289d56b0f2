package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.DeviceSignal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pattern has a {@code within}, so the partial matches of devices that come and go do not
 * accumulate: after many short-lived devices and a watermark past every window, the CEP operator
 * holds no state at all for them: no buffered event, no partial match, no timer.
 */
class PatternStateTest {
    private static final int DEVICES = 300;

    static List<DevicePattern> patterns() {
        return DevicePatterns.all(AlertRules.defaults());
    }

    /** A few signals of every kind for one device, within a few minutes. */
    private static List<DeviceSignal> lifeOf(String d, int start) {
        List<DeviceSignal> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeviceSignal r = Signals.glucose(d, start + 5 * i, 100 + i, 3.0);
            out.add(r);
        }
        out.add(Signals.battery(d, start, 50));
        out.add(Signals.event(d, DeviceEvent.Type.SENSOR_ERROR, start + 1, "9"));
        out.add(Signals.event(d, DeviceEvent.Type.SYNC_STARTED, start + 2, "s"));
        out.add(Signals.event(d, DeviceEvent.Type.SYNC_FAILED, start + 3, "s"));
        out.add(Signals.issue(d, start + 4, com.vitasense.records.QualityRule.OUTLIER));
        out.add(Signals.issue(d, start + 4, com.vitasense.records.QualityRule.REVISION_CONFLICT));
        out.add(DeviceSignal.calibrationDrift("u-" + d, d, "glucose", at(start + 5), 20.0, 5.0));
        out.add(Signals.completeness(d, 0, 12, 3));
        return out;
    }

    @ParameterizedTest
    @MethodSource("patterns")
    void shortLivedDevicesLeaveNoGrowingState(DevicePattern p) throws Exception {
        var serializer = TypeInformation.of(DeviceSignal.class).createSerializer(new SerializerConfigImpl());
        CepOperator<DeviceSignal, String, AlertCondition> op = new CepOperator<>(serializer, false,
                NFACompiler.compileFactory(p.pattern(), p.process() instanceof TimedOutPartialMatchHandler<?>), null,
                p.pattern().getAfterMatchSkipStrategy(), p.process(), null);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(op,
                p.key() == DevicePattern.Key.SERIES ? DeviceSignal::seriesKey : DeviceSignal::deviceKey, Types.STRING)) {
            harness.open();
            int keys = 0;
            for (int d = 0; d < DEVICES; d++) {
                for (DeviceSignal s : lifeOf("dev-" + d, d)) {
                    if (!p.accepts(s)) continue;
                    harness.processElement(new StreamRecord<>(s, s.eventTimeMillis()));
                }
                keys++;
            }
            assertThat(harness.numKeyedStateEntries()).as("state while the devices are live").isPositive();
            // Past every window: 8 days covers the longest default (battery, 7 days).
            harness.processWatermark(new Watermark(at(DEVICES + 8 * 24 * 60).toEpochMilli()));
            // No buffered events and no partial matches waiting on a timer.
            assertThat(harness.numEventTimeTimers()).as("timers").isZero();
            assertThat(harness.numKeyedStateEntries()).as("state entries of %d devices", keys).isZero();
        }
    }
}
