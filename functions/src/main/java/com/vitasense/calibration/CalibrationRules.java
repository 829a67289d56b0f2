package com.vitasense.calibration;

import com.vitasense.units.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The settings of the calibration stage: which metrics are calibrated, how references are paired
 * and fitted, the drift thresholds, and per device model the calibration schedule and the sensor
 * warm-up. Defaults follow CGM practice; {@link #withProperties} overrides any of them.
 *
 * <p>Override keys (all prefixed {@code calibration.}, so they can share the quality-rules file):
 * <pre>
 * calibration.metrics=glucose                  metrics whose readings are corrected
 * calibration.tolerance=5m                     calibration.tolerance.&lt;metric&gt;=5m   pairing window, each side
 * calibration.window=7d                        calibration.window-pairs=6          pairs a fit uses
 * calibration.drift-pairs=4                    calibration.min-drift-pairs=2
 * calibration.max-mard=15                      calibration.max-mard.&lt;metric&gt;=15    percent
 * calibration.max-bias=10                      calibration.max-bias.&lt;metric&gt;=10    percent
 * calibration.scale-limits=0.7..1.3            calibration.min-spread=0.2          (of the mean reading)
 * calibration.schedule@&lt;model&gt;=12h,24h        due after, overdue after the last calibration ("none" to drop)
 * calibration.warmup@&lt;model&gt;=2h               calibration.session-gap=2h
 * calibration.state-retention=14d
 * calibration.reference-device.&lt;metric&gt;=Polar H10,...   a more accurate device of the same user as reference
 * calibration.reference-interval=1h            at most one such reference per device and interval
 * </pre>
 */
public final class CalibrationRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** When a calibration is due, and when it is overdue, counted from the last one. */
    public record Schedule(Duration due, Duration overdue) implements Serializable {}

    public static final String PREFIX = "calibration.";

    private final Set<String> metrics;
    private final Duration tolerance;
    private final Map<String, Duration> tolerances;
    private final Duration window;
    private final int windowPairs;
    private final int driftPairs;
    private final int minDriftPairs;
    private final double maxMard;
    private final Map<String, Double> maxMards;
    private final double maxBias;
    private final Map<String, Double> maxBiases;
    private final double minScale;
    private final double maxScale;
    private final double minSpread;
    /** Keyed by lower-case device model. */
    private final Map<String, Schedule> schedules;
    /** Keyed by lower-case device model. */
    private final Map<String, Duration> warmups;
    private final Duration sessionGap;
    private final Duration stateRetention;
    /** Per metric, the lower-case device models whose readings are references for the user's other devices. */
    private final Map<String, Set<String>> referenceDevices;
    private final Duration referenceInterval;

    private CalibrationRules(Builder b) {
        this.metrics = Set.copyOf(b.metrics);
        this.tolerance = b.tolerance;
        this.tolerances = Map.copyOf(b.tolerances);
        this.window = b.window;
        this.windowPairs = b.windowPairs;
        this.driftPairs = b.driftPairs;
        this.minDriftPairs = b.minDriftPairs;
        this.maxMard = b.maxMard;
        this.maxMards = Map.copyOf(b.maxMards);
        this.maxBias = b.maxBias;
        this.maxBiases = Map.copyOf(b.maxBiases);
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.minSpread = b.minSpread;
        this.schedules = Map.copyOf(b.schedules);
        this.warmups = Map.copyOf(b.warmups);
        this.sessionGap = b.sessionGap;
        this.stateRetention = b.stateRetention;
        Map<String, Set<String>> refs = new HashMap<>();
        b.referenceDevices.forEach((metric, models) -> refs.put(metric, Set.copyOf(models)));
        this.referenceDevices = Map.copyOf(refs);
        this.referenceInterval = b.referenceInterval;
    }

    /**
     * CGM defaults: glucose is calibrated; a fingerstick pairs with the sensor reading within 5 min
     * (one Dexcom interval) either side; the correction is fitted on up to 6 references of the last
     * 7 days; drift is a rolling MARD above 15 % (the ISO 15197 meter tolerance) or a bias beyond
     * 10 % over the last 4 references. Sensors that need calibrating (Dexcom G4/G5, Medtronic
     * Guardian) are due every 12 h and overdue after 24 h; factory-calibrated ones (Dexcom G6/G7,
     * Libre) have no schedule. Warm-ups: Dexcom G4-G6 2 h, G7 30 min, Libre 1 h, Guardian 2 h.
     */
    public static CalibrationRules defaults() {
        return new Builder().build();
    }

    /** True if readings of {@code metric} are corrected and its references used. */
    public boolean calibrates(String metric) {
        return metrics.contains(metric);
    }

    public Set<String> metrics() {
        return metrics;
    }

    /** How far, either side of a reference, the reading it is paired with may be. */
    public Duration tolerance(String metric) {
        return tolerances.getOrDefault(metric, tolerance);
    }

    /**
     * The longest tolerance of any metric: how long the calibration stage may hold a reading after
     * the watermark has passed its time.
     */
    public Duration longestTolerance() {
        return tolerances.values().stream().max(Duration::compareTo).filter(d -> d.compareTo(tolerance) > 0).orElse(tolerance);
    }

    /** References older than this (before the newest) are not used by a fit or the drift statistics. */
    public Duration window() {
        return window;
    }

    public int windowPairs() {
        return windowPairs;
    }

    public int driftPairs() {
        return driftPairs;
    }

    public int minDriftPairs() {
        return minDriftPairs;
    }

    /** Rolling MARD above this, in percent, is drift. */
    public double maxMard(String metric) {
        return maxMards.getOrDefault(metric, maxMard);
    }

    /** Rolling bias beyond this, in percent either way, is drift. */
    public double maxBias(String metric) {
        return maxBiases.getOrDefault(metric, maxBias);
    }

    public double minScale() {
        return minScale;
    }

    public double maxScale() {
        return maxScale;
    }

    /** A fitted scale needs readings spread over at least this fraction of their mean; else offset only. */
    public double minSpread() {
        return minSpread;
    }

    /** The calibration schedule of a device model, or null where the model needs none (factory calibrated). */
    public Schedule schedule(String deviceModel) {
        return deviceModel == null ? null : schedules.get(deviceModel.toLowerCase(Locale.ROOT));
    }

    /** The sensor warm-up of a device model; zero where none is known. */
    public Duration warmup(String deviceModel) {
        if (deviceModel == null) return Duration.ZERO;
        return warmups.getOrDefault(deviceModel.toLowerCase(Locale.ROOT), Duration.ZERO);
    }

    /** A gap in readings at least this long starts a new sensor session (and its warm-up). */
    public Duration sessionGap() {
        return sessionGap;
    }

    /** How long (event time) a quiet series keeps its calibration state. */
    public Duration stateRetention() {
        return stateRetention;
    }

    /** True if some metric takes a device of the same user as reference. */
    public boolean hasReferenceDevices() {
        return !referenceDevices.isEmpty();
    }

    /** True if readings of a {@code deviceModel} device are references for the user's other devices' {@code metric}. */
    public boolean isReferenceDevice(String metric, String deviceModel) {
        Set<String> models = referenceDevices.get(metric);
        return models != null && deviceModel != null && models.contains(deviceModel.toLowerCase(Locale.ROOT));
    }

    /** True if {@code metric} has a reference device configured. */
    public boolean hasReferenceDevice(String metric) {
        return referenceDevices.containsKey(metric);
    }

    /** At most one reference from a reference device per target device and this interval. */
    public Duration referenceInterval() {
        return referenceInterval;
    }

    /**
     * These rules with the overrides in {@code p}; keys that do not start with {@value #PREFIX}
     * are not this class's and are skipped. Fails with a message naming the key on anything it
     * cannot read.
     */
    public CalibrationRules withProperties(Properties p) {
        Builder b = new Builder(this);
        for (String fullKey : p.stringPropertyNames()) {
            if (!fullKey.startsWith(PREFIX)) continue;
            String key = fullKey.substring(PREFIX.length());
            String value = p.getProperty(fullKey).trim();
            try {
                b.set(key, value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("calibration rule '" + fullKey + "=" + value + "': " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static final class Builder {
        Set<String> metrics = new LinkedHashSet<>(Set.of("glucose"));
        Duration tolerance = Duration.ofMinutes(5);
        Map<String, Duration> tolerances = new HashMap<>();
        Duration window = Duration.ofDays(7);
        int windowPairs = 6;
        int driftPairs = 4;
        int minDriftPairs = 2;
        double maxMard = 15;
        Map<String, Double> maxMards = new HashMap<>();
        double maxBias = 10;
        Map<String, Double> maxBiases = new HashMap<>();
        double minScale = 0.7;
        double maxScale = 1.3;
        double minSpread = 0.2;
        Map<String, Schedule> schedules = new HashMap<>();
        Map<String, Duration> warmups = new HashMap<>();
        Duration sessionGap = Duration.ofHours(2);
        Duration stateRetention = Duration.ofDays(14);
        Map<String, Set<String>> referenceDevices = new HashMap<>();
        Duration referenceInterval = Duration.ofHours(1);

        Builder() {
            Schedule twiceADay = new Schedule(Duration.ofHours(12), Duration.ofHours(24));
            for (String m : new String[] {"dexcom g4", "dexcom g5", "medtronic guardian", "medtronic guardian 3",
                    "guardian connect"}) {
                schedules.put(m, twiceADay);
            }
            warmups.put("dexcom g4", Duration.ofHours(2));
            warmups.put("dexcom g5", Duration.ofHours(2));
            warmups.put("dexcom g6", Duration.ofHours(2));
            warmups.put("dexcom g7", Duration.ofMinutes(30));
            warmups.put("freestyle libre", Duration.ofHours(1));
            warmups.put("freestyle libre 2", Duration.ofHours(1));
            warmups.put("freestyle libre 3", Duration.ofHours(1));
            warmups.put("medtronic guardian", Duration.ofHours(2));
            warmups.put("medtronic guardian 3", Duration.ofHours(2));
            warmups.put("guardian connect", Duration.ofHours(2));
        }

        Builder(CalibrationRules r) {
            metrics = new LinkedHashSet<>(r.metrics);
            tolerance = r.tolerance;
            tolerances = new HashMap<>(r.tolerances);
            window = r.window;
            windowPairs = r.windowPairs;
            driftPairs = r.driftPairs;
            minDriftPairs = r.minDriftPairs;
            maxMard = r.maxMard;
            maxMards = new HashMap<>(r.maxMards);
            maxBias = r.maxBias;
            maxBiases = new HashMap<>(r.maxBiases);
            minScale = r.minScale;
            maxScale = r.maxScale;
            minSpread = r.minSpread;
            schedules = new HashMap<>(r.schedules);
            warmups = new HashMap<>(r.warmups);
            sessionGap = r.sessionGap;
            stateRetention = r.stateRetention;
            referenceDevices = new HashMap<>(r.referenceDevices);
            referenceInterval = r.referenceInterval;
        }

        void set(String key, String value) {
            if (key.startsWith("schedule@")) {
                String model = key.substring("schedule@".length()).toLowerCase(Locale.ROOT);
                if (value.equalsIgnoreCase("none")) {
                    schedules.remove(model);
                    return;
                }
                String[] parts = value.split(",");
                if (parts.length != 2) throw new IllegalArgumentException("expected due,overdue such as 12h,24h or none");
                Schedule s = new Schedule(Durations.parse(parts[0]), Durations.parse(parts[1]));
                if (s.overdue().compareTo(s.due()) < 0) throw new IllegalArgumentException("overdue before due");
                schedules.put(model, s);
            } else if (key.startsWith("warmup@")) {
                warmups.put(key.substring("warmup@".length()).toLowerCase(Locale.ROOT), Durations.parse(value));
            } else if (key.startsWith("tolerance.")) {
                tolerances.put(key.substring("tolerance.".length()), positive(Durations.parse(value)));
            } else if (key.startsWith("reference-device.")) {
                Set<String> models = new LinkedHashSet<>();
                for (String m : value.split(",")) if (!m.isBlank()) models.add(m.trim().toLowerCase(Locale.ROOT));
                String metric = key.substring("reference-device.".length());
                if (models.isEmpty()) referenceDevices.remove(metric);
                else referenceDevices.put(metric, models);
            } else if (key.startsWith("max-mard.")) {
                maxMards.put(key.substring("max-mard.".length()), Double.parseDouble(value));
            } else if (key.startsWith("max-bias.")) {
                maxBiases.put(key.substring("max-bias.".length()), Double.parseDouble(value));
            } else {
                switch (key) {
                    case "metrics" -> {
                        metrics = new LinkedHashSet<>();
                        for (String m : value.split(",")) if (!m.isBlank()) metrics.add(m.trim());
                    }
                    case "tolerance" -> tolerance = positive(Durations.parse(value));
                    case "window" -> window = positive(Durations.parse(value));
                    case "window-pairs" -> windowPairs = atLeastOne(Integer.parseInt(value));
                    case "drift-pairs" -> driftPairs = atLeastOne(Integer.parseInt(value));
                    case "min-drift-pairs" -> minDriftPairs = atLeastOne(Integer.parseInt(value));
                    case "max-mard" -> maxMard = Double.parseDouble(value);
                    case "max-bias" -> maxBias = Double.parseDouble(value);
                    case "scale-limits" -> {
                        String[] parts = value.split("\\.\\.");
                        if (parts.length != 2) throw new IllegalArgumentException("expected min..max");
                        minScale = Double.parseDouble(parts[0].trim());
                        maxScale = Double.parseDouble(parts[1].trim());
                        if (!(minScale > 0 && minScale <= 1 && maxScale >= 1)) {
                            throw new IllegalArgumentException("expected 0 < min <= 1 <= max");
                        }
                    }
                    case "min-spread" -> minSpread = Double.parseDouble(value);
                    case "session-gap" -> sessionGap = positive(Durations.parse(value));
                    case "state-retention" -> stateRetention = positive(Durations.parse(value));
                    case "reference-interval" -> referenceInterval = positive(Durations.parse(value));
                    default -> throw new IllegalArgumentException("unknown calibration setting");
                }
            }
        }

        CalibrationRules build() {
            for (String metric : referenceDevices.keySet()) {
                if (!metrics.contains(metric)) {
                    throw new IllegalArgumentException("calibration.reference-device." + metric + " needs " + metric
                            + " in calibration.metrics " + metrics);
                }
            }
            if (stateRetention.compareTo(window) < 0) {
                throw new IllegalArgumentException("calibration.state-retention " + stateRetention
                        + " is shorter than calibration.window " + window + ": the fit would lose its pairs");
            }
            return new CalibrationRules(this);
        }

        private static int atLeastOne(int n) {
            if (n < 1) throw new IllegalArgumentException("must be at least 1");
            return n;
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be positive");
            return d;
        }
    }
}
