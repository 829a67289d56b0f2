package com.vitasense.jobs;

import com.vitasense.jobs.config.CheckpointSettings;
import com.vitasense.jobs.config.ExecutionSettings;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.io.KafkaConnectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job: raw envelopes from Kafka through the device pipeline into PostgreSQL and the
 * output topics. Submit with {@code flink run -c com.vitasense.jobs.StreamingJob vitasense-job.jar
 * --kafka-bootstrap ... --jdbc-url ...}; every flag falls back to a {@code VITASENSE_*} variable.
 */
public final class StreamingJob {
    private StreamingJob() {}

    /** Everything the streaming job needs, parsed and checked before anything starts. */
    public record Config(KafkaSettings kafka, JdbcSettings jdbc, CheckpointSettings checkpoints,
                         PipelineConfig pipeline, Integer parallelism, boolean applyMigrations) {
        public Config(KafkaSettings kafka, JdbcSettings jdbc, CheckpointSettings checkpoints, PipelineConfig pipeline,
                      Integer parallelism) {
            this(kafka, jdbc, checkpoints, pipeline, parallelism, false);
        }

        public static Config from(Settings s) {
            ExecutionSettings execution = ExecutionSettings.from(s);
            Config c = new Config(KafkaSettings.from(s), JdbcSettings.from(s), CheckpointSettings.from(s),
                    PipelineConfig.from(s), execution.parallelism(), execution.applyMigrations());
            s.rejectUnknown();
            return c;
        }

        /** The Flink settings of this job: checkpointing, state backend, and the topology's own. */
        public Configuration flinkConfiguration() {
            Configuration conf = checkpoints.toConfiguration();
            conf.addAll(DevicePipeline.requiredConfiguration());
            return conf;
        }
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.from(Settings.fromMain(args));
            if (config.applyMigrations()) {
                SchemaMigration.migrateOrExplain(config.jdbc());
            }
        } catch (InvalidSettingException e) {
            throw Settings.fail(e);
        }
        StreamExecutionEnvironment env = environment(config, new Configuration());
        build(env, config);
        env.execute("vitasense-streaming");
    }

    /** An environment with this job's checkpointing and state backend on top of {@code base}. */
    public static StreamExecutionEnvironment environment(Config config, Configuration base) {
        Configuration conf = new Configuration(base);
        conf.addAll(config.flinkConfiguration());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (config.parallelism() != null) env.setParallelism(config.parallelism());
        return env;
    }

    /** Wires the real connectors to the shared topology. */
    public static void build(StreamExecutionEnvironment env, Config config) {
        KafkaSettings kafka = config.kafka();
        PipelineSinks sinks = PipelineSinks.tablesAndTopics(config.jdbc(), kafka);
        DevicePipeline.build(env, KafkaConnectors.rawSource(kafka), sinks, config.pipeline());
    }
}
