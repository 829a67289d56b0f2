package com.vitasense.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The robust scale-and-offset fit of references against device values: {@code reference = scale *
 * device + offset}, estimated with Theil-Sen (the median of the pairwise slopes, then the median
 * intercept), which one wrong fingerstick in three cannot pull away, unlike least squares.
 *
 * <p>A slope needs readings that differ: with one pair, or with device values spread over less
 * than {@code minSpread} of their mean, or when Theil-Sen's slope falls outside the scale limits
 * (a sensor is off by an offset far more often than by a factor, and a wild slope is noise), the
 * fit is offset only: scale 1, offset the median of {@code reference - device}.
 */
public final class RobustFit {
    private RobustFit() {}

    /** A fitted correction. {@code quality} is null for a single pair. */
    public record Fit(double scale, double offset, Double quality, int pairs, String method) {
        public double apply(double value) {
            return scale * value + offset;
        }
    }

    /**
     * @param device the devices' values, uncorrected
     * @param reference the reference values, same order and length, all positive
     */
    public static Fit fit(double[] device, double[] reference, double minScale, double maxScale, double minSpread) {
        int n = device.length;
        if (n == 0 || reference.length != n) throw new IllegalArgumentException("need pairs, got " + n);
        double scale = 1;
        String method = "offset";
        if (n >= 2 && spread(device) >= minSpread * Math.abs(mean(device))) {
            List<Double> slopes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (device[j] != device[i]) slopes.add((reference[j] - reference[i]) / (device[j] - device[i]));
                }
            }
            double slope = median(slopes.stream().mapToDouble(Double::doubleValue).toArray());
            if (slope >= minScale && slope <= maxScale) {
                scale = slope;
                method = "theil-sen";
            }
        }
        double[] intercepts = new double[n];
        for (int i = 0; i < n; i++) intercepts[i] = reference[i] - scale * device[i];
        double offset = median(intercepts);
        return new Fit(scale, offset, n == 1 ? null : quality(device, reference, scale, offset), n, method);
    }

    /** One minus the median absolute relative residual, clipped to [0, 1]. */
    static double quality(double[] device, double[] reference, double scale, double offset) {
        double[] residuals = new double[device.length];
        for (int i = 0; i < device.length; i++) {
            residuals[i] = Math.abs(scale * device[i] + offset - reference[i]) / Math.abs(reference[i]);
        }
        return Math.max(0, Math.min(1, 1 - median(residuals)));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double spread(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) sum += x;
        return sum / v.length;
    }
}
