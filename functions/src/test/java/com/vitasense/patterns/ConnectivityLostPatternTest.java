package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.battery;
import static com.vitasense.patterns.Signals.reading;
import static com.vitasense.patterns.Signals.shuffled;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** CONNECTIVITY_LOST from event-time gaps between consecutive readings of a device. */
class ConnectivityLostPatternTest {

    private static List<DeviceSignal> everyFiveMinutes(String device, int from, int to) {
        List<DeviceSignal> out = new ArrayList<>();
        for (int m = from; m <= to; m += 5) out.add(reading(device, "glucose", m, 100));
        return out;
    }

    @Test
    void gapsBeyondFifteenMinutesAreWarningsBeyondThirtyUrgent() throws Exception {
        List<DeviceSignal> in = new ArrayList<>(everyFiveMinutes("cgm", 0, 30));
        in.addAll(everyFiveMinutes("cgm", 50, 60));   // 20 min
        in.addAll(everyFiveMinutes("cgm", 100, 110)); // 40 min
        in.add(reading("cgm", "glucose", 125, 60)); // 15 min exactly: not stale
        // A sporadic metric is not watched (connectivity.metrics): no gap from 125 to 300.
        in.add(reading("cgm", "heart_rate", 300, 60));
        // Interpolated points and battery reports do not count as the device being heard from.
        in.add(reading("cgm", "glucose", 75, 100, QualityFlag.INTERPOLATED));
        in.add(battery("cgm", 80, 50));
        assertThat(PatternRunner.run(new ConnectivityLostPattern(AlertRules.defaults()), shuffled(in))).containsExactlyInAnyOrder(
                "cgm CONNECTIVITY_LOST EPISODE WARNING at 50 from 30 to 50",
                "cgm CONNECTIVITY_LOST EPISODE URGENT at 100 from 60 to 100");
    }

    @Test
    void thresholdsPerDeviceModel() throws Exception {
        List<DeviceSignal> in = new ArrayList<>(everyFiveMinutes("libre", 0, 15));
        in.addAll(everyFiveMinutes("libre", 35, 40));
        Properties p = new Properties();
        p.setProperty("connectivity.warn@model-libre", "25m");
        assertThat(PatternRunner.run(new ConnectivityLostPattern(AlertRules.defaults().withProperties(p)), shuffled(in)))
                .isEmpty();
        assertThat(PatternRunner.run(new ConnectivityLostPattern(AlertRules.defaults()), shuffled(in)))
                .containsExactly("libre CONNECTIVITY_LOST EPISODE WARNING at 35 from 15 to 35");
    }
}
