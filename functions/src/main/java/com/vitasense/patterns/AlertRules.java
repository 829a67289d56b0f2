package com.vitasense.patterns;

import com.vitasense.units.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The thresholds of the device and sync patterns, with defaults from the CGM and wearable
 * ecosystem (Nightscout stale-data defaults, battery warnings at 20 % and 5 %); {@link #withProperties}
 * overrides any of them. Keys (a properties file, see README "Alerts"):
 * <pre>
 * battery.low=20  battery.critical=5  battery.within=7d
 * flatline.metrics=glucose,heart_rate  flatline.readings=9  flatline.noise-ratio=0.1
 * flatline.min-baseline=12  flatline.within=1h  flatline.clear-after=30m
 * spike.metrics=glucose,heart_rate  spike.min-jump.&lt;metric&gt;=40  spike.noise-factor=6
 * spike.return-ratio=0.5  spike.within=30m  spike.clear-after=30m
 * sensor-error.count=3  sensor-error.window=30m
 * quality.count=5  quality.window=1h
 * drift.count=2  drift.window=3d
 * connectivity.warn=15m  connectivity.urgent=30m  connectivity.warn@&lt;model&gt;=..  connectivity.urgent@&lt;model&gt;=..
 * connectivity.max-gap=7d  connectivity.metrics=glucose
 * sync.timeout=10m  sync-failing.count=3  sync-failing.window=1h
 * completeness.objective=0.8  conflict.clear-after=1h
 * sync.min-interval=5m  sync.max-interval=6h  sync.batch-readings=60  watchdog.retention=7d
 * </pre>
 */
public final class AlertRules implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> values;

    private AlertRules(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("battery.low", "20"), Map.entry("battery.critical", "5"), Map.entry("battery.within", "7d"),
            Map.entry("flatline.metrics", "glucose,heart_rate"), Map.entry("flatline.readings", "9"),
            Map.entry("flatline.noise-ratio", "0.1"), Map.entry("flatline.min-baseline", "12"),
            Map.entry("flatline.within", "1h"), Map.entry("flatline.clear-after", "30m"),
            Map.entry("spike.metrics", "glucose,heart_rate"), Map.entry("spike.min-jump.glucose", "40"),
            Map.entry("spike.min-jump.heart_rate", "40"), Map.entry("spike.noise-factor", "6"),
            Map.entry("spike.return-ratio", "0.5"), Map.entry("spike.within", "30m"), Map.entry("spike.clear-after", "30m"),
            Map.entry("sensor-error.count", "3"), Map.entry("sensor-error.window", "30m"),
            Map.entry("quality.count", "5"), Map.entry("quality.window", "1h"),
            Map.entry("drift.count", "2"), Map.entry("drift.window", "3d"),
            Map.entry("connectivity.warn", "15m"), Map.entry("connectivity.urgent", "30m"),
            Map.entry("connectivity.max-gap", "7d"), Map.entry("connectivity.metrics", "glucose"),
            Map.entry("sync.timeout", "10m"), Map.entry("sync-failing.count", "3"), Map.entry("sync-failing.window", "1h"),
            Map.entry("completeness.objective", "0.8"), Map.entry("conflict.clear-after", "1h"),
            Map.entry("sync.min-interval", "5m"), Map.entry("sync.max-interval", "6h"),
            Map.entry("sync.batch-readings", "60"), Map.entry("watchdog.retention", "7d"));

    /** Keys that take a suffix: a metric after the dot, or a device model after {@code @}. */
    private static final Set<String> PREFIXES = Set.of("spike.min-jump.", "connectivity.warn@", "connectivity.urgent@");

    public static AlertRules defaults() {
        return new AlertRules(DEFAULTS);
    }

    /**
     * These rules with the overrides in {@code p}. Fails with a message naming the key on anything
     * it cannot read, so a typo never silently keeps a default.
     */
    public AlertRules withProperties(Properties p) {
        Map<String, String> next = new HashMap<>(values);
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            if (!DEFAULTS.containsKey(key) && PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new IllegalArgumentException("alert rule '" + key + "=" + value + "': unknown rule setting");
            }
            next.put(key, value);
        }
        AlertRules rules = new AlertRules(next);
        try {
            rules.validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("alert rules: " + e.getMessage(), e);
        }
        return rules;
    }

    /** Reads every setting once, so a bad value fails when the job is built, not when a pattern first fires. */
    private void validate() {
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            try {
                if (k.endsWith(".metrics")) continue;
                if (k.endsWith("within") || k.endsWith("window") || k.endsWith("clear-after") || k.startsWith("connectivity.")
                        || k.equals("sync.timeout") || k.endsWith("-interval") || k.endsWith("retention")) {
                    duration(k);
                } else {
                    number(k);
                }
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("'" + k + "=" + e.getValue() + "': " + ex.getMessage(), ex);
            }
        }
    }

    public double number(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalArgumentException("no setting " + key);
        return Double.parseDouble(v);
    }

    public int count(String key) {
        int n = (int) number(key);
        if (n < 1) throw new IllegalArgumentException(key + " must be at least 1");
        return n;
    }

    public Duration duration(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalArgumentException("no setting " + key);
        return Durations.parse(v);
    }

    public List<String> metrics(String key) {
        return List.of(values.get(key).split("\\s*,\\s*"));
    }

    /** The smallest change that counts as a spike of {@code metric}, or null when the metric is not checked. */
    public Double minJump(String metric) {
        String v = values.get("spike.min-jump." + metric);
        return v == null ? null : Double.parseDouble(v);
    }

    /** After how long without a reading a device of {@code model} is stale ({@code urgent}: urgently). */
    public Duration staleAfter(String model, boolean urgent) {
        String base = urgent ? "connectivity.urgent" : "connectivity.warn";
        String v = model == null ? null : values.get(base + "@" + model);
        return v == null ? duration(base) : Durations.parse(v);
    }
}
