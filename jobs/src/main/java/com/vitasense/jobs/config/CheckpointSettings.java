package com.vitasense.jobs.config;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * Checkpointing and state backend: RocksDB with incremental checkpoints, so state can outgrow
 * memory and checkpoints stay proportional to what changed.
 */
public record CheckpointSettings(Duration interval, String directory) {

    public static final String INTERVAL = "checkpoint-interval";
    public static final String DIRECTORY = "checkpoint-dir";

    public static CheckpointSettings from(Settings s) {
        Duration interval = s.duration(INTERVAL, Duration.ofSeconds(30));
        if (interval.toMillis() < 10) {
            throw new InvalidSettingException("invalid --" + INTERVAL + " '" + interval + "': must be at least 10ms");
        }
        return new CheckpointSettings(interval, s.string(DIRECTORY, null));
    }

    /** The Flink configuration for these settings; the cluster's own settings apply where we set none. */
    public Configuration toConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        if (directory != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory);
        }
        return conf;
    }
}
