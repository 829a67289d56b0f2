package com.vitasense.jobs.local;

import com.vitasense.jobs.SchemaMigration;
import com.vitasense.jobs.StreamingJob;
import com.vitasense.jobs.config.CheckpointSettings;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.simulate.Fault;
import com.vitasense.jobs.simulate.FleetSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./vitasense demo}: the whole pipeline on one machine. Starts an in-process Kafka broker,
 * an embedded PostgreSQL and a local Flink cluster with its web UI, runs the streaming job against
 * them, feeds it a simulated fleet, prints progress, and ends with a summary counted from
 * PostgreSQL and the topics.
 */
public final class Demo {
    private static final int PARTITIONS = 2;
    /** Simulated time per tick of the demo's wall clock (--tick). */
    private static final Duration SIMULATED_TICK = Duration.ofMinutes(1);

    private Demo() {}

    public static void main(String[] args) throws Exception {
        Duration duration;
        int users;
        int uiPort;
        long seed;
        double faultRate;
        Duration tick;
        Path export;
        boolean verifyBackfill;
        PipelineConfig pipeline;
        try {
            Settings s = Settings.fromMain(args);
            duration = s.duration("duration", Duration.ofSeconds(60));
            users = s.integer("users", 4, 1, 1000);
            uiPort = s.integer("ui-port", 8081, 0, 65535);
            seed = s.integer("seed", 42, 0, Integer.MAX_VALUE);
            faultRate = s.integer("fault-percent", 4, 0, 100) / 100.0;
            tick = s.duration("tick", Duration.ofMillis(100));
            String exportFile = s.string("export-raw", null);
            export = exportFile == null ? null : Path.of(exportFile);
            verifyBackfill = s.bool("verify-backfill", false);
            pipeline = PipelineConfig.from(s);
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(duration, users, uiPort, seed, faultRate, tick, export, verifyBackfill, pipeline));
    }

    static int run(Duration duration, int users, int uiPort, long seed, double faultRate, Duration tick,
                   Path export, boolean verifyBackfill, PipelineConfig pipeline) throws Exception {
        Path checkpoints = LocalResources.createTempDirectory("vitasense-demo-checkpoints", "checkpoints");
        say("starting PostgreSQL ...");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
             DemoBackfillCheck check = DemoBackfillCheck.open(export, verifyBackfill)) {
            postgres.createDatabase("vitasense");
            String jdbcUrl = postgres.jdbcUrl("vitasense");
            SchemaMigration.migrate(jdbcUrl, postgres.user(), postgres.password());
            say("PostgreSQL ready: " + jdbcUrl + " (user " + postgres.user() + ")");

            say("starting Kafka ...");
            try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
                KafkaSettings kafkaSettings = KafkaSettings.local(kafka.bootstrapServers());
                kafka.createTopics(PARTITIONS, kafkaSettings.topics().all());
                say("Kafka ready: " + kafka.bootstrapServers());

                StreamingJob.Config config = new StreamingJob.Config(
                        kafkaSettings,
                        JdbcSettings.local(jdbcUrl, postgres.user(), postgres.password()),
                        new CheckpointSettings(Duration.ofSeconds(10), checkpoints.toUri().toString()),
                        pipeline,
                        PARTITIONS);
                Configuration conf = config.flinkConfiguration();
                // Port 0 would leave the user guessing where the web UI is; pick one and say it.
                int restPort = uiPort == 0 ? LocalResources.freePort() : uiPort;
                conf.set(RestOptions.PORT, restPort);
                conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
                conf.set(RestOptions.ADDRESS, "127.0.0.1");
                StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
                env.setParallelism(PARTITIONS);
                StreamingJob.build(env, config);
                JobClient job = env.executeAsync("vitasense-demo");
                say("Flink job " + job.getJobID() + " running; web UI on http://localhost:" + restPort);
                say("query it while it runs: ./vitasense sql -f sql/flink/analysis/daily_summary.sql --kafka-bootstrap "
                        + kafka.bootstrapServers() + " --jdbc-url " + jdbcUrl + " --jdbc-user " + postgres.user());

                try {
                    feedAndReport(kafka, kafkaSettings, postgres.dataSource("vitasense"), job,
                            duration, users, seed, faultRate, tick, check, checkpoints);
                } finally {
                    // A drained job has finished, and its local cluster with it.
                    if (!job.getJobExecutionResult().isDone()) job.cancel().get(30, TimeUnit.SECONDS);
                }
                return check.verifying()
                        ? check.verify(postgres, postgres.dataSource("vitasense"), kafkaSettings, pipeline, Demo::say) : 0;
            }
        } finally {
            LocalResources.deleteRecursively(checkpoints, "checkpoints");
        }
    }

    private static void feedAndReport(EmbeddedKafkaBroker kafka, KafkaSettings settings, DataSource db, JobClient job,
                                      Duration duration, int users, long seed, double faultRate, Duration tick,
                                      DemoBackfillCheck check, Path checkpoints) throws Exception {
        // The simulated clock starts a day back and runs a minute per tick, so a minute of demo
        // covers ten hours of readings without any reading in the future.
        FleetSimulator fleet = new FleetSimulator(seed, users, Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES), faultRate);
        AtomicLong sent = new AtomicLong();
        Map<Fault, AtomicLong> sentByFault = new java.util.EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) sentByFault.put(f, new AtomicLong());
        Map<String, AtomicLong> sentByVendor = new java.util.TreeMap<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        long nextReport = started + TimeUnit.SECONDS.toNanos(5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            long nextTick = System.nanoTime();
            while (System.nanoTime() < end) {
                failIfJobEnded(job);
                fleet.advance(SIMULATED_TICK, e -> {
                    producer.send(new ProducerRecord<>(settings.topics().raw(), e.key(), e.json()));
                    check.sent(e.key(), e.json());
                    sent.incrementAndGet();
                    sentByFault.get(e.fault()).incrementAndGet();
                    sentByVendor.computeIfAbsent(e.vendor(), v -> new AtomicLong()).incrementAndGet();
                });
                if (System.nanoTime() >= nextReport) {
                    producer.flush();
                    report("progress", started, sent.get(), db, admin, settings);
                    nextReport += TimeUnit.SECONDS.toNanos(5);
                }
                nextTick += tick.toNanos();
                long wait = nextTick - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            }
            producer.flush();
            say("simulator stopped after " + sent.get() + " envelopes, by vendor " + sentByVendor + ", faults "
                    + sentByFault + "; waiting for the pipeline to drain ...");
            if (check.verifying()) {
                drain(admin, settings, job, checkpoints);
            } else {
                awaitDrained(db, admin, settings, job);
            }
            report("final", started, sent.get(), db, admin, settings);
            System.out.println(pointsByVendor(db));
            System.out.println(alertsByType(db));
            System.out.println(summary(db, admin, settings));
        }
    }

    /**
     * Stops the job with a drain once it has read everything sent: the end of event time passes
     * through the topology, so every reading still held for its watermark is written, as a
     * backfill of the same envelopes writes it.
     */
    private static void drain(Admin admin, KafkaSettings settings, JobClient job, Path checkpoints) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumerLag(admin, settings) > 0) {
            failIfJobEnded(job);
            if (System.nanoTime() > deadline) throw new IllegalStateException("the job did not catch up within 60 s");
            // Offsets are committed on checkpoints (every 10 s here): poll, the deadline bounds it.
            TimeUnit.MILLISECONDS.sleep(500);
        }
        say("stopping the job with a drain (every held reading is released) ...");
        job.stopWithSavepoint(true, checkpoints.resolve("final-savepoint").toUri().toString(),
                SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
    }

    /**
     * Records on the raw topic the job has not read yet. The source commits its offsets on
     * checkpoints, so this reaches 0 one checkpoint after the job read everything.
     */
    private static long consumerLag(Admin admin, KafkaSettings settings) throws Exception {
        String topic = settings.topics().raw();
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(tp -> new TopicPartition(topic, tp.partition()), tp -> OffsetSpec.latest()));
        var ends = admin.listOffsets(request).all().get();
        var committed = admin.listConsumerGroupOffsets(settings.groupId()).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var e : ends.entrySet()) {
            var c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    /** Waits until the counts stop moving: every envelope sent has been processed and flushed. */
    private static void awaitDrained(DataSource db, Admin admin, KafkaSettings settings, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        int stableFor = 0;
        while (System.nanoTime() < deadline && stableFor < 3) {
            failIfJobEnded(job);
            String now = count(db, "data_points") + "/" + deadLetters(admin, settings);
            stableFor = now.equals(last) ? stableFor + 1 : 0;
            last = now;
            TimeUnit.SECONDS.sleep(1);
        }
    }

    private static void failIfJobEnded(JobClient job) throws ExecutionException, InterruptedException {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            throw new IllegalStateException("the Flink job ended unexpectedly: " + job.getJobStatus().get()
                    + "; see the log above");
        }
    }

    private static void report(String label, long started, long sent, DataSource db, Admin admin, KafkaSettings settings)
            throws Exception {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        say(String.format("%s t=%ds events_in=%d points_written=%d devices=%d dead_letters=%d", label, seconds, sent,
                count(db, "data_points"), count(db, "devices"), deadLetters(admin, settings)));
    }

    static String summary(DataSource db, Admin admin, KafkaSettings settings) throws Exception {
        return String.format("summary: data_points=%d quality_issues=%d alerts=%d calibration_events=%d dead_letters=%d",
                count(db, "data_points"), count(db, "quality_issues"), count(db, "device_alerts"),
                count(db, "calibration_events"), deadLetters(admin, settings));
    }

    /** {@code points by vendor: canonical=N dexcom=N ...}, counted in {@code data_points}. */
    static String pointsByVendor(DataSource db) throws SQLException {
        StringBuilder line = new StringBuilder("points by vendor:");
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT vendor, count(*) FROM data_points GROUP BY vendor ORDER BY vendor")) {
            while (rs.next()) line.append(' ').append(rs.getString(1)).append('=').append(rs.getLong(2));
        }
        return line.toString().endsWith(":") ? line + " none" : line.toString();
    }

    /** {@code alerts by type: BATTERY_LOW=N (open N) ...}, counted in {@code device_alerts}; open = still raised. */
    static String alertsByType(DataSource db) throws SQLException {
        StringBuilder line = new StringBuilder("alerts by type:");
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT alert_type, count(*), count(*) FILTER (WHERE status = 'raised')"
                     + " FROM device_alerts GROUP BY alert_type ORDER BY alert_type")) {
            while (rs.next()) {
                line.append(' ').append(rs.getString(1)).append('=').append(rs.getLong(2))
                        .append(" (open ").append(rs.getLong(3)).append(')');
            }
        }
        return line.toString().endsWith(":") ? line + " none" : line.toString();
    }

    static long count(DataSource db, String table) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Records on the dead-letter topic: the sum of its partitions' end offsets. */
    static long deadLetters(Admin admin, KafkaSettings settings) throws Exception {
        String topic = settings.topics().deadLetters();
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(tp -> new TopicPartition(topic, tp.partition()), tp -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
        System.out.flush();
    }

}
