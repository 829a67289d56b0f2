package com.vitasense.jobs;

import com.vitasense.jobs.apple.AppleExportEnvelopes;
import com.vitasense.jobs.backfill.BackfillCounters;
import com.vitasense.jobs.backfill.BackfillInput;
import com.vitasense.jobs.backfill.BackfillResult;
import com.vitasense.jobs.backfill.BackfillRuns;
import com.vitasense.jobs.backfill.InputSize;
import com.vitasense.jobs.backfill.ProgressReporter;
import com.vitasense.jobs.config.ExecutionSettings;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.io.EnvelopeFileFormat;
import com.vitasense.jobs.io.KafkaConnectors;
import com.vitasense.records.RawRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill: the device pipeline of the streaming job, in batch mode over a bounded input (a
 * JSON-lines file or directory, a Kafka time range, an Apple Health export of one user), upserting
 * into the same tables. Every output id is deterministic, so the result equals what the streaming job
 * writes for the same input, and a second run over the same input changes nothing.
 *
 * <p>{@code ./vitasense backfill --from-file PATH --jdbc-url URL} or {@code flink run -c
 * com.vitasense.jobs.BackfillJob vitasense-job.jar ...} (attached: the client records the run's
 * end and exits non-zero when the job fails). Each run is recorded in {@code backfill_runs};
 * progress is logged while it runs and one summary line printed at the end.
 */
public final class BackfillJob {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillJob.class);

    private BackfillJob() {}

    /** Everything a backfill needs, parsed and checked before anything starts. */
    public record Config(BackfillInput input, KafkaSettings kafka, JdbcSettings jdbc, PipelineConfig pipeline,
                         ExecutionSettings execution, boolean emitTopics, String runId, Duration progressInterval,
                         int uiPort) {
        public static final String FROM_FILE = "from-file";
        public static final String FROM_KAFKA = "from-kafka";
        public static final String START = "start";
        public static final String END = "end";
        public static final String FROM_APPLE_EXPORT = "from-apple-export";
        public static final String USER = "user";
        public static final String TIME_ZONE = "time-zone";
        public static final String EMIT_TOPICS = "emit-topics";
        public static final String RUN_ID = "run-id";
        public static final String PROGRESS_INTERVAL = "progress-interval";
        public static final String UI_PORT = "ui-port";

        static final String INPUTS = "--" + FROM_FILE + " PATH, --" + FROM_KAFKA + " --" + START + " TIME --" + END
                + " TIME, or --" + FROM_APPLE_EXPORT + " PATH --" + USER + " USER";

        public static Config from(Settings s) {
            KafkaSettings kafka = KafkaSettings.from(s);
            BackfillInput input = input(s, kafka);
            String runId = s.string(RUN_ID, UUID.randomUUID().toString());
            if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")) {
                throw new InvalidSettingException("invalid --" + RUN_ID + " '" + runId
                        + "': expected up to 100 letters, digits, '.', '_', ':' or '-'");
            }
            Duration progress = s.duration(PROGRESS_INTERVAL, Duration.ofSeconds(5));
            if (progress.toMillis() < 100) {
                throw new InvalidSettingException("invalid --" + PROGRESS_INTERVAL + " '" + progress + "': must be at least 100ms");
            }
            Config c = new Config(input, kafka, JdbcSettings.from(s), PipelineConfig.from(s), ExecutionSettings.from(s),
                    s.bool(EMIT_TOPICS, false), runId, progress, s.integer(UI_PORT, 8081, 0, 65535));
            s.rejectUnknown();
            return c;
        }

        private static BackfillInput input(Settings s, KafkaSettings kafka) {
            String file = s.string(FROM_FILE, null);
            boolean fromKafka = s.bool(FROM_KAFKA, false);
            String apple = s.string(FROM_APPLE_EXPORT, null);
            int given = (file != null ? 1 : 0) + (fromKafka ? 1 : 0) + (apple != null ? 1 : 0);
            if (given != 1) {
                throw new InvalidSettingException((given == 0 ? "missing input" : "more than one input")
                        + ": give exactly one of " + INPUTS);
            }
            Instant start = s.instant(START, null);
            Instant end = s.instant(END, null);
            String user = s.string(USER, null);
            ZoneId zone = s.timeZone(TIME_ZONE, null);
            if (!fromKafka && (start != null || end != null)) {
                throw new InvalidSettingException("--" + START + " and --" + END + " select a Kafka time range and need --" + FROM_KAFKA);
            }
            if (apple == null && (user != null || zone != null)) {
                throw new InvalidSettingException("--" + USER + " and --" + TIME_ZONE + " apply to --" + FROM_APPLE_EXPORT + " only");
            }
            if (file != null) return new BackfillInput.Files(file);
            if (fromKafka) {
                if (start == null || end == null) {
                    throw new InvalidSettingException("--" + FROM_KAFKA + " needs --" + START + " and --" + END
                            + " (Kafka record times, e.g. 2026-11-20T00:00:00Z)");
                }
                if (!start.isBefore(end)) {
                    throw new InvalidSettingException("invalid time range: --" + START + " " + start + " is not before --" + END + " " + end);
                }
                return new BackfillInput.KafkaRange(kafka.topics().raw(), start, end);
            }
            if (user == null) throw new InvalidSettingException("--" + FROM_APPLE_EXPORT + " needs --" + USER + " (the platform user id)");
            return new BackfillInput.AppleExport(apple, user, zone);
        }

        /** The Flink settings of the backfill: batch mode and the topology's own. */
        public Configuration flinkConfiguration() {
            Configuration conf = DevicePipeline.requiredConfiguration();
            conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
            return conf;
        }
    }

    /**
     * Exits the JVM only under the launcher; on a cluster (the chart's backfill runs this in the
     * JobManager) it returns when the backfill succeeded and throws when it did not, see
     * {@link Settings#finish}.
     */
    public static void main(String[] args) throws Exception {
        Outcome outcome = command(args, System.getenv(), System.out, System.err);
        Settings.finish(outcome.code(), outcome.message());
    }

    /**
     * The command line, with its environment and output streams as parameters so tests can run
     * it: returns 0 when the backfill succeeded, 1 when its job failed, and 2 (with one line on
     * {@code err}) when a setting is missing or invalid.
     */
    public static int execute(String[] args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws Exception {
        return command(args, environment, out, err).code();
    }

    /** What a command line came to: its exit code, and the line that says why when it is not 0. */
    record Outcome(int code, String message) {}

    private static Outcome command(String[] args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws Exception {
        Config config;
        InputSize size;
        try {
            config = Config.from(Settings.parse(args, environment));
            size = InputSize.of(config.input(), config.kafka());
        } catch (InvalidSettingException e) {
            err.println("error: " + e.getMessage());
            return new Outcome(2, e.getMessage());
        }
        if (config.execution().applyMigrations()) {
            SchemaMigration.migrate(config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
        }
        StreamExecutionEnvironment env = environment(config, new Configuration(), out::println);
        BackfillResult result = run(env, config, size, out::println);
        out.println(result.summary());
        out.flush();
        return result.succeeded() ? new Outcome(0, null) : new Outcome(1, result.summary());
    }

    /**
     * A batch environment on top of {@code base}. Under {@code flink run} (or a test's mini
     * cluster) that is the cluster's; started as a plain program it is a local cluster with the
     * Flink web UI on {@link Config#uiPort()} (0: a free port), announced to {@code out}.
     */
    public static StreamExecutionEnvironment environment(Config config, Configuration base, Consumer<String> out) {
        Configuration conf = new Configuration(base);
        conf.addAll(config.flinkConfiguration());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            int port = config.uiPort() == 0 ? freePort() : config.uiPort();
            conf.set(RestOptions.PORT, port);
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            // Accumulators travel with heartbeats; every second keeps the progress log current.
            conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            out.accept("Flink web UI: http://localhost:" + port);
        }
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        if (config.execution().parallelism() != null) env.setParallelism(config.execution().parallelism());
        return env;
    }

    /** Wires the backfill's source, progress, sinks and counters to the shared topology. */
    public static void build(StreamExecutionEnvironment env, Config config) {
        PipelineSinks sinks = config.emitTopics()
                ? PipelineSinks.tablesAndTopics(config.jdbc(), config.kafka())
                : PipelineSinks.tablesOnly(config.jdbc());
        build(env, source(config), sinks, config.pipeline(), config.progressInterval());
    }

    /**
     * The backfill's topology with the given ends: the shared pipeline between {@code source} and
     * {@code sinks}, the source's progress log and the counters of {@link BackfillCounters}. The
     * benchmark runs exactly this in both modes.
     */
    public static void build(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, PipelineSinks sinks,
                             PipelineConfig pipeline, Duration progressInterval) {
        DataStream<RawRecord> raw = DevicePipeline.rawStream(env, source)
                .map(new BackfillCounters.SourceProgress(progressInterval))
                .uid("backfill-progress").name("backfill progress");
        DevicePipeline.Outputs outputs = DevicePipeline.build(raw, sinks, pipeline);
        count(outputs.points(), BackfillCounters.POINTS_WRITTEN, "count-points");
        count(outputs.qualityIssues(), BackfillCounters.QUALITY_ISSUES, "count-quality-issues");
        count(outputs.deadLetters(), BackfillCounters.DEAD_LETTERS, "count-dead-letters");
    }

    private static <T> void count(DataStream<T> stream, String accumulator, String uid) {
        stream.map(new BackfillCounters.Count<T>(accumulator)).returns(stream.getType()).uid(uid).name(uid)
                .sinkTo(new DiscardingSink<>()).uid(uid + "-end").name(uid + " end");
    }

    static Source<RawRecord, ?, ?> source(Config config) {
        BackfillInput input = config.input();
        if (input instanceof BackfillInput.Files f) return fileSource(f.path());
        if (input instanceof BackfillInput.KafkaRange r) {
            return KafkaConnectors.boundedRawSource(config.kafka(), r.start(), r.end(),
                    config.kafka().groupId() + "-backfill-" + config.runId());
        }
        BackfillInput.AppleExport a = (BackfillInput.AppleExport) input;
        return FileSource.forBulkFileFormat(AppleExportEnvelopes.format(a.userId(), a.timeZone()), new Path(a.path())).build();
    }

    /** JSON lines of raw envelopes at {@code pathOrUri}, a file or a directory read recursively. */
    public static FileSource<RawRecord> fileSource(String pathOrUri) {
        return FileSource.forBulkFileFormat(EnvelopeFileFormat.jsonLines(), new Path(pathOrUri)).build();
    }

    /**
     * Records the run, executes the backfill on {@code env}, reports progress to the log while it
     * runs and completes the run record. A failed job does not throw: it is a result with status
     * {@code failed}; what throws is failing to record the run.
     */
    public static BackfillResult run(StreamExecutionEnvironment env, Config config, InputSize size, Consumer<String> out)
            throws Exception {
        BackfillRuns runs = new BackfillRuns(config.jdbc());
        Instant started = Instant.now();
        runs.started(config.runId(), config.input(), config.emitTopics(), config.execution().parallelism(), started);
        out.accept("backfill run " + config.runId() + ": reading " + config.input().describe()
                + (size.known() ? " (" + (size.inBytes() ? size.units() + " bytes in " + size.files() + " files"
                        : size.units() + " records") + ")" : "")
                + (config.emitTopics() ? ", publishing to the topics" : ", tables only"));

        String jobId = null;
        BackfillResult result;
        try {
            build(env, config);
            JobClient job = env.executeAsync("vitasense-backfill-" + config.runId());
            jobId = job.getJobID().toString();
            try (ProgressReporter ignored = ProgressReporter.start(job, size, config.progressInterval(), LOG::info)) {
                JobExecutionResult done = job.getJobExecutionResult().get();
                Map<String, Object> acc = done.getAllAccumulatorResults();
                result = new BackfillResult(config.runId(), config.input().describe(), BackfillResult.SUCCEEDED, jobId,
                        BackfillCounters.get(acc, BackfillCounters.RECORDS_READ),
                        BackfillCounters.get(acc, BackfillCounters.POINTS_WRITTEN),
                        BackfillCounters.get(acc, BackfillCounters.QUALITY_ISSUES),
                        BackfillCounters.get(acc, BackfillCounters.DEAD_LETTERS),
                        started, Instant.now(), null);
            } catch (ExecutionException e) {
                result = failed(config, jobId, started, lastCounts(job), e.getCause());
            }
        } catch (Exception e) {
            // The job could not even be built or submitted (an unreadable input, a cluster that refuses it).
            result = failed(config, jobId, started, Map.of(), e);
        }
        runs.finished(result);
        return result;
    }

    private static BackfillResult failed(Config config, String jobId, Instant started, Map<String, Object> acc, Throwable e) {
        LOG.error("backfill run {} failed", config.runId(), e);
        String error = describe(e);
        return new BackfillResult(config.runId(), config.input().describe(), BackfillResult.FAILED, jobId,
                acc.isEmpty() ? null : BackfillCounters.get(acc, BackfillCounters.RECORDS_READ),
                acc.isEmpty() ? null : BackfillCounters.get(acc, BackfillCounters.POINTS_WRITTEN),
                acc.isEmpty() ? null : BackfillCounters.get(acc, BackfillCounters.QUALITY_ISSUES),
                acc.isEmpty() ? null : BackfillCounters.get(acc, BackfillCounters.DEAD_LETTERS),
                started, Instant.now(), error);
    }

    /**
     * One line for a failure: the root cause, in the words of the outermost exception that still
     * quotes it (which usually adds what was being done, e.g. the file), not Flink's wrappers.
     */
    static String describe(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) chain.add(t);
        Throwable root = chain.get(chain.size() - 1);
        Throwable best = root;
        if (root.getMessage() != null) {
            for (Throwable t : chain) {
                if (t.getMessage() != null && t.getMessage().contains(root.getMessage())) {
                    best = t;
                    break;
                }
            }
        }
        return best.getClass().getSimpleName() + ": " + best.getMessage();
    }

    /** What a failed job had counted, if the cluster still answers; nothing otherwise. */
    private static Map<String, Object> lastCounts(JobClient job) {
        try {
            return job.getAccumulators().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            LOG.warn("no counts of the failed job {}: {}", job.getJobID(), e.toString());
            return Map.of();
        }
    }

    /** A port of 127.0.0.1 that was free a moment ago, so a local run's web UI can be announced. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Could not find a free port on 127.0.0.1 for the web UI", e);
        }
    }
}
