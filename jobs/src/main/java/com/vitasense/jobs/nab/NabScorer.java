package com.vitasense.jobs.nab;

import java.util.List;
import java.util.Objects;

/**
 * The Numenta Anomaly Benchmark score, implemented from the rules in {@code data/README.md}:
 *
 * <ol>
 *   <li>The first 15 % of each file (at most 750 rows) is probationary: detections there are ignored.
 *   <li>Inside a window only the earliest detection counts, worth {@code tpWeight * S(p) / S(-1)}
 *       with {@code S(p) = 2 / (1 + e^(5p)) - 1} and {@code p = -(right - i + 1) / width}.
 *   <li>A window without a detection costs {@code fnWeight}.
 *   <li>A detection outside every window costs {@code fpWeight * S(p)}, {@code p = |i - prevRight| /
 *       (prevWidth - 1)} from the end of the previous window ({@code S = -1} when {@code p > 3}), or
 *       {@code fpWeight} when no window precedes it.
 *   <li>Raw scores are summed over all files and normalized to {@code 100 * (raw - null) / (perfect -
 *       null)}: {@code null} never fires ({@code -fnWeight} per window), {@code perfect} detects every
 *       window at its left edge ({@code tpWeight} per window).
 * </ol>
 *
 * <p>Pure functions over row indices; reading files and mapping timestamps to rows is
 * {@link NabWindows}' and {@link NabCommand}'s business.
 */
public final class NabScorer {
    private NabScorer() {}

    /** Probationary rows: 15 % of the file, at most 750. */
    static final double PROBATIONARY_FRACTION = 0.15;
    static final int MAX_PROBATIONARY_ROWS = 750;

    /** The cost weights of a scoring profile ({@code profiles.json}, tnWeight is unused by the score). */
    public record Profile(String name, double tpWeight, double fnWeight, double fpWeight) {
        public static final Profile STANDARD = new Profile("standard", 1.0, 1.0, 0.11);
        public static final Profile REWARD_LOW_FP = new Profile("reward_low_FP_rate", 1.0, 1.0, 0.22);
        public static final Profile REWARD_LOW_FN = new Profile("reward_low_FN_rate", 1.0, 2.0, 0.11);

        /** The three NAB profiles, standard first. */
        public static List<Profile> all() {
            return List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);
        }

        public Profile {
            Objects.requireNonNull(name, "name");
            if (!(tpWeight > 0) || !(fnWeight >= 0) || !(fpWeight >= 0)) {
                throw new IllegalArgumentException("profile " + name + ": tpWeight must be positive and the other"
                        + " weights not negative");
            }
        }
    }

    /** An anomaly window as inclusive row indices, {@code left <= right}. */
    public record Window(int left, int right) {
        public Window {
            if (left < 0 || right < left) throw new IllegalArgumentException("invalid window rows " + left + ".." + right);
        }

        public int width() {
            return right - left + 1;
        }

        boolean contains(int row) {
            return row >= left && row <= right;
        }
    }

    /**
     * The outcome of one file under one profile: the raw score, the windows detected (true
     * positives), the counted detections outside windows (false positives) and the missed windows.
     */
    public record FileScore(double raw, int truePositives, int falsePositives, int falseNegatives) {
        /** Sum of two file scores, for corpus totals. */
        public FileScore plus(FileScore other) {
            return new FileScore(raw + other.raw, truePositives + other.truePositives,
                    falsePositives + other.falsePositives, falseNegatives + other.falseNegatives);
        }

        public static final FileScore ZERO = new FileScore(0, 0, 0, 0);
    }

    /** Rows at the start of a file of {@code rows} rows whose detections are ignored. */
    public static int probationaryRows(int rows) {
        return Math.min((int) Math.floor(PROBATIONARY_FRACTION * rows), MAX_PROBATIONARY_ROWS);
    }

    /** {@code S(p) = 2 / (1 + e^(5p)) - 1}, taken as -1 beyond {@code p = 3}. */
    public static double scaledSigmoid(double p) {
        if (p > 3.0) return -1.0;
        return 2.0 / (1.0 + Math.exp(5.0 * p)) - 1.0;
    }

    /**
     * Scores one file.
     *
     * @param detections one entry per row, true where the detector fired
     * @param windows the file's anomaly windows in row order, not overlapping
     */
    public static FileScore scoreFile(boolean[] detections, List<Window> windows, Profile profile) {
        checkWindows(windows, detections.length);
        int probation = probationaryRows(detections.length);
        double maxTp = scaledSigmoid(-1.0);
        double raw = 0;
        int tp = 0;
        int fp = 0;
        boolean[] detected = new boolean[windows.size()];
        // The window at or before the current row: windows are sorted, so one pointer walks them.
        int next = 0;
        Window previous = null;
        for (int i = 0; i < detections.length; i++) {
            while (next < windows.size() && windows.get(next).right() < i) {
                previous = windows.get(next);
                next++;
            }
            if (!detections[i] || i < probation) continue;
            Window current = next < windows.size() && windows.get(next).contains(i) ? windows.get(next) : null;
            if (current != null) {
                if (detected[next]) continue;  // only the earliest detection in a window counts
                double position = -(double) (current.right() - i + 1) / current.width();
                raw += profile.tpWeight() * scaledSigmoid(position) / maxTp;
                detected[next] = true;
                tp++;
            } else {
                raw += falsePositiveScore(i, previous, profile);
                fp++;
            }
        }
        int fn = 0;
        for (boolean d : detected) {
            if (!d) fn++;
        }
        raw -= profile.fnWeight() * fn;
        return new FileScore(raw, tp, fp, fn);
    }

    /** The (negative) score of a detection at row {@code i} outside every window. */
    static double falsePositiveScore(int i, Window previous, Profile profile) {
        if (previous == null) return -profile.fpWeight();
        // A one-row window has no extent to measure from: any later detection is far past it.
        double position = previous.width() > 1
                ? Math.abs(i - previous.right()) / (double) (previous.width() - 1)
                : Double.POSITIVE_INFINITY;
        return profile.fpWeight() * scaledSigmoid(position);
    }

    /** The raw score of a detector that never fires: every window missed. */
    public static double nullScore(int windowCount, Profile profile) {
        return -profile.fnWeight() * windowCount;
    }

    /** The raw score of a detector that fires exactly at the left edge of every window. */
    public static double perfectScore(int windowCount, Profile profile) {
        return profile.tpWeight() * windowCount;
    }

    /**
     * {@code 100 * (raw - null) / (perfect - null)} over a corpus with {@code windowCount} windows:
     * 0 for a detector that never fires, 100 for a perfect one.
     */
    public static double normalized(double raw, int windowCount, Profile profile) {
        if (windowCount == 0) throw new IllegalArgumentException("a corpus without anomaly windows has no NAB score");
        double nul = nullScore(windowCount, profile);
        return 100.0 * (raw - nul) / (perfectScore(windowCount, profile) - nul);
    }

    private static void checkWindows(List<Window> windows, int rows) {
        for (int w = 0; w < windows.size(); w++) {
            Window window = windows.get(w);
            if (window.right() >= rows) {
                throw new IllegalArgumentException("window " + window + " ends beyond the file's " + rows + " rows");
            }
            if (w > 0 && window.left() <= windows.get(w - 1).right()) {
                throw new IllegalArgumentException("windows overlap or are out of order: " + windows.get(w - 1)
                        + " then " + window);
            }
        }
    }
}
