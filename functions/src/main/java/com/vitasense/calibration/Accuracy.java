package com.vitasense.calibration;

import java.util.List;

/**
 * Accuracy of what the pipeline published against references: MARD (mean absolute relative
 * difference, the CGM accuracy standard) and bias (mean signed relative difference, device minus
 * reference), both in percent, over recent reference pairs.
 */
public record Accuracy(double mard, double bias, int pairs) {

    /** Over {@code pairs}; null when there are none. */
    public static Accuracy of(List<ReferencePair> pairs) {
        if (pairs.isEmpty()) return null;
        double abs = 0;
        double signed = 0;
        for (ReferencePair p : pairs) {
            double e = p.relativeErrorPercent();
            abs += Math.abs(e);
            signed += e;
        }
        return new Accuracy(round(abs / pairs.size()), round(signed / pairs.size()), pairs.size());
    }

    /** True if MARD or bias are beyond their thresholds (percent). */
    public boolean drifting(double maxMard, double maxBias) {
        return mard > maxMard || Math.abs(bias) > maxBias;
    }

    /** To 0.01 %: finer is noise, and stable digits keep the JSON readable. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
