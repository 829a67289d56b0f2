package com.vitasense.jobs.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;

/**
 * The configuration keys that Flink (the version on the class path, the project's) declares in the
 * option classes a deployment touches: checkpointing, state backends, HA, restarts, memory, REST.
 * Only current keys count; a deprecated or fallback key (Flink 1.x's {@code state.checkpoints.dir})
 * works today but is what the next Flink release removes.
 */
final class FlinkOptions {
    /** Option classes by name, so that a class Flink moves or renames fails loudly here. */
    private static final List<String> OPTION_CLASSES = List.of(
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateRecoveryOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.ExecutionOptions",
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.WebOptions",
            "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.MetricOptions",
            "org.apache.flink.state.rocksdb.RocksDBOptions");

    private FlinkOptions() {}

    /** Every current key of those classes. */
    static Set<String> currentKeys() {
        Set<String> keys = new TreeSet<>();
        for (String name : OPTION_CLASSES) {
            Class<?> type;
            try {
                type = Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Flink option class " + name + " is gone; update the list", e);
            }
            for (Field f : type.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())
                        && f.getAnnotation(Deprecated.class) == null) {
                    try {
                        keys.add(((ConfigOption<?>) f.get(null)).key());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot read " + name + "." + f.getName(), e);
                    }
                }
            }
        }
        return keys;
    }
}
