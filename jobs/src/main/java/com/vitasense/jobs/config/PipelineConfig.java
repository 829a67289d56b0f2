package com.vitasense.jobs.config;

import com.vitasense.patterns.AlertRules;
import com.vitasense.quality.QualityRules;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The processing parameters of the topology, independent of where data comes from or goes to.
 *
 * @param maxOutOfOrderness how far behind the newest reading a reading may arrive before it is LATE
 * @param sourceIdleness after how long without data a source split stops holding back watermarks
 * @param duplicateRetention how long, in event time, a reading is remembered for de-duplication
 * @param qualityRules thresholds of the data-quality rules
 * @param alertRules thresholds of the device and sync patterns
 */
public record PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                             QualityRules qualityRules, AlertRules alertRules) implements Serializable {

    public static final String MAX_OUT_OF_ORDERNESS = "max-out-of-orderness";
    public static final String SOURCE_IDLENESS = "source-idleness";
    public static final String DUPLICATE_RETENTION = "duplicate-retention";
    public static final String QUALITY_RULES = "quality-rules";
    public static final String ALERT_RULES = "alert-rules";

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                          QualityRules qualityRules) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, qualityRules, AlertRules.defaults());
    }

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, QualityRules.defaults());
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48));
    }

    public static PipelineConfig from(Settings s) {
        PipelineConfig d = defaults();
        String rulesFile = s.string(QUALITY_RULES, null);
        String alertFile = s.string(ALERT_RULES, null);
        return new PipelineConfig(
                s.duration(MAX_OUT_OF_ORDERNESS, d.maxOutOfOrderness()),
                s.duration(SOURCE_IDLENESS, d.sourceIdleness()),
                s.duration(DUPLICATE_RETENTION, d.duplicateRetention()),
                rulesFile == null ? d.qualityRules() : loadRules(rulesFile),
                alertFile == null ? d.alertRules() : loadAlertRules(alertFile));
    }

    /** The default alert rules with the overrides of a properties file (keys in {@link AlertRules}). */
    static AlertRules loadAlertRules(String file) {
        try {
            return AlertRules.defaults().withProperties(properties(file, ALERT_RULES));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("invalid --" + ALERT_RULES + " " + file + ": " + e.getMessage());
        }
    }

    private static Properties properties(String file, String option) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read --" + option + " " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** The default rules with the overrides of a properties file (keys in {@link QualityRules}). */
    static QualityRules loadRules(String file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read --" + QUALITY_RULES + " " + file + ": " + e.getMessage());
        }
        try {
            return QualityRules.defaults().withProperties(p);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("invalid --" + QUALITY_RULES + " " + file + ": " + e.getMessage());
        }
    }
}
