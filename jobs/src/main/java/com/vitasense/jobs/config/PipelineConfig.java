package com.vitasense.jobs.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The processing parameters of the topology, independent of where data comes from or goes to.
 *
 * @param maxOutOfOrderness how far behind the newest reading a reading may arrive before it is LATE
 * @param sourceIdleness after how long without data a source split stops holding back watermarks
 * @param duplicateRetention how long, in event time, a reading is remembered for de-duplication
 */
public record PipelineConfig(Duration maxOutOfOrderness, Duration sourceIdleness, Duration duplicateRetention)
        implements Serializable {

    public static final String MAX_OUT_OF_ORDERNESS = "max-out-of-orderness";
    public static final String SOURCE_IDLENESS = "source-idleness";
    public static final String DUPLICATE_RETENTION = "duplicate-retention";

    public static PipelineConfig defaults() {
        return new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48));
    }

    public static PipelineConfig from(Settings s) {
        PipelineConfig d = defaults();
        return new PipelineConfig(
                s.duration(MAX_OUT_OF_ORDERNESS, d.maxOutOfOrderness()),
                s.duration(SOURCE_IDLENESS, d.sourceIdleness()),
                s.duration(DUPLICATE_RETENTION, d.duplicateRetention()));
    }
}
