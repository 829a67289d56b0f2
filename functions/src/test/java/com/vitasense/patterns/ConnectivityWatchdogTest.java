package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.reading;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.AlertCondition;
import com.vitasense.records.DeviceSignal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The wall-clock watchdog: warning at 15 min, urgent at 30, late readings never raise, state released. */
class ConnectivityWatchdogTest {
    private static final long MINUTE = 60_000;

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, DeviceSignal, AlertCondition> h, DeviceSignal s)
            throws Exception {
        h.processElement(new StreamRecord<>(s, s.eventTimeMillis()));
    }

    private static List<String> out(KeyedOneInputStreamOperatorTestHarness<String, DeviceSignal, AlertCondition> h) {
        return h.extractOutputValues().stream().map(Signals::describe).toList();
    }

    @Test
    void silenceRaisesAWarningThenUrgentFromTheNewestReadingAndANearbyReadingEndsIt() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ConnectivityWatchdog(AlertRules.defaults())), DeviceSignal::deviceKey, Types.STRING)) {
            h.open();
            h.setProcessingTime(0);
            send(h, reading("cgm", "glucose", 100, 120));
            // A late reading (an old event time, arriving now): heard from, never a new start.
            h.setProcessingTime(10 * MINUTE);
            send(h, reading("cgm", "glucose", 40, 120));
            h.setProcessingTime(24 * MINUTE);
            assertThat(out(h)).isEmpty();
            h.setProcessingTime(25 * MINUTE);
            h.setProcessingTime(40 * MINUTE);
            assertThat(out(h)).containsExactly("cgm CONNECTIVITY_LOST HOLDS WARNING at 115 from 100",
                    "cgm CONNECTIVITY_LOST HOLDS URGENT at 130 from 100");
            assertThat(h.extractOutputValues()).allMatch(c -> c.watchdog);
            // Delivery was late, the device was not: a reading 5 minutes after the newest ends it.
            send(h, reading("cgm", "glucose", 105, 120));
            assertThat(out(h)).last().isEqualTo("cgm CONNECTIVITY_LOST ENDED URGENT at 105 from 100");
            h.setProcessingTime(8 * 24 * 60 * MINUTE);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aReadingAfterARealGapLeavesTheEndToTheGapPattern() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ConnectivityWatchdog(AlertRules.defaults())), DeviceSignal::deviceKey, Types.STRING)) {
            h.open();
            h.setProcessingTime(0);
            send(h, reading("cgm", "glucose", 100, 120));
            h.setProcessingTime(16 * MINUTE);
            send(h, reading("cgm", "glucose", 150, 120));
            assertThat(out(h)).containsExactly("cgm CONNECTIVITY_LOST HOLDS WARNING at 115 from 100");
        }
    }
}
