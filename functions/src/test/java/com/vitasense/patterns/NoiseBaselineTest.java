package com.vitasense.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The noise baseline: known after enough readings, the change before each reading, state released. */
class NoiseBaselineTest {

    @Test
    void eachReadingCarriesTheTypicalChangeBeforeIt() throws Exception {
        try (var harness = harness()) {
            double[] values = {100, 104, 100, 104, 100, 100};
            for (int i = 0; i < values.length; i++) {
                DeviceSignal s = Signals.reading("cgm", "glucose", 5 * i, values[i]);
                harness.processElement(new StreamRecord<>(s, s.eventTimeMillis()));
            }
            // A reading older than the newest is passed on and changes nothing.
            DeviceSignal late = Signals.reading("cgm", "glucose", 2, 500);
            harness.processElement(new StreamRecord<>(late, late.eventTimeMillis()));
            var out = harness.extractOutputValues();
            // Three differences known from the fourth reading on; the sixth (no change) lowers the mean.
            assertThat(out).extracting(s -> s.noise).containsExactly(null, null, null, null, 4.0, 4.0, 3.2);
            harness.processWatermark(new Watermark(Signals.at(8 * 24 * 60).toEpochMilli()));
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anImplausibleReadingLeavesTheBaselineAsItWas() throws Exception {
        try (var harness = harness()) {
            double[] values = {100, 104, 100, 104, 1500, 100};
            for (int i = 0; i < values.length; i++) {
                DeviceSignal s = values[i] > 1000
                        ? Signals.reading("cgm", "glucose", 5 * i, values[i], QualityFlag.OUT_OF_RANGE)
                        : Signals.reading("cgm", "glucose", 5 * i, values[i]);
                harness.processElement(new StreamRecord<>(s, s.eventTimeMillis()));
            }
            // The 1500 passes with the baseline before it; the next reading is measured against 104.
            assertThat(harness.extractOutputValues()).extracting(s -> s.noise)
                    .containsExactly(null, null, null, null, 4.0, 4.0);
        }
    }

    /** A baseline known after three differences, so that a short series shows it. */
    private static KeyedOneInputStreamOperatorTestHarness<String, DeviceSignal, DeviceSignal> harness() throws Exception {
        Properties p = new Properties();
        p.setProperty("flatline.min-baseline", "3");
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NoiseBaseline(AlertRules.defaults().withProperties(p))),
                DeviceSignal::seriesKey, Types.STRING);
        harness.open();
        return harness;
    }
}
