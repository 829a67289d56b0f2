package com.vitasense.jobs.config;

import com.vitasense.calibration.CalibrationRules;
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
import java.util.stream.Collectors;

/**
 * The processing parameters of the topology, independent of where data comes from or goes to.
 *
 * @param maxOutOfOrderness how far behind the newest reading a reading may arrive before it is LATE
 * @param sourceIdleness after how long without data a source split stops holding back watermarks
 * @param duplicateRetention how long, in event time, a reading is remembered for de-duplication
 * @param qualityRules thresholds of the data-quality rules
 * @param calibrationRules settings of the calibration stage (keys {@code calibration.*} of the quality-rules file)
 * @param alertRules thresholds of the device and sync patterns
 */
public record PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                             QualityRules qualityRules, CalibrationRules calibrationRules, AlertRules alertRules)
        implements Serializable {

    public static final String MAX_OUT_OF_ORDERNESS = "max-out-of-orderness";
    public static final String SOURCE_IDLENESS = "source-idleness";
    public static final String DUPLICATE_RETENTION = "duplicate-retention";
    public static final String QUALITY_RULES = "quality-rules";
    public static final String ALERT_RULES = "alert-rules";

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                          QualityRules qualityRules, CalibrationRules calibrationRules) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, qualityRules, calibrationRules, AlertRules.defaults());
    }

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                          QualityRules qualityRules, AlertRules alertRules) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, qualityRules, CalibrationRules.defaults(), alertRules);
    }

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, QualityRules.defaults());
    }

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                          QualityRules qualityRules) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, qualityRules, CalibrationRules.defaults(),
                AlertRules.defaults());
    }

    /** This configuration with other calibration settings. */
    public PipelineConfig withCalibrationRules(CalibrationRules rules) {
        return new PipelineConfig(maxOutOfOrderness, sourceIdleness, duplicateRetention, qualityRules, rules, alertRules);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48));
    }

    public static PipelineConfig from(Settings s) {
        PipelineConfig d = defaults();
        String rulesFile = s.string(QUALITY_RULES, null);
        Properties rules = rulesFile == null ? new Properties() : readRules(rulesFile, QUALITY_RULES);
        String alertFile = s.string(ALERT_RULES, null);
        return new PipelineConfig(
                s.duration(MAX_OUT_OF_ORDERNESS, d.maxOutOfOrderness()),
                s.duration(SOURCE_IDLENESS, d.sourceIdleness()),
                s.duration(DUPLICATE_RETENTION, d.duplicateRetention()),
                rulesFile == null ? d.qualityRules() : qualityRules(rulesFile, rules),
                rulesFile == null ? d.calibrationRules() : calibrationRules(rulesFile, rules),
                alertFile == null ? d.alertRules() : loadAlertRules(alertFile));
    }

    /** The default alert rules with the overrides of a properties file (keys in {@link AlertRules}). */
    static AlertRules loadAlertRules(String file) {
        try {
            return AlertRules.defaults().withProperties(readRules(file, ALERT_RULES));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("invalid --" + ALERT_RULES + " " + file + ": " + e.getMessage());
        }
    }

    /** The default rules with the overrides of a properties file (keys in {@link QualityRules}). */
    static QualityRules loadRules(String file) {
        return qualityRules(file, readRules(file, QUALITY_RULES));
    }

    private static Properties readRules(String file, String option) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read --" + option + " " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** The keys that are not the calibration stage's go to the quality rules, which reject unknown ones. */
    private static QualityRules qualityRules(String file, Properties all) {
        Properties p = new Properties();
        for (String key : all.stringPropertyNames().stream()
                .filter(k -> !k.startsWith(CalibrationRules.PREFIX)).collect(Collectors.toList())) {
            p.setProperty(key, all.getProperty(key));
        }
        try {
            return QualityRules.defaults().withProperties(p);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("invalid --" + QUALITY_RULES + " " + file + ": " + e.getMessage());
        }
    }

    private static CalibrationRules calibrationRules(String file, Properties all) {
        try {
            return CalibrationRules.defaults().withProperties(all);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("invalid --" + QUALITY_RULES + " " + file + ": " + e.getMessage());
        }
    }
}
