package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.glucose;
import static com.vitasense.patterns.Signals.shuffled;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SPIKE: a jump beyond the sensor's noise that comes back; a level shift is not one. */
class SpikePatternTest {
    private static final AlertRules RULES = AlertRules.defaults();

    @Test
    void aJumpAndReturnIsASpike() throws Exception {
        var in = shuffled(List.of(glucose("cgm", 0, 100, 3.0), glucose("cgm", 5, 102, 3.0), glucose("cgm", 10, 180, 3.0),
                glucose("cgm", 15, 104, 3.0), glucose("cgm", 20, 105, 3.0)));
        assertThat(PatternRunner.run(new SpikePattern(RULES), in))
                .containsExactly("cgm SPIKE/glucose HOLDS WARNING at 15 from 10");
    }

    @Test
    void aLevelShiftOrAJumpWithinTheNoiseIsNot() throws Exception {
        var in = shuffled(List.of(glucose("shift", 0, 100, 3.0), glucose("shift", 5, 180, 3.0), glucose("shift", 10, 182, 3.0),
                glucose("shift", 15, 181, 3.0),
                // A sensor that usually moves by 15 per reading: 60 is within 6 x its noise.
                glucose("noisy", 0, 100, 15.0), glucose("noisy", 5, 160, 15.0), glucose("noisy", 10, 101, 15.0)));
        assertThat(PatternRunner.run(new SpikePattern(RULES), in)).isEmpty();
    }
}
