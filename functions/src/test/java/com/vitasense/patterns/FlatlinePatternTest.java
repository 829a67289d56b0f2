package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.glucose;
import static com.vitasense.patterns.Signals.shuffled;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DeviceSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** FLATLINE scales to each sensor's own noise: stuck values match, a quiet but live trace does not. */
class FlatlinePatternTest {
    private static final AlertRules RULES = AlertRules.defaults();

    @Test
    void aStuckSensorMatchesFromTheFirstFlatReading() throws Exception {
        List<DeviceSignal> in = new ArrayList<>();
        for (int i = 0; i < 6; i++) in.add(glucose("cgm", 5 * i, 100 + 3 * i, 3.0));
        for (int i = 6; i < 15; i++) in.add(glucose("cgm", 5 * i, 118, 3.0));
        List<String> out = PatternRunner.run(new FlatlinePattern(RULES), shuffled(in));
        // Nine readings from minute 30: the first match at 70; each further flat reading holds it.
        assertThat(out).containsExactlyInAnyOrder("cgm FLATLINE/glucose HOLDS WARNING at 70 from 30");
    }

    @Test
    void aQuietNightThatStillMovesIsNoFlatline() throws Exception {
        List<DeviceSignal> in = new ArrayList<>();
        // Changes of 1 mg/dL per 5 min on a sensor whose typical change is 3: alive, not stuck.
        for (int i = 0; i < 20; i++) in.add(glucose("cgm", 5 * i, 100 + (i % 2), 3.0));
        assertThat(PatternRunner.run(new FlatlinePattern(RULES), shuffled(in))).isEmpty();
    }

    @Test
    void theToleranceFollowsTheSensorsNoise() throws Exception {
        List<DeviceSignal> in = new ArrayList<>();
        // The same +-1 wiggle is flat for a sensor that usually moves by 20 per reading.
        for (int i = 0; i < 9; i++) in.add(glucose("noisy", 5 * i, 100 + (i % 2), 20.0));
        for (int i = 0; i < 9; i++) in.add(glucose("precise", 5 * i, 100 + (i % 2), 2.0));
        assertThat(PatternRunner.run(new FlatlinePattern(RULES), shuffled(in)))
                .containsExactly("noisy FLATLINE/glucose HOLDS WARNING at 40 from 0");
    }

    @Test
    void noBaselineNoFlatlineAndTheWindowBoundsTheRun() throws Exception {
        List<DeviceSignal> in = new ArrayList<>();
        for (int i = 0; i < 12; i++) in.add(glucose("new", 5 * i, 100, null));
        // Nine identical readings spread over two hours do not fit the one-hour window.
        for (int i = 0; i < 9; i++) in.add(glucose("sparse", 15 * i, 100, 3.0));
        assertThat(PatternRunner.run(new FlatlinePattern(RULES), shuffled(in))).isEmpty();
        Properties p = new Properties();
        p.setProperty("flatline.within", "3h");
        assertThat(PatternRunner.run(new FlatlinePattern(RULES.withProperties(p)), shuffled(in)))
                .containsExactly("sparse FLATLINE/glucose HOLDS WARNING at 120 from 0");
    }
}
