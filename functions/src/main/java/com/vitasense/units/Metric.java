package com.vitasense.units;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of canonical metric names (docs/design.md, "Canonical metric names") and each one's
 * canonical unit. Records carry the metric as its {@link #key() key} string, which is part of the
 * topic and table contract: keys are never renamed, new metrics are appended.
 *
 * <p>Additions to the design's list, each because a vendor reports it and no listed metric fits:
 * {@link #SLEEP_DURATION} (Oura, WHOOP), {@link #WORKOUT_DURATION} (Apple Health workouts, with the
 * activity type as the point's category), {@link #SLEEP_EFFICIENCY} (Oura, WHOOP) and
 * {@link #ENERGY_EXPENDITURE} (WHOOP cycle kilojoules).
 */
public enum Metric {
    HEART_RATE("heart_rate", Quantity.HEART_RATE),
    RESTING_HEART_RATE("resting_heart_rate", Quantity.HEART_RATE),
    HRV_RMSSD("hrv_rmssd", Quantity.DURATION_MS),
    HRV_SDNN("hrv_sdnn", Quantity.DURATION_MS),
    STEPS("steps", Quantity.COUNT),
    GLUCOSE("glucose", Quantity.GLUCOSE),
    SPO2("spo2", Quantity.OXYGEN_SATURATION),
    SKIN_TEMPERATURE("skin_temperature", Quantity.TEMPERATURE),
    BODY_TEMPERATURE("body_temperature", Quantity.TEMPERATURE),
    TEMPERATURE_DEVIATION("temperature_deviation", Quantity.TEMPERATURE_DELTA),
    RESPIRATORY_RATE("respiratory_rate", Quantity.RESPIRATORY_RATE),
    /** Categorical: the stage is in {@code DataPoint.category}; value and unit are null. */
    SLEEP_STAGE("sleep_stage", Quantity.CATEGORY),
    /** WHOOP's recovery, a percentage. */
    RECOVERY_SCORE("recovery_score", Quantity.PERCENT),
    READINESS_SCORE("readiness_score", Quantity.SCORE),
    /** WHOOP's day strain, 0-21. */
    STRAIN("strain", Quantity.SCORE),
    BODY_MASS("body_mass", Quantity.MASS),
    BATTERY_LEVEL("battery_level", Quantity.PERCENT),
    /** Total sleep time of a sleep period, in seconds. */
    SLEEP_DURATION("sleep_duration", Quantity.DURATION_S),
    /**
     * Duration of one workout, in seconds; the activity type (e.g. {@code running}) is the point's
     * {@code category}.
     */
    WORKOUT_DURATION("workout_duration", Quantity.DURATION_S),
    /** Share of a sleep period actually asleep (time asleep / time in bed), in percent. */
    SLEEP_EFFICIENCY("sleep_efficiency", Quantity.PERCENT),
    /** Energy expended over the point's interval (a WHOOP cycle), in kilojoules. */
    ENERGY_EXPENDITURE("energy_expenditure", Quantity.ENERGY);

    private static final Map<String, Metric> BY_KEY;

    static {
        Map<String, Metric> m = new HashMap<>();
        for (Metric metric : values()) m.put(metric.key, metric);
        BY_KEY = Collections.unmodifiableMap(m);
    }

    private final String key;
    private final Quantity quantity;

    Metric(String key, Quantity quantity) {
        this.key = key;
        this.quantity = quantity;
    }

    /** The canonical name, as written to {@code DataPoint.metric}, e.g. {@code heart_rate}. */
    public String key() {
        return key;
    }

    public Quantity quantity() {
        return quantity;
    }

    /** The canonical unit, e.g. {@code bpm}; null for categorical metrics. */
    public String canonicalUnit() {
        return quantity.canonicalUnit();
    }

    /** True when readings carry a category instead of a number (sleep stages). */
    public boolean isCategorical() {
        return quantity == Quantity.CATEGORY;
    }

    /** The metric with this canonical name (exact, case-sensitive: names are a contract). */
    public static Optional<Metric> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(BY_KEY.get(key));
    }

    /** True if {@code key} is a canonical metric name. */
    public static boolean isKnown(String key) {
        return find(key).isPresent();
    }

    @Override
    public String toString() {
        return key;
    }
}
