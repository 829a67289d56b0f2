package com.vitasense.quality;

import com.vitasense.units.Metric;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Physiologically (or technically) plausible value ranges per metric, in canonical units. A value
 * outside its range is not a reading of the body but a sensor, transfer or conversion fault.
 *
 * <p>Lookup order: a range set for the device model (case-insensitive) and metric, then the metric's range (defaults
 * overridden by {@link #withOverrides}), else none (the metric is not range-checked). Immutable and
 * {@link Serializable}, so a configured instance travels inside Flink functions unchanged.
 *
 * <p>Defaults, from the CGM and wearable ecosystem (docs/vendor-formats.md): heart_rate 20-250 bpm,
 * resting_heart_rate 25-150 bpm, hrv_rmssd and hrv_sdnn 1-300 ms, steps 0-100000, glucose above 0
 * up to 1000 mg/dL, spo2 50-100 %, skin_temperature 20-45 degC, body_temperature 30-45 degC,
 * temperature_deviation -5..5 degC, respiratory_rate 4-60 breaths/min, recovery_score and
 * readiness_score 0-100, strain 0-21, body_mass 1-500 kg, battery_level 0-100 %, sleep_duration
 * 0-24 h, workout_duration 0-48 h (an ultra-distance event), sleep_efficiency 0-100 %,
 * energy_expenditure 0-50000 kJ (a WHOOP cycle of an extreme day is about 25000). Categorical
 * metrics (sleep_stage) have no range.
 */
public final class PlausibilityRanges implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * An interval of plausible values; each bound is inclusive unless stated otherwise. NaN is in no
     * range.
     */
    public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) implements Serializable {
        public Range {
            if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
                throw new IllegalArgumentException("invalid range " + min + ".." + max);
            }
        }

        /** [min, max]. */
        public static Range closed(double min, double max) {
            return new Range(min, true, max, true);
        }

        /** (min, max]: for quantities where the lower bound itself is impossible (glucose 0). */
        public static Range aboveUpTo(double min, double max) {
            return new Range(min, false, max, true);
        }

        public boolean contains(double v) {
            return (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        }

        @Override
        public String toString() {
            return (minInclusive ? "[" : "(") + min + ", " + max + (maxInclusive ? "]" : ")");
        }
    }

    private static final Map<String, Range> DEFAULTS = defaultRanges();

    private final Map<String, Range> byMetric;
    /** device model (lower-cased) -> metric -> range. */
    private final Map<String, Map<String, Range>> byModel;

    private PlausibilityRanges(Map<String, Range> byMetric, Map<String, Map<String, Range>> byModel) {
        this.byMetric = byMetric;
        this.byModel = byModel;
    }

    /** The default ranges listed in the class documentation. */
    public static PlausibilityRanges defaults() {
        return new PlausibilityRanges(new HashMap<>(DEFAULTS), new HashMap<>());
    }

    /** A copy in which the given per-metric ranges replace the current ones (other metrics keep theirs). */
    public PlausibilityRanges withOverrides(Map<String, Range> overrides) {
        Map<String, Range> m = new HashMap<>(byMetric);
        overrides.forEach((metric, range) -> m.put(Objects.requireNonNull(metric), Objects.requireNonNull(range)));
        return new PlausibilityRanges(m, copyModels());
    }

    /** A copy with a range for one metric of one device model, which wins over the metric's range. */
    public PlausibilityRanges withModelRange(String deviceModel, String metric, Range range) {
        Map<String, Map<String, Range>> models = copyModels();
        models.computeIfAbsent(QualityRules.modelKey(Objects.requireNonNull(deviceModel)), k -> new HashMap<>())
                .put(Objects.requireNonNull(metric), Objects.requireNonNull(range));
        return new PlausibilityRanges(new HashMap<>(byMetric), models);
    }

    /** The range for a metric reported by a device model (null model: the metric's range); null if none. */
    public Range rangeFor(String metric, String deviceModel) {
        if (deviceModel != null) {
            Map<String, Range> model = byModel.get(QualityRules.modelKey(deviceModel));
            if (model != null && model.containsKey(metric)) return model.get(metric);
        }
        return byMetric.get(metric);
    }

    /** The per-metric ranges, read-only. */
    public Map<String, Range> metricRanges() {
        return Collections.unmodifiableMap(byMetric);
    }

    private Map<String, Map<String, Range>> copyModels() {
        Map<String, Map<String, Range>> copy = new HashMap<>();
        byModel.forEach((model, ranges) -> copy.put(model, new HashMap<>(ranges)));
        return copy;
    }

    private static Map<String, Range> defaultRanges() {
        Map<String, Range> m = new HashMap<>();
        m.put(Metric.HEART_RATE.key(), Range.closed(20, 250));
        m.put(Metric.RESTING_HEART_RATE.key(), Range.closed(25, 150));
        m.put(Metric.HRV_RMSSD.key(), Range.closed(1, 300));
        m.put(Metric.HRV_SDNN.key(), Range.closed(1, 300));
        m.put(Metric.STEPS.key(), Range.closed(0, 100_000));
        // A glucose of exactly 0 is a sentinel or a conversion fault, never a measurement.
        m.put(Metric.GLUCOSE.key(), Range.aboveUpTo(0, 1000));
        m.put(Metric.SPO2.key(), Range.closed(50, 100));
        m.put(Metric.SKIN_TEMPERATURE.key(), Range.closed(20, 45));
        m.put(Metric.BODY_TEMPERATURE.key(), Range.closed(30, 45));
        m.put(Metric.TEMPERATURE_DEVIATION.key(), Range.closed(-5, 5));
        m.put(Metric.RESPIRATORY_RATE.key(), Range.closed(4, 60));
        m.put(Metric.RECOVERY_SCORE.key(), Range.closed(0, 100));
        m.put(Metric.READINESS_SCORE.key(), Range.closed(0, 100));
        m.put(Metric.STRAIN.key(), Range.closed(0, 21));
        m.put(Metric.BODY_MASS.key(), Range.closed(1, 500));
        m.put(Metric.BATTERY_LEVEL.key(), Range.closed(0, 100));
        m.put(Metric.SLEEP_DURATION.key(), Range.closed(0, 24 * 3600));
        m.put(Metric.WORKOUT_DURATION.key(), Range.closed(0, 48 * 3600));
        m.put(Metric.SLEEP_EFFICIENCY.key(), Range.closed(0, 100));
        m.put(Metric.ENERGY_EXPENDITURE.key(), Range.closed(0, 50_000));
        return Collections.unmodifiableMap(m);
    }
}
