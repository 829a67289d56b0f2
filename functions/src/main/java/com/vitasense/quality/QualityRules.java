package com.vitasense.quality;

import com.vitasense.units.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The thresholds of the data-quality rules, per metric (and per vendor or device model where the
 * sensor decides): plausible ranges, physiologically possible jumps, expected reading intervals,
 * gap filling, timestamp sanity and cross-device tolerances. Defaults come from the CGM and
 * wearable ecosystem; {@link #withProperties} overrides any of them.
 *
 * <p>Override keys (a properties file, see README):
 * <pre>
 * range.&lt;metric&gt;=min..max                 range.&lt;metric&gt;@&lt;device model&gt;=min..max
 * jump.&lt;metric&gt;=base+perMinute              jump.&lt;metric&gt;@&lt;device model&gt;=base+perMinute (glucose 20+100)
 * interval.&lt;vendor&gt;.&lt;metric&gt;=5m             interval.&lt;vendor&gt;.&lt;metric&gt;@&lt;device model&gt;=1m
 * agreement.&lt;metric&gt;=window,abs,rel         e.g. agreement.heart_rate=1m,15,0.2
 * max-fill-intervals=3    clock-skew=5m    max-backfill=365d    state-retention=7d
 * </pre>
 * A setting for a device model (matched case-insensitively, as the calibration rules match them)
 * wins over the metric's setting for that model's readings. Agreement compares devices with each
 * other, so it has no per-model setting. Unknown keys and invalid values fail with a message naming
 * the key.
 */
public final class QualityRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A change is impossible when it exceeds {@code base + perMinute * minutes} between two
     * readings: the base absorbs sensor noise, the slope is the fastest plausible rate of change
     * (a plausibility bound like the ranges, not the physiological norm).
     */
    public record JumpLimit(double base, double perMinute) implements Serializable {
        public JumpLimit {
            if (!(base >= 0) || !(perMinute >= 0) || Double.isInfinite(base) || Double.isInfinite(perMinute)) {
                throw new IllegalArgumentException("base and perMinute must be finite and not negative, got "
                        + base + "+" + perMinute);
            }
        }

        public double allowed(long millis) {
            return base + perMinute * millis / 60_000.0;
        }
    }

    /**
     * Two devices agree when readings at most {@code window} apart differ by no more than
     * {@code absolute} or {@code relative} times their mean, whichever is larger.
     */
    public record Agreement(Duration window, double absolute, double relative) implements Serializable {
        public Agreement {
            if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
            if (!(absolute >= 0) || !(relative >= 0)) {
                throw new IllegalArgumentException("absolute and relative tolerances must not be negative");
            }
        }

        public double tolerance(double a, double b) {
            return Math.max(absolute, relative * (Math.abs(a) + Math.abs(b)) / 2);
        }
    }

    /** The separator of a per-model setting's key, and of the maps' keys for them. */
    static final String MODEL = "@";

    private final PlausibilityRanges ranges;
    /** By metric, and by {@code metric@model} (model lower-cased) for per-model limits. */
    private final Map<String, JumpLimit> jumps;
    /** By {@code vendor.metric}, and by {@code vendor.metric@model} (model lower-cased). */
    private final Map<String, Duration> intervals;
    private final Map<String, Agreement> agreements;
    private final int maxFillIntervals;
    private final Duration clockSkew;
    private final Duration maxBackfill;
    private final Duration stateRetention;

    private QualityRules(PlausibilityRanges ranges, Map<String, JumpLimit> jumps, Map<String, Duration> intervals,
                         Map<String, Agreement> agreements, int maxFillIntervals, Duration clockSkew,
                         Duration maxBackfill, Duration stateRetention) {
        this.ranges = ranges;
        this.jumps = Map.copyOf(jumps);
        this.intervals = Map.copyOf(intervals);
        this.agreements = Map.copyOf(agreements);
        this.maxFillIntervals = maxFillIntervals;
        this.clockSkew = clockSkew;
        this.maxBackfill = maxBackfill;
        this.stateRetention = stateRetention;
    }

    public static QualityRules defaults() {
        Map<String, JumpLimit> jumps = new HashMap<>();
        // The plausible rate of change VENDOR_FORMATS.md gives for glucose, +-100 mg/dL/min, plus
        // 20 mg/dL of sensor noise so that readings seconds apart are not judged by a rate their
        // noise alone exceeds. Real glucose changes at most ~4-5 mg/dL/min: this rule catches
        // technically impossible values (transmission, conversion, sensor artefacts); fast but
        // possible changes are the outlier detector's and the SPIKE alert's business.
        jumps.put("glucose", new JumpLimit(20, 100));
        jumps.put("heart_rate", new JumpLimit(50, 60));
        jumps.put("spo2", new JumpLimit(8, 4));
        jumps.put("skin_temperature", new JumpLimit(2, 0.5));
        jumps.put("body_temperature", new JumpLimit(1.5, 0.2));
        jumps.put("respiratory_rate", new JumpLimit(15, 10));
        jumps.put("body_mass", new JumpLimit(5, 0.01));

        Map<String, Duration> intervals = new HashMap<>();
        intervals.put("dexcom.glucose", Duration.ofMinutes(5));
        intervals.put("nightscout.glucose", Duration.ofMinutes(5));
        intervals.put("libre.glucose", Duration.ofMinutes(15));
        intervals.put("fitbit.heart_rate", Duration.ofMinutes(1));
        intervals.put("fitbit.steps", Duration.ofMinutes(1));
        intervals.put("oura.heart_rate", Duration.ofMinutes(5));

        Map<String, Agreement> agreements = new HashMap<>();
        agreements.put("heart_rate", new Agreement(Duration.ofMinutes(1), 15, 0.2));
        agreements.put("glucose", new Agreement(Duration.ofMinutes(5), 20, 0.2));
        agreements.put("spo2", new Agreement(Duration.ofMinutes(2), 4, 0));

        return new QualityRules(PlausibilityRanges.defaults(), jumps, intervals, agreements, 3,
                Duration.ofMinutes(5), Duration.ofDays(365), Duration.ofDays(7));
    }

    public PlausibilityRanges ranges() {
        return ranges;
    }

    /** The jump limit of a metric, or null where jumps are not checked (steps, scores, HRV). */
    public JumpLimit jumpLimit(String metric) {
        return jumpLimit(metric, null);
    }

    /**
     * The jump limit of a metric as read by a device model: the model's own setting if there is
     * one, else the metric's; null where jumps are not checked.
     */
    public JumpLimit jumpLimit(String metric, String deviceModel) {
        return forModel(jumps, metric, deviceModel);
    }

    /** The expected interval between readings of a vendor's metric, or null where readings are irregular. */
    public Duration expectedInterval(String vendor, String metric) {
        return expectedInterval(vendor, metric, null);
    }

    /**
     * The expected interval between readings of a vendor's metric from a device model (a Libre 3
     * reads every minute, a Libre 2 every 15): the model's own setting if there is one, else the
     * vendor's; null where readings are irregular.
     */
    public Duration expectedInterval(String vendor, String metric, String deviceModel) {
        return forModel(intervals, vendor + "." + metric, deviceModel);
    }

    private static <V> V forModel(Map<String, V> settings, String key, String deviceModel) {
        if (deviceModel != null) {
            V own = settings.get(key + MODEL + modelKey(deviceModel));
            if (own != null) return own;
        }
        return settings.get(key);
    }

    /** Device models are matched case-insensitively: vendors and users spell them differently. */
    static String modelKey(String deviceModel) {
        return deviceModel.strip().toLowerCase(Locale.ROOT);
    }

    /** The cross-device tolerance of a metric, or null where devices are not compared. */
    public Agreement agreement(String metric) {
        return agreements.get(metric);
    }

    /**
     * The longest agreement window of any metric: how long the agreement stage may hold a reading
     * after the watermark has passed its time.
     */
    public Duration longestAgreementWindow() {
        return agreements.values().stream().map(Agreement::window).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Gaps of at most this many missing readings are filled with interpolated points. */
    public int maxFillIntervals() {
        return maxFillIntervals;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public Duration maxBackfill() {
        return maxBackfill;
    }

    /** How long (event time) a quiet series keeps its state before it is cleared. */
    public Duration stateRetention() {
        return stateRetention;
    }

    /**
     * These rules with the overrides in {@code p} (keys in the class comment). Fails with a message
     * naming the key on anything it cannot read.
     */
    public QualityRules withProperties(Properties p) {
        Map<String, PlausibilityRanges.Range> rangeOverrides = new HashMap<>();
        PlausibilityRanges newRanges = ranges;
        Map<String, JumpLimit> newJumps = new HashMap<>(jumps);
        Map<String, Duration> newIntervals = new HashMap<>(intervals);
        Map<String, Agreement> newAgreements = new HashMap<>(agreements);
        int fill = maxFillIntervals;
        Duration skew = clockSkew;
        Duration backfill = maxBackfill;
        Duration retention = stateRetention;
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            try {
                if (key.startsWith("range.")) {
                    Target target = Target.of(key, "range.");
                    PlausibilityRanges.Range r = parseRange(value);
                    if (target.model() == null) rangeOverrides.put(target.name(), r);
                    else newRanges = newRanges.withModelRange(target.model(), target.name(), r);
                } else if (key.startsWith("jump.")) {
                    Target target = Target.of(key, "jump.");
                    String[] parts = value.split("\\+");
                    if (parts.length != 2) throw new IllegalArgumentException("expected base+perMinute such as 20+100");
                    newJumps.put(target.mapKey(), new JumpLimit(number(parts[0]), number(parts[1])));
                } else if (key.startsWith("interval.")) {
                    Target target = Target.of(key, "interval.");
                    if (target.name().indexOf('.') <= 0 || target.name().endsWith(".")) {
                        throw new IllegalArgumentException("expected interval.<vendor>.<metric>[@<device model>]");
                    }
                    newIntervals.put(target.mapKey(), positive(Durations.parse(value)));
                } else if (key.startsWith("agreement.")) {
                    Target target = Target.of(key, "agreement.");
                    if (target.model() != null) {
                        throw new IllegalArgumentException("agreement compares a user's devices with each other:"
                                + " it has no per-model setting");
                    }
                    String[] parts = value.split(",");
                    if (parts.length != 3) throw new IllegalArgumentException("expected window,absolute,relative such as 1m,15,0.2");
                    newAgreements.put(target.name(), new Agreement(Durations.parse(parts[0]), number(parts[1]),
                            number(parts[2])));
                } else if (key.equals("max-fill-intervals")) {
                    fill = wholeNumber(value);
                    if (fill < 0) throw new IllegalArgumentException("must not be negative");
                } else if (key.equals("clock-skew")) {
                    skew = Durations.parse(value);
                    if (skew.isNegative()) throw new IllegalArgumentException("must not be negative");
                } else if (key.equals("max-backfill")) {
                    backfill = positive(Durations.parse(value));
                } else if (key.equals("state-retention")) {
                    retention = positive(Durations.parse(value));
                } else {
                    throw new IllegalArgumentException("unknown setting; the keys are range.<metric>[@<model>],"
                            + " jump.<metric>[@<model>], interval.<vendor>.<metric>[@<model>], agreement.<metric>,"
                            + " max-fill-intervals, clock-skew, max-backfill, state-retention");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("quality rule '" + key + "=" + value + "': " + e.getMessage(), e);
            }
        }
        return new QualityRules(newRanges.withOverrides(rangeOverrides), newJumps, newIntervals, newAgreements, fill,
                skew, backfill, retention);
    }

    /**
     * What a key is about: the metric (or {@code vendor.metric}) after its prefix, and the device
     * model after {@code @}, if any.
     */
    private record Target(String name, String model) {
        static Target of(String key, String prefix) {
            String rest = key.substring(prefix.length());
            int at = rest.indexOf(MODEL);
            String name = at < 0 ? rest : rest.substring(0, at);
            String model = at < 0 ? null : rest.substring(at + 1).strip();
            if (name.isBlank()) throw new IllegalArgumentException("no metric after '" + prefix + "'");
            if (model != null && model.isEmpty()) throw new IllegalArgumentException("no device model after '@'");
            return new Target(name, model);
        }

        /** The key of the rules' maps: the name, or {@code name@model} with the model lower-cased. */
        String mapKey() {
            return model == null ? name : name + MODEL + modelKey(model);
        }
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a number", e);
        }
    }

    private static int wholeNumber(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a whole number", e);
        }
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be positive");
        return d;
    }

    private static PlausibilityRanges.Range parseRange(String value) {
        String[] parts = value.split("\\.\\.");
        if (parts.length != 2) throw new IllegalArgumentException("expected min..max such as 30..220");
        return PlausibilityRanges.Range.closed(number(parts[0]), number(parts[1]));
    }
}
