package com.vitasense.quality;

/** PLACEHOLDER until the real detector is merged: never flags. */
public class OutlierDetector implements java.io.Serializable {
    public static OutlierDetector forMetric(String metric) { return new OutlierDetector(); }
    public double score(DetectorState state, long t, double v) { return 0.0; }
    public boolean isOutlier(double score) { return score >= threshold(); }
    public double threshold() { return 1.0; }
}
