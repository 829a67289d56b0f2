package com.vitasense.jobs.testing;

import com.vitasense.jobs.StreamingJob;
import com.vitasense.jobs.config.CheckpointSettings;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The streaming job running on the test's MiniCluster against the shared Kafka broker and
 * PostgreSQL, with topics and a database of its own: what integration tests send envelopes to and
 * read tables and topics from.
 */
public final class RunningJob implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final KafkaSettings kafka;
    private final String jdbcUrl;
    private final JobClient job;
    private final KafkaProducer<String, String> producer;
    private final Path checkpoints;

    private RunningJob(KafkaSettings kafka, String jdbcUrl, JobClient job, KafkaProducer<String, String> producer,
                       Path checkpoints) {
        this.kafka = kafka;
        this.jdbcUrl = jdbcUrl;
        this.job = job;
        this.producer = producer;
        this.checkpoints = checkpoints;
    }

    /** Starts the job; {@code name} prefixes its topics, consumer group and database. */
    public static RunningJob start(String name, PipelineConfig pipeline) throws Exception {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KafkaSettings.Topics d = KafkaSettings.Topics.defaults();
        KafkaSettings.Topics topics = new KafkaSettings.Topics(prefix + d.raw(), prefix + d.processed(),
                prefix + d.deadLetters(), prefix + d.qualityIssues(), prefix + d.anomalies(), prefix + d.calibrationEvents());
        SharedServers.kafka().createTopics(2, topics.all());
        KafkaSettings kafka = new KafkaSettings(SharedServers.kafka().bootstrapServers(), prefix + "job",
                KafkaSettings.StartingOffsets.EARLIEST, DeliveryGuarantee.AT_LEAST_ONCE, prefix + "tx", topics);
        String jdbcUrl = SharedServers.newDatabase(name.replace('-', '_'));
        Path checkpoints = Files.createTempDirectory("checkpoints-" + name);

        StreamingJob.Config config = new StreamingJob.Config(
                kafka,
                JdbcSettings.local(jdbcUrl, SharedServers.postgres().user(), SharedServers.postgres().password()),
                new CheckpointSettings(Duration.ofSeconds(2), checkpoints.toUri().toString()),
                pipeline,
                2);
        StreamExecutionEnvironment env = StreamingJob.environment(config, new Configuration());
        StreamingJob.build(env, config);
        JobClient job = env.executeAsync(name);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new RunningJob(kafka, jdbcUrl, job,
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer()), checkpoints);
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    /** The job's own database, with the migrations applied. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * Produces {@code {key, value}} pairs to the raw topic, alternating its two partitions so
     * that both source subtasks, and so both watermarks, see data.
     */
    public void send(List<String[]> records) throws Exception {
        int i = 0;
        for (String[] r : records) {
            producer.send(new ProducerRecord<>(kafka.topics().raw(), i++ % 2, r[0], r[1])).get();
        }
    }

    /**
     * Produces {@code {key, value}} pairs to one partition of the raw topic, in order: a series
     * whose readings must keep their order relative to each other (the other partition's source
     * goes idle and does not hold the watermark back).
     */
    public void sendInOrder(int partition, List<String[]> records) throws Exception {
        for (String[] r : records) {
            producer.send(new ProducerRecord<>(kafka.topics().raw(), partition, r[0], r[1])).get();
        }
    }

    /** Waits until {@code sql} (a {@code SELECT count(*) ...}) reaches {@code n}. */
    public void awaitCount(String sql, int n) throws Exception {
        Await.until(sql + " >= " + n, () -> Integer.parseInt(query(sql).get(0)), c -> c >= n, TIMEOUT);
    }

    /** The first column of every row of {@code sql}, as text. */
    public List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, SharedServers.postgres().user(), SharedServers.postgres().password());
    }

    /** Every record on {@code topic}, at least {@code expected}, reading on a little to catch extras. */
    public List<TopicReader.Message> read(String topic, int expected) {
        return TopicReader.read(kafka.bootstrapServers(), topic, expected, TIMEOUT, Duration.ofSeconds(1));
    }

    @Override
    public void close() throws Exception {
        try {
            producer.close();
            job.cancel().get(30, TimeUnit.SECONDS);
            // Cancelling is acknowledged before the tasks are gone; a checkpoint still being written
            // would race with deleting its directory.
            // The result future completes, exceptionally for a cancelled job, once the job is
            // terminal; status polling would fail on a per-job cluster already shut down.
            job.getJobExecutionResult().handle((result, failure) -> null)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            try (var paths = Files.walk(checkpoints)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
            }
        }
    }
}
