package com.vitasense.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RobustFitTest {
    private static RobustFit.Fit fit(double[] device, double[] reference) {
        return RobustFit.fit(device, reference, 0.7, 1.3, 0.2);
    }

    @Test
    void onePairIsAnOffsetWithoutAQuality() {
        RobustFit.Fit f = fit(new double[] {120}, new double[] {108});
        assertThat(f.scale()).isEqualTo(1.0);
        assertThat(f.offset()).isEqualTo(-12.0);
        assertThat(f.quality()).isNull();
        assertThat(f.method()).isEqualTo("offset");
        assertThat(f.apply(150)).isEqualTo(138.0);
    }

    @Test
    void spreadPairsGiveScaleAndOffset() {
        double[] device = {80, 120, 200, 260};
        double[] reference = new double[device.length];
        for (int i = 0; i < device.length; i++) reference[i] = 1.1 * device[i] - 5;
        RobustFit.Fit f = fit(device, reference);
        assertThat(f.method()).isEqualTo("theil-sen");
        assertThat(f.scale()).isCloseTo(1.1, within(1e-9));
        assertThat(f.offset()).isCloseTo(-5, within(1e-9));
        assertThat(f.quality()).isCloseTo(1.0, within(1e-9));
        assertThat(f.pairs()).isEqualTo(4);
    }

    @Test
    void oneWrongFingerstickDoesNotPullTheFit() {
        double[] device = {70, 100, 140, 180, 240};
        double[] reference = {72, 105, 149, 193, 120}; // the last one is a meter error
        RobustFit.Fit f = fit(device, reference);
        assertThat(f.scale()).isCloseTo(1.1, within(0.05));
        assertThat(f.apply(140)).isCloseTo(149, within(4.0));
        assertThat(f.quality()).isGreaterThan(0.9);
    }

    @Test
    void pairsTooCloseTogetherGiveAnOffsetOnly() {
        RobustFit.Fit f = fit(new double[] {110, 115, 118}, new double[] {100, 104, 110});
        assertThat(f.method()).isEqualTo("offset");
        assertThat(f.scale()).isEqualTo(1.0);
        assertThat(f.offset()).isEqualTo(-10.0); // median of -10, -11, -8
    }

    @Test
    void aSlopeBeyondTheLimitsFallsBackToAnOffset() {
        RobustFit.Fit f = fit(new double[] {100, 200}, new double[] {100, 100});
        assertThat(f.method()).isEqualTo("offset");
        assertThat(f.offset()).isEqualTo(-50.0);
    }

    @Test
    void accuracyIsMardAndBiasInPercent() {
        Accuracy a = Accuracy.of(List.of(pair(100, 110), pair(100, 80), pair(200, 210)));
        // |+10| + |-20| + |+5| over 3; +10 - 20 + 5 over 3
        assertThat(a.mard()).isEqualTo(11.67);
        assertThat(a.bias()).isEqualTo(-1.67);
        assertThat(a.pairs()).isEqualTo(3);
        assertThat(a.drifting(15, 10)).isFalse();
        assertThat(a.drifting(10, 10)).isTrue();
        assertThat(Accuracy.of(List.of())).isNull();
    }

    private static ReferencePair pair(double reference, double published) {
        return new ReferencePair("r", 0, reference, 0, published, published, "manual", false);
    }
}
