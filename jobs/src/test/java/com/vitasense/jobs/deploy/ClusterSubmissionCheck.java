package com.vitasense.jobs.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.StreamingJob;
import com.vitasense.jobs.local.EmbeddedKafkaBroker;
import com.vitasense.jobs.local.EmbeddedPostgresServer;
import com.vitasense.jobs.testing.Await;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.TopicReader;
import com.vitasense.records.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The streaming job on a real Flink standalone session cluster, submitted as {@code flink run}
 * submits it: {@code .ci/cluster-submission-test.sh} starts the JobManager and TaskManager
 * processes, and this driver does the rest. It starts a Kafka broker and a PostgreSQL that checks
 * passwords, migrates the schema with the job jar alone, uploads the jar through the REST API and
 * runs it with the connection settings as flags and the password only in the cluster processes'
 * environment. It then feeds readings, stops the job with a savepoint, uploads the jar again (the
 * "new version") and resumes from the savepoint, feeds more (and replays the first delivery), and
 * checks that every reading is in {@code data_points} and on the processed topic exactly once.
 *
 * <p>Readings are released in event-time order once the watermark passes them, so each phase ends
 * with "clock" readings hours later on both partitions; those stay in the job's state, which makes
 * the savepoint carry unwritten readings that only a correct restore can write.
 *
 * <pre>java -cp ... ClusterSubmissionCheck --rest http://127.0.0.1:PORT --jar vitasense-job.jar --work DIR</pre>
 */
public final class ClusterSubmissionCheck {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Readings from half a day ago, so that the last phase's clock readings (six hours later) still
     * lie in the past: a reading dated in the future is flagged and checked on its own instead of
     * waiting for the watermark, which is not the path this check is about. Kafka record times play
     * no part: the raw records and the sinks' output are timestamped when sent, not with the
     * reading's event time (KafkaConnectors.SendTimeTimestamps), so broker retention never
     * removes them mid-test.
     */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(12)).truncatedTo(ChronoUnit.MINUTES);
    private static final int PARTITIONS = 2;
    private static final int DEVICES = 4;
    private static final int READINGS_PER_DEVICE = 30;
    /** Above heart rate's plausible range (20-250 bpm): one OUT_OF_RANGE issue, nothing else. */
    private static final double IMPLAUSIBLE_BPM = 300;
    private static final String DATABASE = "vitasense";
    private static final String JOB_USER = "vitasense";

    private final URI rest;
    private final FlinkRestClient flink;
    private final Path jar;
    private final Path work;
    private final String password;
    private EmbeddedKafkaBroker kafka;
    private EmbeddedPostgresServer postgres;
    private String jdbcUrl;
    private KafkaProducer<String, String> producer;

    private ClusterSubmissionCheck(URI rest, Path jar, Path work, String password) {
        this.rest = rest;
        this.flink = new FlinkRestClient(rest);
        this.jar = jar;
        this.work = work;
        this.password = password;
    }

    /** One reading as sent: where it went, and the row it must become. */
    private record Reading(String user, String device, int partition, Instant time, double value) {
        String envelope() {
            return Envelopes.point(user, device, "heart_rate", value, "bpm", time);
        }

        String rowKey() {
            return device + "@" + time;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) flags.put(args[i], args[i + 1]);
        String password = System.getenv("VITASENSE_JDBC_PASSWORD");
        if (!flags.keySet().containsAll(List.of("--rest", "--jar", "--work")) || password == null || password.isBlank()) {
            System.err.println("usage: VITASENSE_JDBC_PASSWORD=... ClusterSubmissionCheck --rest URL --jar FILE --work DIR");
            System.exit(2);
        }
        long started = System.nanoTime();
        ClusterSubmissionCheck check = new ClusterSubmissionCheck(URI.create(flags.get("--rest")),
                Path.of(flags.get("--jar")), Path.of(flags.get("--work")), password);
        try {
            check.run();
            say("PASSED in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
        } finally {
            check.close();
        }
    }

    private void run() throws Exception {
        awaitCluster();
        startPostgres();
        migrateWithTheJobJar();
        startKafka();

        List<String> jobArgs = List.of(
                "--kafka-bootstrap", kafka.bootstrapServers(),
                "--jdbc-url", jdbcUrl,
                "--jdbc-user", JOB_USER,
                "--checkpoint-interval", "5s");

        // Phase 1: the job as first deployed.
        String jarId = flink.uploadJar(jar);
        String job = flink.run(jarId, StreamingJob.class.getName(), jobArgs, PARTITIONS, null);
        say("job " + job + " submitted from jar " + jarId);
        awaitJobState(job, "RUNNING");
        requireComposeSubmitSkipsARunningJob();

        List<Reading> first = readings(T0);
        List<Reading> firstClocks = clocks(T0.plus(Duration.ofHours(3)));
        send(first);
        sendMalformed("{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"payl");
        send(firstClocks);
        awaitRows(first.size());
        say(first.size() + " readings written; " + firstClocks.size() + " later ones wait in the job's state");

        // Stop with a savepoint, as `flink stop --savepointPath` does.
        String savepoint = stopWithSavepoint(job);
        awaitJobState(job, "FINISHED");
        requireEquals("rows after the stop", first.size(), count("SELECT count(*) FROM data_points"));

        // The new version: upload the jar again and run it from the savepoint.
        String newJarId = flink.uploadJar(jar);
        String resumed = flink.run(newJarId, StreamingJob.class.getName(), jobArgs, PARTITIONS, savepoint);
        say("job " + resumed + " resumed from " + savepoint + " with jar " + newJarId);
        awaitJobState(resumed, "RUNNING");
        requireRestoredFrom(resumed, savepoint);

        // Phase 2: more readings, the whole first delivery again, and clocks that release both.
        List<Reading> second = readings(T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(10)));
        send(second);
        send(first);
        sendMalformed("{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": ");
        send(clocks(T0.plus(Duration.ofHours(6))));

        List<Reading> expected = new ArrayList<>(first);
        expected.addAll(firstClocks);
        expected.addAll(second);
        awaitRows(expected.size());
        verifyTable(expected);
        verifyTopics(expected);
        verifyQualityIssues(2);
        flink.cancel(resumed);
        awaitJobState(resumed, "CANCELED");
    }

    /**
     * The compose stack's submit script must not start a second copy of a running job; its probe
     * of the REST API runs here against the real cluster (it exits before it would call flink).
     */
    private void requireComposeSubmitSkipsARunningJob() throws Exception {
        Path script = Path.of("deploy", "compose", "submit-job.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("submit-job.log").toFile());
        pb.environment().put("FLINK_REST", rest.getHost() + ":" + rest.getPort());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish in 60 s");
        }
        String out = Files.readString(work.resolve("submit-job.log"), StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !out.contains("already running")) {
            throw new IllegalStateException(script + " did not see the running job (exit " + p.exitValue() + "): " + out);
        }
        say("deploy/compose/submit-job.sh sees the running job and submits nothing");
    }

    private void awaitCluster() throws Exception {
        JsonNode overview = Await.until("a TaskManager with 2 free slots", () -> {
            try {
                return flink.get("/overview");
            } catch (IOException e) {
                // The JobManager's REST endpoint is not up yet: keep polling until the deadline.
                return Json.mapper().createObjectNode().put("starting", e.toString());
            }
        }, o -> o.path("taskmanagers").asInt() >= 1 && o.path("slots-available").asInt() >= PARTITIONS, CLUSTER_TIMEOUT);
        say("cluster up: Flink " + overview.path("flink-version").asText() + ", "
                + overview.path("taskmanagers").asInt() + " TaskManager, " + overview.path("slots-total").asInt() + " slots");
    }

    /**
     * A PostgreSQL that checks passwords: the job's role has the password that only the cluster
     * processes' environment carries, so rows can only arrive if it got there.
     */
    private void startPostgres() throws Exception {
        postgres = EmbeddedPostgresServer.start();
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER ROLE " + postgres.user() + " PASSWORD '" + postgres.password() + "'");
            st.execute("CREATE ROLE " + JOB_USER + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            st.execute("CREATE DATABASE " + DATABASE + " OWNER " + JOB_USER);
        }
        Files.writeString(postgres.directory().resolve("pg_hba.conf"),
                "host all all 127.0.0.1/32 scram-sha-256\n", StandardCharsets.UTF_8);
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        }
        jdbcUrl = postgres.jdbcUrl(DATABASE);
        try (Connection ignored = DriverManager.getConnection(jdbcUrl, JOB_USER, password + "-wrong")) {
            throw new IllegalStateException("PostgreSQL accepted a wrong password; the check would prove nothing");
        } catch (SQLException expected) {
            say("PostgreSQL at " + jdbcUrl + " checks passwords");
        }
    }

    /** The schema from the job jar alone, as the compose stack's migrate service applies it. */
    private void migrateWithTheJobJar() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", jar.toString(),
                "com.vitasense.jobs.SchemaMigration", "--jdbc-url", jdbcUrl, "--jdbc-user", JOB_USER)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("migrate.log").toFile());
        pb.environment().put("VITASENSE_JDBC_PASSWORD", password);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("SchemaMigration from the job jar did not finish in 120 s");
        }
        String log = Files.readString(work.resolve("migrate.log"), StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !log.contains("schema at version")) {
            throw new IllegalStateException("SchemaMigration from the job jar failed (exit " + p.exitValue() + "):\n" + log);
        }
        say(log.lines().filter(l -> l.contains("schema at version")).findFirst().orElseThrow());
    }

    private void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(PARTITIONS, "device-data-raw", "device-data-processed", "device-data-dlq",
                "data-quality-issues", "device-anomalies", "calibration-events");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        say("Kafka at " + kafka.bootstrapServers());
    }

    /**
     * Every device's readings a minute apart from {@code start}; each device on one partition. One
     * reading of the first device is implausible (300 bpm), so each batch also yields exactly one
     * quality issue, which state and the replay must not lose or repeat either.
     */
    private static List<Reading> readings(Instant start) {
        List<Reading> out = new ArrayList<>();
        for (int k = 0; k < READINGS_PER_DEVICE; k++) {
            for (int d = 0; d < DEVICES; d++) {
                double value = d == 0 && k == READINGS_PER_DEVICE / 2 ? IMPLAUSIBLE_BPM : 60 + d + (k % 5);
                out.add(new Reading("u-" + d, "watch-" + d, d % PARTITIONS, start.plus(Duration.ofMinutes(k)), value));
            }
        }
        return out;
    }

    /** One reading per partition at {@code time}: it moves every source's watermark there. */
    private static List<Reading> clocks(Instant time) {
        List<Reading> out = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) out.add(new Reading("u-clock-" + p, "clock-" + p, p, time, 60));
        return out;
    }

    private void send(List<Reading> readings) throws Exception {
        for (Reading r : readings) {
            producer.send(new ProducerRecord<>("device-data-raw", r.partition(), r.device(), r.envelope())).get();
        }
    }

    private void sendMalformed(String value) throws Exception {
        producer.send(new ProducerRecord<>("device-data-raw", 0, null, value)).get();
    }

    private String stopWithSavepoint(String job) throws Exception {
        String target = work.resolve("savepoints").toUri().toString();
        String trigger = flink.stopWithSavepoint(job, target);
        JsonNode done = Await.until("the savepoint of " + job, () -> flink.get("/jobs/" + job + "/savepoints/" + trigger),
                s -> s.path("status").path("id").asText().equals("COMPLETED"), JOB_TIMEOUT);
        JsonNode failure = done.path("operation").path("failure-cause");
        if (!failure.isMissingNode() && !failure.isNull()) {
            throw new IllegalStateException("stop with savepoint failed: " + failure);
        }
        String location = done.path("operation").path("location").asText();
        say("stopped " + job + " with savepoint " + location);
        return location;
    }

    private void awaitJobState(String job, String state) throws Exception {
        JsonNode details = Await.until("job " + job + " " + state, () -> flink.get("/jobs/" + job),
                j -> j.path("state").asText().equals(state) || isTerminalOtherThan(j, state), JOB_TIMEOUT);
        if (!details.path("state").asText().equals(state)) {
            JsonNode exceptions = flink.get("/jobs/" + job + "/exceptions");
            throw new IllegalStateException("job " + job + " is " + details.path("state").asText() + ", not " + state
                    + ": " + exceptions.path("root-exception").asText());
        }
        if (state.equals("RUNNING")) {
            // RUNNING is announced before every task is deployed; the sources must read.
            Await.until("every task of " + job + " running", () -> flink.get("/jobs/" + job),
                    j -> allVerticesRunning(j), JOB_TIMEOUT);
        }
    }

    private static boolean isTerminalOtherThan(JsonNode job, String wanted) {
        String state = job.path("state").asText();
        return !state.equals(wanted) && Set.of("FAILED", "CANCELED", "FINISHED").contains(state);
    }

    private static boolean allVerticesRunning(JsonNode job) {
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) return false;
        }
        return job.path("vertices").size() > 0;
    }

    private void requireRestoredFrom(String job, String savepoint) throws Exception {
        JsonNode restored = Await.until("the restore of " + job, () -> flink.get("/jobs/" + job + "/checkpoints"),
                c -> c.path("latest").path("restored").hasNonNull("external_path"), JOB_TIMEOUT)
                .path("latest").path("restored");
        String path = restored.path("external_path").asText();
        if (!stripScheme(path).equals(stripScheme(savepoint)) || !restored.path("is_savepoint").asBoolean()) {
            throw new IllegalStateException("job " + job + " restored from " + restored + ", not from " + savepoint);
        }
    }

    private static String stripScheme(String path) {
        return path.replaceFirst("^file:(//)?", "").replaceAll("/+$", "");
    }

    private void awaitRows(int n) throws Exception {
        Await.until("data_points to reach " + n, () -> count("SELECT count(*) FROM data_points"), c -> c >= n, JOB_TIMEOUT);
    }

    /** Exactly the expected rows: each reading once, with its value, and nothing else. */
    private void verifyTable(List<Reading> expected) throws Exception {
        Map<String, Double> want = new TreeMap<>();
        for (Reading r : expected) want.put(r.rowKey(), r.value());
        requireEquals("distinct expected readings", expected.size(), want.size());

        Map<String, Double> got = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, JOB_USER, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT device_id, start_time, value FROM data_points")) {
            while (rs.next()) {
                String key = rs.getString(1) + "@" + rs.getObject(2, OffsetDateTime.class).toInstant();
                if (got.put(key, rs.getDouble(3)) != null) duplicates.add(key);
            }
        }
        if (!duplicates.isEmpty()) throw new IllegalStateException("readings written twice: " + duplicates);
        if (!got.equals(want)) {
            Set<String> missing = new HashSet<>(want.keySet());
            missing.removeAll(got.keySet());
            Set<String> extra = new HashSet<>(got.keySet());
            extra.removeAll(want.keySet());
            throw new IllegalStateException("data_points differ: missing " + missing + ", unexpected " + extra
                    + ", values " + (missing.isEmpty() && extra.isEmpty() ? got + " vs " + want : "-"));
        }
        requireEquals("distinct ids in data_points", expected.size(), count("SELECT count(DISTINCT id) FROM data_points"));
        say("data_points: exactly the " + expected.size() + " readings sent, each once");
    }

    /** The processed topic has each point once (the replay and the restore added none), the DLQ both bad records. */
    private void verifyTopics(List<Reading> expected) throws Exception {
        List<TopicReader.Message> processed = TopicReader.read(kafka.bootstrapServers(), "device-data-processed",
                expected.size(), JOB_TIMEOUT, Duration.ofSeconds(3));
        Set<String> ids = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (TopicReader.Message m : processed) {
            String id = Json.mapper().readTree(m.value()).path("id").asText();
            if (!ids.add(id)) repeated.add(id);
        }
        if (!repeated.isEmpty()) throw new IllegalStateException("points published twice: " + repeated);
        requireEquals("records on device-data-processed", expected.size(), processed.size());
        Set<String> tableIds = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, JOB_USER, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM data_points")) {
            while (rs.next()) tableIds.add(rs.getString(1));
        }
        if (!tableIds.equals(ids)) throw new IllegalStateException("topic and table ids differ");

        List<TopicReader.Message> deadLetters = TopicReader.read(kafka.bootstrapServers(), "device-data-dlq", 2,
                JOB_TIMEOUT, Duration.ofSeconds(3));
        requireEquals("dead letters", 2, deadLetters.size());
        say("device-data-processed: " + processed.size() + " points, each once; device-data-dlq: 2 dead letters");
    }

    /** One OUT_OF_RANGE issue per batch sent, in the table and on the topic, none twice. */
    private void verifyQualityIssues(int batches) throws Exception {
        Await.until("quality_issues to reach " + batches, () -> count("SELECT count(*) FROM quality_issues"),
                c -> c >= batches, JOB_TIMEOUT);
        requireEquals("OUT_OF_RANGE issues in quality_issues", batches,
                count("SELECT count(*) FROM quality_issues WHERE rule = 'OUT_OF_RANGE' AND device_id = 'watch-0'"));
        requireEquals("rows in quality_issues", batches, count("SELECT count(*) FROM quality_issues"));
        List<TopicReader.Message> issues = TopicReader.read(kafka.bootstrapServers(), "data-quality-issues", batches,
                JOB_TIMEOUT, Duration.ofSeconds(3));
        Set<String> ids = new HashSet<>();
        for (TopicReader.Message m : issues) ids.add(Json.mapper().readTree(m.value()).path("id").asText());
        requireEquals("records on data-quality-issues", batches, issues.size());
        requireEquals("distinct issues on data-quality-issues", batches, ids.size());
        say("quality_issues and data-quality-issues: the " + batches + " implausible readings' issues, each once");
    }

    private int count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, JOB_USER, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void requireEquals(String what, long expected, long actual) {
        if (expected != actual) throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
    }

    private void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : new AutoCloseable[] {producer, kafka, postgres}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("cleanup failed", e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private static void say(String message) {
        System.out.println("[cluster-test] " + message);
    }
}
