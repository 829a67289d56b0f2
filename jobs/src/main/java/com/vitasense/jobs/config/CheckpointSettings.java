package com.vitasense.jobs.config;

import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * Checkpointing and state backend. RocksDB with incremental checkpoints by default, so state can
 * outgrow memory and checkpoints stay proportional to what changed; {@code hashmap} keeps state on
 * the heap, for fleets whose state fits in it and for catching up a long backlog, where Flink
 * 2.2's CEP operators are slow on RocksDB (see the README, "State backend").
 */
public record CheckpointSettings(Duration interval, String directory, String stateBackend) {

    public static final String INTERVAL = "checkpoint-interval";
    public static final String DIRECTORY = "checkpoint-dir";
    public static final String STATE_BACKEND = "state-backend";
    public static final String ROCKSDB = "rocksdb";
    public static final String HASHMAP = "hashmap";

    /** RocksDB, the default. */
    public CheckpointSettings(Duration interval, String directory) {
        this(interval, directory, ROCKSDB);
    }

    public static CheckpointSettings from(Settings s) {
        Duration interval = s.duration(INTERVAL, Duration.ofSeconds(30));
        if (interval.toMillis() < 10) {
            throw new InvalidSettingException("invalid --" + INTERVAL + " '" + interval + "': must be at least 10ms");
        }
        return new CheckpointSettings(interval, s.string(DIRECTORY, null), stateBackend(s));
    }

    /** {@code --state-backend}: rocksdb (the default) or hashmap. */
    public static String stateBackend(Settings s) {
        String backend = s.string(STATE_BACKEND, ROCKSDB).toLowerCase(Locale.ROOT);
        if (!backend.equals(ROCKSDB) && !backend.equals(HASHMAP)) {
            throw new InvalidSettingException("invalid --" + STATE_BACKEND + " '" + backend + "': expected rocksdb or hashmap");
        }
        return backend;
    }

    /** The Flink configuration for these settings; the cluster's own settings apply where we set none. */
    public Configuration toConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        // Only RocksDB checkpoints incrementally; the heap backend ignores the setting.
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, stateBackend.equals(ROCKSDB));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        if (directory != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory);
        }
        return conf;
    }
}
