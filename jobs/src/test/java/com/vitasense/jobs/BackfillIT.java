package com.vitasense.jobs;

import com.vitasense.jobs.testing.TestFlinkCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.apple.AppleExportFiles;
import com.vitasense.jobs.apple.AppleExportGenerator;
import com.vitasense.jobs.apple.AppleHealthImport;
import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import com.vitasense.jobs.local.TableSnapshot;
import com.vitasense.jobs.testing.Backfills;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.SharedServers;
import com.vitasense.jobs.testing.TopicReader;
import com.vitasense.records.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill's command line end to end on a mini cluster, against the shared PostgreSQL and
 * Kafka: a directory of plain and gzipped JSON lines (published to the topics when asked), a Kafka
 * time range, an Apple Health export, a job that fails and settings that are refused, each with
 * its run record and exit code.
 */
class BackfillIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    /** The Apple Health export of the functions module's reader tests (the working directory is jobs/). */
    private static final Path APPLE_FIXTURE = Path.of("../functions/src/test/resources/apple/export.xml");

    @Test
    void readsADirectoryOfPlainAndGzippedFilesAndPublishesToTheTopicsWhenAsked(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("a.jsonl");
        write(plain, List.of(
                Envelopes.point("u-1", "watch-1", "heart_rate", 70, "bpm", T0),
                Envelopes.point("u-1", "watch-1", "heart_rate", 71, "bpm", T0.plusSeconds(60)),
                "{\"vendor\": \"canonical\", \"kind\": \"data_po",
                Envelopes.point("u-1", "watch-1", "heart_rate", 72, "bpm", T0.plusSeconds(120))));
        write(dir.resolve("2026/11/b.jsonl.gz"), List.of(
                Envelopes.point("u-2", "watch-2", "heart_rate", 60, "bpm", T0),
                Envelopes.point("u-2", "watch-2", "heart_rate", 300, "bpm", T0.plusSeconds(60))));
        // Skipped like every hidden or underscore file, as Flink's file source does.
        write(dir.resolve("2026/.b.jsonl.inprogress"), List.of(Envelopes.point("u-3", "watch-3", "heart_rate", 1, "bpm", T0)));

        String prefix = "backfill-files-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        SharedServers.kafka().createTopics(2, prefix + "processed", prefix + "dlq", prefix + "issues");
        String db = SharedServers.newDatabase("backfill_files");
        Backfills.Outcome outcome = Backfills.run(db, "--from-file", dir.toString(), "--emit-topics",
                "--kafka-bootstrap", SharedServers.kafka().bootstrapServers(), "--topic-processed", prefix + "processed",
                "--topic-dlq", prefix + "dlq", "--topic-quality-issues", prefix + "issues", "--run-id", "files-1");

        assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
        assertThat(outcome.out()).contains("backfill run files-1: reading " + dir + " (");
        assertThat(outcome.summary()).startsWith("backfill summary: run=files-1 status=succeeded input=" + dir
                + " records_read=6 points_written=5 quality_issues=1 dead_letters=1 duration=");
        assertThat(query(db, "SELECT device_id || ' ' || value FROM data_points ORDER BY device_id, start_time"))
                .containsExactly("watch-1 70", "watch-1 71", "watch-1 72", "watch-2 60", "watch-2 300");
        assertThat(query(db, "SELECT rule || ' ' || device_id FROM quality_issues")).containsExactly("OUT_OF_RANGE watch-2");
        assertThat(query(db, "SELECT input_kind || ' ' || input || ' ' || status || ' ' || emit_topics || ' '"
                + " || records_read || ' ' || points_written || ' ' || (finished_at >= started_at) FROM backfill_runs"))
                .containsExactly("file " + dir + " succeeded true 6 5 true");

        assertThat(read(prefix + "processed", 5)).hasSize(5);
        assertThat(read(prefix + "issues", 1)).hasSize(1);
        List<TopicReader.Message> dlq = read(prefix + "dlq", 1);
        assertThat(dlq).hasSize(1);
        JsonNode deadLetter = Json.mapper().readTree(dlq.get(0).value());
        // The dead letter names the file and the line it came from.
        assertThat(deadLetter.get("topic").asText()).isEqualTo(new org.apache.flink.core.fs.Path(plain.toUri()).toString());
        assertThat(deadLetter.get("offset").asLong()).isEqualTo(3);
        assertThat(deadLetter.get("reason").asText()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void readsAKafkaTimeRangeByRecordTime() throws Exception {
        String topic = "backfill-range-" + UUID.randomUUID().toString().substring(0, 8) + "-raw";
        SharedServers.kafka().createTopics(2, topic);
        // Record times in the past: a broker may refuse or expire records far from its own clock.
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 9; i++) {
                // Three records an hour apart in three batches: before, inside and after the range.
                Instant recordTime = base.plus(Duration.ofHours(i / 3)).plusSeconds(i);
                String value = Envelopes.point("u-1", "watch-1", "heart_rate", 60 + i, "bpm", T0.plusSeconds(60L * i));
                producer.send(new ProducerRecord<>(topic, i % 2, recordTime.toEpochMilli(), "watch-1", value)).get();
            }
        }
        Instant start = base.plus(Duration.ofMinutes(30));
        Instant end = base.plus(Duration.ofMinutes(90));
        String db = SharedServers.newDatabase("backfill_range");
        Backfills.Outcome outcome = Backfills.run(db, "--from-kafka", "--start", start.toString(), "--end", end.toString(),
                "--kafka-bootstrap", SharedServers.kafka().bootstrapServers(), "--topic-raw", topic, "--run-id", "range-1");

        assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
        assertThat(outcome.out()).contains("backfill run range-1: reading kafka topic " + topic + " [" + start + ", " + end
                + ") (3 records), tables only");
        assertThat(query(db, "SELECT value::int FROM data_points ORDER BY start_time")).containsExactly("63", "64", "65");
        assertThat(query(db, "SELECT input_kind || ' ' || range_start || ' ' || range_end || ' ' || status || ' '"
                + " || records_read || ' ' || points_written FROM backfill_runs")).singleElement().satisfies(row -> {
                    assertThat(row).startsWith("kafka ").endsWith(" succeeded 3 3");
                });
        try (Connection c = connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT range_start, range_end FROM backfill_runs")) {
            rs.next();
            assertThat(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).isEqualTo(start);
            assertThat(rs.getObject(2, java.time.OffsetDateTime.class).toInstant()).isEqualTo(end);
        }
    }

    @Test
    void anAppleHealthExportGivesTheSameRowsAsItsImportedEnvelopes(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("export.xml");
        AppleExportGenerator.Generated generated = AppleExportGenerator.write(xml, 300_000, 11);
        Path zip = dir.resolve("export.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            Files.copy(xml, z);
        }
        // The other way to the same rows: import-apple to JSON lines, then a file backfill.
        Path lines = dir.resolve("imported/envelopes.jsonl");
        Files.createDirectories(lines.getParent());
        try (InputStream in = AppleExportFiles.open(xml); JsonLinesEnvelopeWriter w = new JsonLinesEnvelopeWriter(lines)) {
            AppleHealthImport.run(in, "u-7", ZoneId.of("Europe/Berlin"), w);
        }

        String fromExport = SharedServers.newDatabase("backfill_apple");
        Backfills.Outcome outcome = Backfills.run(fromExport, "--from-apple-export", zip.toString(), "--user", "u-7",
                "--time-zone", "Europe/Berlin", "--run-id", "apple-1");
        assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
        String fromLines = SharedServers.newDatabase("backfill_apple_lines");
        assertThat(Backfills.run(fromLines, "--from-file", lines.toString()).exitCode()).isZero();

        long samples = generated.records() + generated.workouts();
        assertThat(outcome.summary()).contains("records_read=" + samples);
        assertThat(query(fromExport, "SELECT input_kind || ' ' || user_id || ' ' || status || ' ' || records_read FROM backfill_runs"))
                .containsExactly("apple_export u-7 succeeded " + samples);
        assertThat(Integer.parseInt(query(fromExport, "SELECT count(*) FROM data_points WHERE user_id = 'u-7'"
                + " AND vendor = 'apple_health'").get(0))).isGreaterThan(500);
        try (Connection a = connect(fromExport); Connection b = connect(fromLines)) {
            assertThat(TableSnapshot.take(a, TableSnapshot.PIPELINE_TABLES)
                    .differences(TableSnapshot.take(b, TableSnapshot.PIPELINE_TABLES), 10)).isEmpty();
        }
    }

    /**
     * An export cut off inside its workout: the backfill succeeds with the eight records before the
     * cut, and the rest of the file is one DAMAGED_FILE dead letter naming the file, where reading
     * stopped and the XML parser's line and column.
     */
    @Test
    void aTruncatedAppleExportKeepsTheSamplesBeforeTheDamage(@TempDir Path dir) throws Exception {
        List<String> fixture = Files.readAllLines(APPLE_FIXTURE, java.nio.charset.StandardCharsets.UTF_8);
        int workout = fixture.indexOf(fixture.stream().filter(l -> l.startsWith(" <Workout ")).findFirst().orElseThrow());
        Path cut = dir.resolve("export.xml");
        Files.writeString(cut, String.join("\n", fixture.subList(0, workout)) + "\n"
                + fixture.get(workout).substring(0, 60), java.nio.charset.StandardCharsets.UTF_8);

        String prefix = "backfill-damaged-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        SharedServers.kafka().createTopics(1, prefix + "processed", prefix + "dlq", prefix + "issues");
        String db = SharedServers.newDatabase("backfill_damaged");
        Backfills.Outcome outcome = Backfills.run(db, "--from-apple-export", cut.toString(), "--user", "u-8",
                "--time-zone", "Europe/Berlin", "--run-id", "damaged-1", "--emit-topics",
                "--kafka-bootstrap", SharedServers.kafka().bootstrapServers(), "--topic-processed", prefix + "processed",
                "--topic-dlq", prefix + "dlq", "--topic-quality-issues", prefix + "issues");

        assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
        assertThat(outcome.summary()).startsWith("backfill summary: run=damaged-1 status=succeeded input=apple health export "
                + cut + " of user u-8 records_read=8 points_written=8 quality_issues=0 dead_letters=1 ");
        assertThat(query(db, "SELECT count(*) FROM data_points WHERE user_id = 'u-8' AND vendor = 'apple_health'"))
                .containsExactly("8");
        List<TopicReader.Message> dlq = read(prefix + "dlq", 1);
        assertThat(dlq).hasSize(1);
        JsonNode deadLetter = Json.mapper().readTree(dlq.get(0).value());
        String path = new org.apache.flink.core.fs.Path(cut.toUri()).toString();
        assertThat(deadLetter.get("reason").asText()).isEqualTo("DAMAGED_FILE");
        assertThat(deadLetter.get("topic").asText()).isEqualTo(path);
        assertThat(deadLetter.get("offset").asLong()).as("the sample where reading stopped").isEqualTo(9);
        assertThat(deadLetter.get("error").asText()).startsWith("damaged file " + path + ": malformed export.xml: ")
                .contains("(line " + (workout + 1) + ", column ")
                .endsWith("; reading stopped after 8 envelope(s), which were processed");
    }

    @Test
    void aFailedJobIsRecordedAndExitsWithOne(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("broken.jsonl.gz"), "this was never gzip".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String db = SharedServers.newDatabase("backfill_failed");
        Backfills.Outcome outcome = Backfills.run(db, "--from-file", dir.toString(), "--run-id", "broken-1");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.summary()).startsWith("backfill summary: run=broken-1 status=failed")
                .endsWith("error=IOException: cannot read " + new org.apache.flink.core.fs.Path(dir.resolve("broken.jsonl.gz").toUri())
                        + ": Not in GZIP format");
        assertThat(query(db, "SELECT status || ' ' || (error IS NOT NULL) || ' ' || (finished_at IS NOT NULL) FROM backfill_runs"))
                .containsExactly("failed true true");
    }

    @Test
    void invalidSettingsExitWithTwoAndOneLine(@TempDir Path dir) throws Exception {
        String db = SharedServers.newDatabase("backfill_invalid");
        Backfills.Outcome missing = Backfills.run(db, "--from-file", dir.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("error: --from-file " + dir.resolve("nowhere") + " does not exist" + System.lineSeparator());

        Backfills.Outcome noInput = Backfills.run(db);
        assertThat(noInput.exitCode()).isEqualTo(2);
        assertThat(noInput.err()).startsWith("error: missing input: give exactly one of --from-file PATH");
        assertThat(query(db, "SELECT count(*) FROM backfill_runs")).containsExactly("0");
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (JsonLinesEnvelopeWriter w = new JsonLinesEnvelopeWriter(file)) {
            for (String line : lines) w.write("", line);
        }
    }

    private static List<TopicReader.Message> read(String topic, int expected) {
        return TopicReader.read(SharedServers.kafka().bootstrapServers(), topic, expected, Duration.ofSeconds(60), Duration.ofSeconds(1));
    }

    private static List<String> query(String jdbcUrl, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(jdbcUrl); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, SharedServers.postgres().user(), SharedServers.postgres().password());
    }
}
