package com.vitasense.units;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canonical units and the conversion of vendor values into them.
 *
 * <p>{@link #normalize(Metric, double, String)} is the single place where a number changes unit,
 * so every vendor parser converts the same way and the factors are documented once. The raw value
 * and unit stay on the data point beside the converted ones.
 */
public final class Units {
    public static final String BPM = "bpm";
    public static final String MS = "ms";
    public static final String SECONDS = "s";
    public static final String COUNT = "count";
    public static final String MG_DL = "mg/dL";
    public static final String PERCENT = "%";
    public static final String DEG_C = "degC";
    public static final String BREATHS_PER_MIN = "breaths/min";
    public static final String KG = "kg";
    public static final String SCORE = "score";
    public static final String KJ = "kJ";

    /**
     * mg/dL per mmol/L of glucose: the molar mass of glucose (180.156 g/mol) / 10. The one factor
     * used everywhere (docs/vendor-formats.md, "mg/dL <-> mmol/L: divide by 18.0156").
     */
    public static final double GLUCOSE_MG_DL_PER_MMOL_L = 18.0156;

    /** The thermochemical kilocalorie, exactly, as nutrition and fitness labels use it. */
    public static final double KJ_PER_KCAL = 4.184;

    /** The international avoirdupois pound, exactly. */
    public static final double KG_PER_LB = 0.45359237;

    /**
     * Apple HealthKit writes molar glucose units with the molar mass inside, e.g.
     * {@code mmol<180.1558800000541>/L}. Matched after lower-casing.
     */
    private static final Pattern APPLE_MOLAR = Pattern.compile("mmol<([0-9]+(?:\\.[0-9]+)?)>/l");

    /** Glucose's molar mass in g/mol; an Apple molar unit naming another substance is rejected. */
    private static final double GLUCOSE_MOLAR_MASS = 180.156;

    private Units() {}

    /** A value in its metric's canonical unit. */
    public record Normalized(double value, String unit) {}

    /**
     * Converts {@code value} in {@code unit} to the canonical unit of {@code metric}.
     *
     * <p>Units match case-insensitively after trimming ({@code mg/dl}, {@code MMOL/L}, {@code DegF}).
     * A missing (null or blank) unit is accepted only where a bare number is unambiguous: counts,
     * scores, percentages, and SpO2 (a number in [0, 1] is a fraction). The result can be
     * non-finite when a finite input overflows in conversion; callers check.
     *
     * @throws UnsupportedUnitException if the unit is not a unit of the metric's quantity, the
     *     metric needs a unit and has none, or the metric is categorical (it has no numeric value)
     */
    public static Normalized normalize(Metric metric, double value, String unit) throws UnsupportedUnitException {
        Quantity q = metric.quantity();
        if (q == Quantity.CATEGORY) {
            throw new UnsupportedUnitException(metric.key(), unit,
                    metric.key() + " is categorical and has no numeric value or unit");
        }
        String key = unitKey(unit);
        if (key.isEmpty()) {
            return switch (q.unitless()) {
                case AS_CANONICAL -> new Normalized(value, q.canonicalUnit());
                case FRACTION_UP_TO_ONE -> new Normalized(value >= 0 && value <= 1 ? value * 100 : value,
                        q.canonicalUnit());
                case REJECT -> throw new UnsupportedUnitException(metric.key(), unit,
                        metric.key() + " needs a unit (accepted: " + String.join(", ", q.acceptedUnits()) + ")");
            };
        }
        Quantity.Conversion c = q.conversion(key);
        if (c == null && q == Quantity.GLUCOSE) {
            c = appleMolarGlucose(key);
        }
        if (c == null) {
            throw new UnsupportedUnitException(metric.key(), unit, "unit '" + unit + "' is not a unit of "
                    + metric.key() + " (accepted: " + String.join(", ", q.acceptedUnits()) + ")");
        }
        return new Normalized(c.apply(value), q.canonicalUnit());
    }

    /**
     * Like {@link #normalize(Metric, double, String)} for a metric given by name.
     *
     * @throws IllegalArgumentException if {@code metric} is not a canonical metric name; callers
     *     validate names with {@link Metric#find(String)} first
     */
    public static Normalized normalize(String metric, double value, String unit) throws UnsupportedUnitException {
        Metric m = Metric.find(metric)
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + metric + "'"));
        return normalize(m, value, unit);
    }

    /** The canonical unit of a metric name, or null if the metric is categorical. */
    public static String canonicalUnit(String metric) {
        return Metric.find(metric)
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + metric + "'"))
                .canonicalUnit();
    }

    /** The lookup key of a unit: trimmed, lower case (root locale), "" for null. */
    static String unitKey(String unit) {
        return unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
    }

    private static Quantity.Conversion appleMolarGlucose(String key) {
        Matcher m = APPLE_MOLAR.matcher(key);
        if (!m.matches()) return null;
        double molarMass = Double.parseDouble(m.group(1));
        // A different molar mass would name another substance; convert only glucose, with the one factor.
        if (Math.abs(molarMass - GLUCOSE_MOLAR_MASS) > 0.01) return null;
        return new Quantity.Conversion(GLUCOSE_MG_DL_PER_MMOL_L, 0);
    }
}
