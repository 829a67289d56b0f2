package com.vitasense.units;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a metric physically measures, and therefore which units can be converted into its canonical
 * unit. Several metrics share a quantity (heart rate and resting heart rate are both a beat
 * frequency), so the unit aliases and conversion factors live here once instead of per metric.
 *
 * <p>Every conversion is affine, {@code canonical = value * scale + offset}; only absolute
 * temperatures need an offset. Aliases are matched after {@link Units#unitKey(String) trimming and
 * lower-casing}, so they are written in lower case.
 */
public enum Quantity {
    /** Beats per minute. {@code count/min} is how Apple Health writes heart rate. */
    HEART_RATE(Units.BPM, Unitless.REJECT, aliases()
            .add(1, "bpm", "beats/min", "beat/min", "beats per minute", "count/min", "/min", "1/min", "{beats}/min")
            .add(60, "count/s", "beats/s", "hz")),
    /** Breaths per minute. */
    RESPIRATORY_RATE(Units.BREATHS_PER_MIN, Unitless.REJECT, aliases()
            .add(1, "breaths/min", "breath/min", "brpm", "breaths per minute", "count/min", "/min", "1/min",
                    "{breaths}/min")),
    /** A duration whose canonical unit is milliseconds (heart-rate variability). */
    DURATION_MS(Units.MS, Unitless.REJECT, durations(1000)),
    /** A duration whose canonical unit is seconds (sleep durations). */
    DURATION_S(Units.SECONDS, Unitless.REJECT, durations(1)),
    /** A count of events; a unit-less number is a count. */
    COUNT(Units.COUNT, Unitless.AS_CANONICAL, aliases().add(1, "count", "steps", "step", "{steps}", "{count}")),
    /**
     * Glucose concentration. mmol/L is converted with the one factor {@link Units#GLUCOSE_MG_DL_PER_MMOL_L}
     * (molar mass of glucose / 10); Apple's {@code mmol<180.1558800000541>/L} is handled by
     * {@link Units#normalize(Metric, double, String)} because its alias embeds a number.
     */
    GLUCOSE(Units.MG_DL, Unitless.REJECT, aliases()
            .add(1, "mg/dl", "mg/100ml", "mg%")
            .add(Units.GLUCOSE_MG_DL_PER_MMOL_L, "mmol/l", "mmol/liter", "mmol/litre")),
    /** A percentage where a unit-less number already is the percentage (battery, recovery score). */
    PERCENT(Units.PERCENT, Unitless.AS_CANONICAL, aliases()
            .add(1, "%", "percent", "pct")
            .add(100, "fraction")),
    /**
     * Oxygen saturation: a percentage that devices also report as a 0..1 fraction. A unit-less
     * number in [0, 1] is read as a fraction (x100): an SpO2 of 1 % is not a living reading, so the
     * two readings cannot be confused. A unit-less number above 1 is read as a percentage. (Apple
     * Health labels its 0..1 fraction {@code %}; the Apple parser passes it on as {@code fraction}.)
     */
    OXYGEN_SATURATION(Units.PERCENT, Unitless.FRACTION_UP_TO_ONE, aliases()
            .add(1, "%", "percent", "pct")
            .add(100, "fraction")),
    /** An absolute temperature: Fahrenheit and Kelvin need an offset. */
    TEMPERATURE(Units.DEG_C, Unitless.REJECT, aliases()
            .add(1, 0, "degc", "°c", "c", "celsius", "cel", "deg c")
            .add(5.0 / 9.0, -32 * 5.0 / 9.0, "degf", "°f", "f", "fahrenheit", "[degf]", "deg f")
            .add(1, -273.15, "k", "kelvin")),
    /**
     * A temperature difference (deviation from a personal baseline): a delta of 1 degF is 5/9
     * degC, with no offset, unlike an absolute temperature.
     */
    TEMPERATURE_DELTA(Units.DEG_C, Unitless.REJECT, aliases()
            .add(1, "degc", "°c", "c", "celsius", "cel", "deg c")
            .add(5.0 / 9.0, "degf", "°f", "f", "fahrenheit", "[degf]", "deg f")
            .add(1, "k", "kelvin")),
    /** Body mass. */
    MASS(Units.KG, Unitless.REJECT, aliases()
            .add(1, "kg", "kilogram", "kilograms", "kgs")
            .add(0.001, "g", "gram", "grams")
            .add(Units.KG_PER_LB, "lb", "lbs", "pound", "pounds", "[lb_av]")),
    /** Energy: kilojoules, and kilocalories (the thermochemical calorie, 4.184 kJ per kcal). */
    ENERGY(Units.KJ, Unitless.REJECT, aliases()
            .add(1, "kj", "kilojoule", "kilojoules")
            .add(Units.KJ_PER_KCAL, "kcal", "kilocalorie", "kilocalories")),
    /** A vendor score without a physical unit (readiness 0-100, strain 0-21). */
    SCORE(Units.SCORE, Unitless.AS_CANONICAL, aliases().add(1, "score", "points", "pts")),
    /** A categorical value (a sleep stage): no number, no unit. */
    CATEGORY(null, Unitless.AS_CANONICAL, aliases());

    /** How a number that arrives without a unit is read. */
    enum Unitless {
        /** The quantity has a physical unit: a bare number is ambiguous and rejected. */
        REJECT,
        /** A bare number is already in the canonical unit. */
        AS_CANONICAL,
        /** A bare number in [0, 1] is a fraction (x100), above 1 a percentage. */
        FRACTION_UP_TO_ONE
    }

    /** One affine conversion into the canonical unit. */
    record Conversion(double scale, double offset) {
        double apply(double value) {
            return value * scale + offset;
        }
    }

    private final String canonicalUnit;
    private final Unitless unitless;
    private final Map<String, Conversion> conversions;

    Quantity(String canonicalUnit, Unitless unitless, Aliases aliases) {
        this.canonicalUnit = canonicalUnit;
        this.unitless = unitless;
        this.conversions = Collections.unmodifiableMap(aliases.map);
    }

    /** The canonical unit, or null for categorical quantities. */
    public String canonicalUnit() {
        return canonicalUnit;
    }

    /** The accepted unit spellings (lower case), for error messages and documentation. */
    public java.util.Set<String> acceptedUnits() {
        return conversions.keySet();
    }

    Unitless unitless() {
        return unitless;
    }

    Conversion conversion(String unitKey) {
        return conversions.get(unitKey);
    }

    private static Aliases aliases() {
        return new Aliases();
    }

    /** All common duration units, scaled to a canonical unit of which one second holds {@code perSecond}. */
    private static Aliases durations(double perSecond) {
        return aliases()
                .add(perSecond / 1000, "ms", "msec", "millisecond", "milliseconds")
                .add(perSecond, "s", "sec", "secs", "second", "seconds")
                .add(perSecond * 60, "min", "mins", "minute", "minutes")
                .add(perSecond * 3600, "h", "hr", "hrs", "hour", "hours");
    }

    /** Builder for the alias table; insertion order is kept so messages list units predictably. */
    private static final class Aliases {
        final Map<String, Conversion> map = new LinkedHashMap<>();

        Aliases add(double scale, String... units) {
            return add(scale, 0, units);
        }

        Aliases add(double scale, double offset, String... units) {
            for (String u : units) {
                if (map.put(u, new Conversion(scale, offset)) != null) {
                    throw new IllegalStateException("duplicate unit alias " + u);
                }
            }
            return this;
        }
    }
}
