package com.vitasense.quality;

import com.vitasense.units.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
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
 * jump.&lt;metric&gt;=base+perMinute              e.g. jump.glucose=20+5
 * interval.&lt;vendor&gt;.&lt;metric&gt;=5m             max-fill-intervals=3
 * clock-skew=5m    max-backfill=365d    state-retention=7d
 * agreement.&lt;metric&gt;=window,abs,rel         e.g. agreement.heart_rate=1m,15,0.2
 * </pre>
 */
public final class QualityRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A change is impossible when it exceeds {@code base + perMinute * minutes} between two
     * readings: the base absorbs sensor noise, the slope bounds how fast the body can change.
     */
    public record JumpLimit(double base, double perMinute) implements Serializable {
        public double allowed(long millis) {
            return base + perMinute * millis / 60_000.0;
        }
    }

    /**
     * Two devices agree when readings at most {@code window} apart differ by no more than
     * {@code absolute} or {@code relative} times their mean, whichever is larger.
     */
    public record Agreement(Duration window, double absolute, double relative) implements Serializable {
        public double tolerance(double a, double b) {
            return Math.max(absolute, relative * (Math.abs(a) + Math.abs(b)) / 2);
        }
    }

    private final PlausibilityRanges ranges;
    private final Map<String, JumpLimit> jumps;
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
        // CGM glucose physiologically changes at most ~4-5 mg/dL/min; 20 mg/dL covers sensor noise.
        jumps.put("glucose", new JumpLimit(20, 5));
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
        return jumps.get(metric);
    }

    /** The expected interval between readings of a vendor's metric, or null where readings are irregular. */
    public Duration expectedInterval(String vendor, String metric) {
        return intervals.get(vendor + "." + metric);
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
                    String rest = key.substring("range.".length());
                    int at = rest.indexOf('@');
                    PlausibilityRanges.Range r = parseRange(value);
                    if (at < 0) rangeOverrides.put(rest, r);
                    else newRanges = newRanges.withModelRange(rest.substring(at + 1), rest.substring(0, at), r);
                } else if (key.startsWith("jump.")) {
                    String[] parts = value.split("\\+");
                    if (parts.length != 2) throw new IllegalArgumentException("expected base+perMinute");
                    newJumps.put(key.substring("jump.".length()),
                            new JumpLimit(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())));
                } else if (key.startsWith("interval.")) {
                    newIntervals.put(key.substring("interval.".length()), Durations.parse(value));
                } else if (key.startsWith("agreement.")) {
                    String[] parts = value.split(",");
                    if (parts.length != 3) throw new IllegalArgumentException("expected window,absolute,relative");
                    newAgreements.put(key.substring("agreement.".length()), new Agreement(Durations.parse(parts[0]),
                            Double.parseDouble(parts[1].trim()), Double.parseDouble(parts[2].trim())));
                } else if (key.equals("max-fill-intervals")) {
                    fill = Integer.parseInt(value);
                    if (fill < 0) throw new IllegalArgumentException("must not be negative");
                } else if (key.equals("clock-skew")) {
                    skew = Durations.parse(value);
                } else if (key.equals("max-backfill")) {
                    backfill = Durations.parse(value);
                } else if (key.equals("state-retention")) {
                    retention = Durations.parse(value);
                } else {
                    throw new IllegalArgumentException("unknown rule setting");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("quality rule '" + key + "=" + value + "': " + e.getMessage(), e);
            }
        }
        return new QualityRules(newRanges.withOverrides(rangeOverrides), newJumps, newIntervals, newAgreements, fill,
                skew, backfill, retention);
    }

    private static PlausibilityRanges.Range parseRange(String value) {
        String[] parts = value.split("\\.\\.");
        if (parts.length != 2) throw new IllegalArgumentException("expected min..max");
        return PlausibilityRanges.Range.closed(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
    }
}
