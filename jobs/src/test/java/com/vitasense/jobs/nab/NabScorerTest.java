package com.vitasense.jobs.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.vitasense.jobs.nab.NabScorer.FileScore;
import com.vitasense.jobs.nab.NabScorer.Profile;
import com.vitasense.jobs.nab.NabScorer.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scoring rules of data/README.md on tiny files whose scores were worked out by hand: 100 rows
 * (probation 15 rows) and one window over rows 40-49 (width 10), S(-1) = 0.9866143.
 */
class NabScorerTest {
    private static final List<Window> ONE_WINDOW = List.of(new Window(40, 49));

    private static boolean[] detectionsAt(int... rows) {
        boolean[] d = new boolean[100];
        for (int r : rows) d[r] = true;
        return d;
    }

    private static FileScore standard(int... rows) {
        return NabScorer.scoreFile(detectionsAt(rows), ONE_WINDOW, Profile.STANDARD);
    }

    @Test
    void aDetectionAtTheLeftEdgeEarnsTheFullTpWeight() {
        FileScore s = standard(40);
        assertThat(s.raw()).isCloseTo(1.0, within(1e-12));
        assertThat(s.truePositives()).isEqualTo(1);
        assertThat(s.falseNegatives()).isZero();
    }

    @Test
    void laterDetectionsInTheWindowEarnLess() {
        // p = -(49 - 45 + 1) / 10 = -0.5: S(-0.5) / S(-1) = 0.8597926
        assertThat(standard(45).raw()).isCloseTo(0.8597926, within(1e-6));
        // p = -1/10 at the right edge: S(-0.1) / S(-1) = 0.2449187 / 0.9866143
        assertThat(standard(49).raw()).isCloseTo(0.2482415, within(1e-6));
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() {
        // 41 counts (p = -0.9: 0.9912953), 45 and 48 are neither rewarded nor false positives.
        FileScore s = standard(41, 45, 48);
        assertThat(s.raw()).isCloseTo(0.9912953, within(1e-6));
        assertThat(s.truePositives()).isEqualTo(1);
        assertThat(s.falsePositives()).isZero();
    }

    @Test
    void aMissedWindowCostsTheFnWeight() {
        assertThat(standard().raw()).isEqualTo(-1.0);
        assertThat(standard().falseNegatives()).isEqualTo(1);
        assertThat(NabScorer.scoreFile(detectionsAt(), ONE_WINDOW, Profile.REWARD_LOW_FN).raw()).isEqualTo(-2.0);
    }

    @Test
    void aFalsePositiveJustAfterAWindowCostsLittle() {
        // Row 50: p = |50 - 49| / (10 - 1) = 0.111; 0.11 * S(0.111) = 0.11 * -0.2708471; and the window is missed.
        FileScore s = standard(50);
        assertThat(s.raw()).isCloseTo(-1.0 - 0.0297932, within(1e-6));
        assertThat(s.falsePositives()).isEqualTo(1);
        assertThat(NabScorer.scoreFile(detectionsAt(50), ONE_WINDOW, Profile.REWARD_LOW_FP).raw())
                .isCloseTo(-1.0 - 2 * 0.0297932, within(1e-6));
    }

    @Test
    void aFalsePositiveFarAfterOrBeforeAnyWindowCostsTheFullFpWeight() {
        // Row 90: p = 41 / 9 > 3, S taken as -1.
        assertThat(standard(40, 90).raw()).isCloseTo(1.0 - 0.11, within(1e-12));
        // Row 20: no window before it.
        assertThat(standard(20, 40).raw()).isCloseTo(1.0 - 0.11, within(1e-12));
        assertThat(NabScorer.scoreFile(detectionsAt(20), List.of(), Profile.STANDARD).raw()).isCloseTo(-0.11, within(1e-12));
    }

    @Test
    void probationaryDetectionsAreIgnored() {
        assertThat(NabScorer.probationaryRows(100)).isEqualTo(15);
        assertThat(NabScorer.probationaryRows(4032)).isEqualTo(604);
        assertThat(NabScorer.probationaryRows(22695)).isEqualTo(750);
        FileScore s = NabScorer.scoreFile(detectionsAt(3, 14), List.of(), Profile.STANDARD);
        assertThat(s.raw()).isZero();
        assertThat(s.falsePositives()).isZero();
        assertThat(standard(14).raw()).isEqualTo(-1.0);
        assertThat(standard(15).raw()).isCloseTo(-1.11, within(1e-12));
    }

    @Test
    void falsePositivesAreMeasuredFromThePreviousWindow() {
        List<Window> two = List.of(new Window(20, 29), new Window(60, 69));
        // Row 35 follows the first window: p = 6/9; row 75 follows the second: p = 6/9 as well.
        double fp = 0.11 * NabScorer.scaledSigmoid(6.0 / 9);
        FileScore s = NabScorer.scoreFile(detectionsAt(20, 35, 60, 75), two, Profile.STANDARD);
        assertThat(s.raw()).isCloseTo(2.0 + 2 * fp, within(1e-12));
        assertThat(fp).isCloseTo(0.11 * -0.9310, within(1e-4));
    }

    @Test
    void normalizationMapsNeverFiringToZeroAndPerfectToHundred() {
        assertThat(NabScorer.normalized(-2.0, 2, Profile.STANDARD)).isEqualTo(0.0);
        assertThat(NabScorer.normalized(2.0, 2, Profile.STANDARD)).isEqualTo(100.0);
        assertThat(NabScorer.normalized(0.0, 2, Profile.STANDARD)).isEqualTo(50.0);
        // reward_low_FN_rate: null = -2 per window, perfect = +1 per window.
        assertThat(NabScorer.normalized(0.0, 2, Profile.REWARD_LOW_FN)).isCloseTo(100.0 * 4 / 6, within(1e-9));
        assertThatThrownBy(() -> NabScorer.normalized(0.0, 0, Profile.STANDARD)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSigmoidFollowsTheRules() {
        assertThat(NabScorer.scaledSigmoid(0.0)).isZero();
        assertThat(NabScorer.scaledSigmoid(-1.0)).isCloseTo(0.9866143, within(1e-7));
        assertThat(NabScorer.scaledSigmoid(3.0)).isCloseTo(2.0 / (1.0 + Math.exp(15.0)) - 1.0, within(1e-15));
        assertThat(NabScorer.scaledSigmoid(3.0001)).isEqualTo(-1.0);
    }

    @Test
    void windowsMustFitTheFileAndNotOverlap() {
        assertThatThrownBy(() -> NabScorer.scoreFile(new boolean[10], List.of(new Window(5, 10)), Profile.STANDARD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NabScorer.scoreFile(new boolean[100], List.of(new Window(5, 10), new Window(10, 12)),
                Profile.STANDARD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Window(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
