package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.battery;
import static com.vitasense.patterns.Signals.reading;
import static com.vitasense.patterns.Signals.shuffled;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BATTERY_LOW and BATTERY_CRITICAL fire on the crossing only, out-of-order input included. */
class BatteryPatternsTest {
    private static final AlertRules RULES = AlertRules.defaults();

    @Test
    void lowFiresOnTheCrossingAndEndsWhenChargedAboveIt() throws Exception {
        var input = shuffled(List.of(battery("ring", 0, 40), battery("ring", 60, 30), battery("ring", 120, 25),
                reading("ring", "heart_rate", 150, 60), battery("ring", 180, 19), battery("ring", 240, 15),
                battery("ring", 300, 12), battery("ring", 360, 21), battery("ring", 420, 18)));
        assertThat(PatternRunner.run(new BatteryLowPattern(RULES), input)).containsExactlyInAnyOrder(
                "ring BATTERY_LOW HOLDS WARNING at 180 from 180",
                "ring BATTERY_LOW ENDED WARNING at 360 from 360",
                "ring BATTERY_LOW HOLDS WARNING at 420 from 420");
    }

    @Test
    void aBatteryFirstSeenLowOrStayingAboveIsNoCrossing() throws Exception {
        var input = shuffled(List.of(battery("a", 0, 15), battery("a", 60, 12), battery("a", 120, 10),
                battery("b", 0, 90), battery("b", 60, 80), battery("b", 120, 21)));
        assertThat(PatternRunner.run(new BatteryLowPattern(RULES), input)).isEmpty();
    }

    @Test
    void criticalFiresAtFivePercentPerDevice() throws Exception {
        var input = shuffled(List.of(battery("a", 0, 8), battery("a", 30, 4), battery("a", 60, 3),
                battery("b", 0, 30), battery("b", 30, 2)));
        assertThat(PatternRunner.run(new BatteryCriticalPattern(RULES), input)).containsExactlyInAnyOrder(
                "a BATTERY_CRITICAL HOLDS CRITICAL at 30 from 30",
                "b BATTERY_CRITICAL HOLDS CRITICAL at 30 from 30");
        assertThat(PatternRunner.run(new BatteryLowPattern(RULES), input)).containsExactly(
                "b BATTERY_LOW HOLDS WARNING at 30 from 30");
    }

    @Test
    void reportsFurtherApartThanTheWindowAreNoCrossing() throws Exception {
        var input = List.of(battery("a", 0, 30), battery("a", 8 * 24 * 60, 10));
        assertThat(PatternRunner.run(new BatteryLowPattern(RULES), input)).isEmpty();
    }
}
