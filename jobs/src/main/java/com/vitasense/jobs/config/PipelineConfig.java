package com.vitasense.jobs.config;

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
 */
public record PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention,
                             QualityRules qualityRules) implements Serializable {

    public static final String MAX_OUT_OF_ORDERNESS = "max-out-of-orderness";
    public static final String SOURCE_IDLENESS = "source-idleness";
    public static final String DUPLICATE_RETENTION = "duplicate-retention";
    public static final String QUALITY_RULES = "quality-rules";

    public PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention) {
        this(maxOutOfOrderness, sourceIdleness, duplicateRetention, QualityRules.defaults());
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48));
    }

    public static PipelineConfig from(Settings s) {
        PipelineConfig d = defaults();
        String rulesFile = s.string(QUALITY_RULES, null);
        return new PipelineConfig(
                s.duration(MAX_OUT_OF_ORDERNESS, d.maxOutOfOrderness()),
                s.duration(SOURCE_IDLENESS, d.sourceIdleness()),
                s.duration(DUPLICATE_RETENTION, d.duplicateRetention()),
                rulesFile == null ? d.qualityRules() : loadRules(rulesFile));
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
