package com.vitasense.jobs;

import com.vitasense.jobs.testing.TestFlinkCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.jobs.config.CheckpointSettings;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Await;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.SharedServers;
import com.vitasense.jobs.testing.TopicReader;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.records.Ids;
import com.vitasense.records.Json;
import java.io.IOException;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every vendor fixture ({@code functions/src/test/resources/vendors}: one envelope of each vendor
 * and kind, plus the awkward variants and a few deliberately bad records) through the running
 * streaming job against a real Kafka broker and a real PostgreSQL. Each fixture is sent under its
 * own device id ({@code it-<vendor>-<file>}), so the rows it produced can be counted per vendor
 * and kind.
 */
class VendorsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final String CLOCK_AHEAD = "it-canonical-clock-ahead";

    /** The fixtures, relative to the jobs module (the working directory under failsafe). */
    private static final Path FIXTURES = Path.of("../functions/src/test/resources/vendors");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** data_points rows per fixture device: what each vendor and kind must produce. */
    private static final Map<String, Integer> POINTS = Map.ofEntries(
            Map.entry("it-apple_health-record-blood-glucose-mmol", 1),
            Map.entry("it-apple_health-record-body-mass-lb", 1),
            Map.entry("it-apple_health-record-body-temperature-degf", 1),
            Map.entry("it-apple_health-record-heart-rate", 1),
            Map.entry("it-apple_health-record-hrv-sdnn", 1),
            Map.entry("it-apple_health-record-oxygen-saturation", 1),
            Map.entry("it-apple_health-record-respiratory-rate", 1),
            Map.entry("it-apple_health-record-resting-heart-rate", 1),
            Map.entry("it-apple_health-record-sleep-analysis", 1),
            Map.entry("it-apple_health-record-step-count", 1),
            Map.entry("it-apple_health-workout", 1),
            Map.entry("it-dexcom-egvs", 3),
            // high and low limits and one normal reading; the record without a value is a sensor error.
            Map.entry("it-dexcom-egvs-sentinels", 3),
            Map.entry("it-fitbit-heart_intraday", 6),
            // eight minutes around the DST change, all distinct, plus the 25-hour day's resting rate.
            Map.entry("it-fitbit-heart_intraday-dst", 9),
            Map.entry("it-fitbit-heart_intraday-no-zone", 3),
            Map.entry("it-fitbit-steps_intraday", 4),
            Map.entry("it-fitbit-steps_intraday-day-total", 1),
            Map.entry("it-libre-glucose", 4),
            Map.entry("it-libre-glucose-mmol", 3),
            // sgv 142, 138 and the LOW sentinel; sgv 9 and 5 are sensor errors, mbg and cal references.
            Map.entry("it-nightscout-entries", 3),
            Map.entry("it-oura-daily_readiness", 3),
            Map.entry("it-oura-heartrate", 4),
            // four period values, five heart rates and five HRVs (three nulls each reported), eight stages.
            // The deleted period and the null items are named in the envelope's NO_MEASUREMENT dead letter.
            Map.entry("it-oura-sleep", 22),
            Map.entry("it-whoop-cycle", 2),
            Map.entry("it-whoop-cycle-in-progress", 2),
            Map.entry("it-whoop-recovery", 5),
            Map.entry("it-whoop-recovery-calibrating", 3),
            Map.entry("it-whoop-sleep", 3),
            // Not a fixture: a reading from a device whose clock runs a year ahead. Kept, and it must
            // not make the broker refuse the processed topic's record (and so restart the job).
            Map.entry(CLOCK_AHEAD, 1));

    /**
     * Dead letters: the deliberately bad fixtures, the pending WHOOP recovery and the report of what
     * the Oura sleep envelope skipped (its points are kept); reference measurements (Dexcom
     * calibrations, Nightscout mbg and cal) go to the calibration stage. Keyed by reason, vendor and
     * kind.
     */
    private static final Map<String, Integer> DEAD_LETTERS = Map.of(
            "NO_MEASUREMENT oura/sleep", 1,
            "NO_MEASUREMENT whoop/recovery", 1,
            "NOT_YET_SUPPORTED apple_health/record", 1,
            "UNSUPPORTED_UNIT dexcom/egvs", 1,
            "UNKNOWN_KIND fitbit/sleep", 1,
            "MALFORMED_JSON null/null", 1,
            "MISSING_FIELD whoop/cycle", 1);

    private static final String IN_PROGRESS = "it-whoop-cycle-in-progress";

    /**
     * Exact canonical rows of a representative point of every vendor, keyed by device, metric and
     * start: value, unit, raw value and unit, time source, flags and revision (and the end). LATE and
     * DEVICE_DISAGREEMENT are left out of the flags: whether a fixture arrives behind the watermark,
     * and which of the user's other glucose devices it is compared with then, depend on how the two
     * source subtasks interleave, not on the vendor's payload (every fixture is user u-17's).
     */
    private static final Map<String, String> EXACT_ROWS = Map.ofEntries(
            // Fitbit local time, resolved with the envelope's time zone (Berlin, UTC+1).
            Map.entry("it-fitbit-heart_intraday heart_rate 2026-11-26T23:00:00.000",
                    "61 bpm raw=61 bpm PROFILE_TIME_ZONE {} r1 until 2026-11-26T23:01:00.000"),
            // Without a time zone the same local time is read as UTC and marked so.
            Map.entry("it-fitbit-heart_intraday-no-zone heart_rate 2026-11-27T12:00:03.000",
                    "71 bpm raw=71 bpm ASSUMED_UTC {} r1 until 2026-11-27T12:00:04.000"),
            // Dexcom status high: the sensor's limit, flagged, with no raw value (none was sent).
            Map.entry("it-dexcom-egvs-sentinels glucose 2026-11-27T03:05:00.000",
                    "400 mg/dL raw=- mg/dL VENDOR_OFFSET {SENSOR_LIMIT_HIGH} r1 until 2026-11-27T03:05:00.000"),
            Map.entry("it-dexcom-egvs glucose 2026-11-27T09:45:01.000",
                    "104 mg/dL raw=104 mg/dL VENDOR_OFFSET {} r1 until 2026-11-27T09:45:01.000"),
            // Apple's molar glucose unit, with the one factor 18.0156 (the double product, as stored);
            // entered by hand.
            Map.entry("it-apple_health-record-blood-glucose-mmol glucose 2026-11-27T07:14:00.000",
                    6.1 * 18.0156 + " mg/dL raw=6.1 mmol<180.1558800000541>/L VENDOR_OFFSET {USER_ENTERED} r1"
                            + " until 2026-11-27T07:14:00.000"),
            Map.entry("it-apple_health-record-body-temperature-degf body_temperature 2026-11-27T06:30:00.000",
                    "37 degC raw=98.6 degF VENDOR_OFFSET {} r1 until 2026-11-27T06:30:00.000"),
            // Oura's temperature deviation from the personal baseline, in degC as sent.
            Map.entry("it-oura-daily_readiness temperature_deviation 2026-11-25T23:00:00.000",
                    "-0.12 degC raw=-0.12 degC VENDOR_OFFSET {} r1 until 2026-11-25T23:00:00.000"),
            Map.entry("it-whoop-recovery spo2 2026-11-27T06:35:21.511",
                    "95.6875 % raw=95.6875 % VENDOR_OFFSET {} r1 until 2026-11-27T06:35:21.511"),
            // The re-sent finished cycle: revision 2, the final strain and the real end.
            Map.entry(IN_PROGRESS + " strain 2026-11-27T06:31:02.000",
                    "14.2 score raw=14.2 - VENDOR_OFFSET {} r2 until 2026-11-28T06:12:40.000"),
            // Libre Value in mmol/L (GlucoseUnits 0) with the one factor.
            Map.entry("it-libre-glucose-mmol glucose 2026-11-27T01:30:00.000",
                    "106.29204 mg/dL raw=5.9 mmol/L VENDOR_OFFSET {} r1 until 2026-11-27T01:30:00.000"),
            // Nightscout sgv 39 is the sensor's LOW: the limit 40, flagged; the raw value kept.
            Map.entry("it-nightscout-entries glucose 2026-11-27T09:50:00.000",
                    "40 mg/dL raw=39 mg/dL VENDOR_OFFSET {SENSOR_LIMIT_LOW} r1 until 2026-11-27T09:50:00.000"));

    @TempDir
    static Path checkpoints;

    private static KafkaSettings kafka;
    private static String jdbcUrl;
    private static JobClient job;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startJob() throws Exception {
        String prefix = "vd-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KafkaSettings.Topics d = KafkaSettings.Topics.defaults();
        KafkaSettings.Topics topics = new KafkaSettings.Topics(prefix + d.raw(), prefix + d.processed(),
                prefix + d.deadLetters(), prefix + d.qualityIssues(), prefix + d.anomalies(), prefix + d.calibrationEvents());
        SharedServers.kafka().createTopics(2, topics.all());
        kafka = new KafkaSettings(SharedServers.kafka().bootstrapServers(), prefix + "job",
                KafkaSettings.StartingOffsets.EARLIEST, DeliveryGuarantee.AT_LEAST_ONCE, prefix + "tx", topics);
        jdbcUrl = SharedServers.newDatabase("vendors");

        StreamingJob.Config config = new StreamingJob.Config(
                kafka,
                JdbcSettings.local(jdbcUrl, SharedServers.postgres().user(), SharedServers.postgres().password()),
                new CheckpointSettings(Duration.ofSeconds(2), checkpoints.toUri().toString()),
                new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofHours(48)),
                2);
        StreamExecutionEnvironment env = StreamingJob.environment(config, new Configuration());
        StreamingJob.build(env, config);
        job = env.executeAsync("vendors-it");

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopJob() throws Exception {
        if (producer != null) producer.close();
        if (job != null) job.cancel().get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyVendorAndKindReachesTheTables() throws Exception {
        List<String[]> fixtures = fixtures();
        assertThat(fixtures).as("fixtures found under " + FIXTURES.toAbsolutePath()).hasSizeGreaterThan(30);
        Instant yearAhead = Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS);
        // A device clock a year ahead, received now: flagged and written at once, without moving
        // the watermark (and so without making every other reading late).
        fixtures.add(new String[] {CLOCK_AHEAD, Envelopes.envelope("canonical", "data_point", "u-17", CLOCK_AHEAD,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Json.mapper().createObjectNode().put("metric", "heart_rate")
                        .put("value", 64).put("unit", "bpm").put("start_time", yearAhead.toString()))});
        // An older sensor error of the Nightscout uploader, sent after its fixture: the devices row
        // keeps the newest error in event time, whatever the order of arrival.
        fixtures.add(new String[] {"it-nightscout-entries", olderSensorError("it-nightscout-entries")});
        int i = 0;
        int inProgressPartition = -1;
        for (String[] f : fixtures) {
            if (f[0].equals(IN_PROGRESS)) inProgressPartition = i % 2;
            producer.send(new ProducerRecord<>(kafka.topics().raw(), i++ % 2, f[0], f[1])).get();
        }
        // The same WHOOP cycle finished: re-sent with changed content, after the in-progress version
        // on the same partition, so it arrives second and becomes revision 2 of the same ids.
        producer.send(new ProducerRecord<>(kafka.topics().raw(), inProgressPartition, IN_PROGRESS, finishedCycle())).get();
        // Readings are written once the watermark passes them: a later reading on each partition
        // releases every fixture (and, being last, is itself never written).
        Instant later = Instant.parse("2027-01-01T00:00:00Z");
        for (int partition = 0; partition < 2; partition++) {
            String device = "it-watermark-" + partition;
            producer.send(new ProducerRecord<>(kafka.topics().raw(), partition, device,
                    Envelopes.point("u-99", device, "heart_rate", 60, "bpm", later))).get();
        }

        int total = POINTS.values().stream().mapToInt(Integer::intValue).sum();
        // Interpolated points fill short gaps in series with an expected interval (Oura heart rate);
        // they are the quality stage's, not the vendor's.
        String real = "FROM data_points WHERE NOT 'INTERPOLATED' = ANY(quality_flags)";
        Await.until("data_points to hold " + total + " rows", () -> count("SELECT count(*) " + real),
                c -> c >= total, TIMEOUT);
        assertThat(countsByDevice("SELECT device_id, count(*) " + real + " GROUP BY device_id"))
                .isEqualTo(new TreeMap<>(POINTS));
        assertThat(count("SELECT count(*) FROM data_points WHERE 'SENSOR_LIMIT_HIGH' = ANY(quality_flags)"))
                .as("Dexcom high, Libre HI").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM data_points WHERE 'SENSOR_LIMIT_LOW' = ANY(quality_flags)"))
                .as("Dexcom low, Nightscout 39").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM data_points WHERE device_id = '" + CLOCK_AHEAD
                + "' AND 'TIMESTAMP_SUSPECT' = ANY(quality_flags)")).isEqualTo(1);
        assertThat(rows("SELECT device_id, reason FROM quality_issues WHERE rule = 'FUTURE_TIMESTAMP'"))
                .extracting(r -> r[0]).containsExactly(CLOCK_AHEAD);
        assertThat(count("SELECT count(*) FROM data_points WHERE metric = 'glucose' AND value < 39"))
                .as("no error code became a glucose value").isZero();
        assertThat(canonicalRows()).containsAllEntriesOf(EXACT_ROWS);
        // The finished cycle replaced the in-progress one under the same id.
        assertThat(rows("SELECT id FROM data_points WHERE device_id = '" + IN_PROGRESS + "' AND metric = 'strain'"))
                .extracting(r -> r[0]).containsExactly(Ids.hash("point", "u-17", IN_PROGRESS, "strain",
                        "2026-11-27T06:31:02Z", null, "93846"));

        List<Message> deadLetters = TopicReader.read(kafka.bootstrapServers(), kafka.topics().deadLetters(),
                DEAD_LETTERS.values().stream().mapToInt(Integer::intValue).sum(), TIMEOUT, Duration.ofSeconds(2));
        Map<String, Integer> reasons = new TreeMap<>();
        for (Message m : deadLetters) {
            JsonNode dl = Json.mapper().readTree(m.value());
            reasons.merge(dl.get("reason").asText() + " " + dl.get("vendor").asText() + "/" + dl.get("kind").asText(), 1,
                    Integer::sum);
        }
        assertThat(reasons).isEqualTo(new TreeMap<>(DEAD_LETTERS));

        // Device rows: one per device that sent a reading or a device event. The Fitbit scale is a
        // device of its own; the pending WHOOP recovery and the dead-lettered fixtures wrote none.
        Await.until("device rows", () -> count("SELECT count(*) FROM devices"), c -> c >= 34, TIMEOUT);
        Map<String, String> devices = new TreeMap<>();
        for (String[] row : rows("SELECT device_id, coalesce(model, '-'), coalesce(battery_level::text, '-'),"
                + " coalesce(battery_state, '-'), coalesce(charging::text, '-'), coalesce(in_charger::text, '-'), "
                + utc("last_sync") + ", coalesce(sensor_error_code, '-'), " + utc("sensor_error_at") + " FROM devices")) {
            devices.put(row[0], row[1] + " battery=" + row[2] + " state=" + row[3] + " charging=" + row[4]
                    + " in_charger=" + row[5] + " sync=" + row[6] + " error=" + row[7] + "@" + row[8]);
        }
        assertThat(devices.keySet()).hasSize(34).containsAll(POINTS.keySet());
        assertThat(devices)
                .containsEntry("it-fitbit-devices", "Charge 6 battery=64 state=medium charging=- in_charger=-"
                        + " sync=2026-11-27T08:41:12 error=-@-")
                // The scale reports only the coarse state, which the row now keeps.
                .containsEntry("it-fitbit-devices/1873355", "Aria Air battery=- state=high charging=- in_charger=-"
                        + " sync=2026-11-26T06:02:45 error=-@-")
                // The newest of four samples: charging in the charger.
                .containsEntry("it-oura-ring_battery_level", "- battery=23 state=- charging=true in_charger=true"
                        + " sync=- error=-@-")
                // low_battery_alert on the sleep period.
                .containsEntry("it-oura-sleep", "- battery=- state=low charging=- in_charger=- sync=- error=-@-")
                .containsEntry("it-dexcom-devices", "Dexcom G7 battery=- state=- charging=- in_charger=-"
                        + " sync=2026-11-27T09:58:10 error=-@-")
                // The EGV without a value.
                .containsEntry("it-dexcom-egvs-sentinels", "Dexcom G7 battery=- state=- charging=- in_charger=-"
                        + " sync=- error=no_value@2026-11-27T03:50:00")
                // Codes 9 (09:55) and 5 (10:00), and the older 12 sent last: the newest, 5, stays.
                .containsEntry("it-nightscout-entries", "xDrip-DexcomG6 battery=- state=- charging=- in_charger=-"
                        + " sync=- error=5@2026-11-27T10:00:00");
        assertThat(rows("SELECT sensor_error FROM devices WHERE device_id = 'it-nightscout-entries'"))
                .extracting(r -> r[0]).containsExactly("sensor not calibrated");
        // No record made the job fail and restart (a restart would also have repeated the dead letters).
        assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    }

    /** Every row of data_points as {@link #EXACT_ROWS} describes it, keyed by device, metric and start. */
    private static Map<String, String> canonicalRows() throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (String[] r : rows("SELECT device_id || ' ' || metric || ' ' || " + utcMillis("start_time") + ","
                + " coalesce(value::text, category) || ' ' || coalesce(unit, '-') || ' raw=' || coalesce(raw_value, '-')"
                + " || ' ' || coalesce(raw_unit, '-') || ' ' || time_source || ' '"
                + " || array_remove(array_remove(quality_flags, 'LATE'), 'DEVICE_DISAGREEMENT')::text || ' r' || revision || ' until ' || " + utcMillis("end_time")
                + " FROM data_points")) {
            out.put(r[0], r[1]);
        }
        return out;
    }

    private static String utcMillis(String column) {
        return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS')";
    }

    /** The in-progress WHOOP cycle fixture, finished: end, final strain and energy, a later update. */
    private static String finishedCycle() throws IOException {
        ObjectNode env = (ObjectNode) Json.mapper().readTree(FIXTURES.resolve("whoop/cycle-in-progress.json").toFile());
        env.put("device_id", IN_PROGRESS);
        ObjectNode p = (ObjectNode) env.get("payload");
        p.put("end", "2026-11-28T06:12:40.000Z");
        p.put("updated_at", "2026-11-28T06:20:02.000Z");
        ((ObjectNode) p.get("score")).put("strain", 14.2).put("kilojoule", 10212.9);
        return Json.mapper().writeValueAsString(env);
    }

    /** {@code column} as UTC text to the second, or {@code -}. */
    private static String utc(String column) {
        return "coalesce(to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), '-')";
    }

    /** The Nightscout fixture reduced to one entry: sgv 12 (bad RF) at 08:00, before the fixture's errors. */
    private static String olderSensorError(String device) throws IOException {
        ObjectNode env = (ObjectNode) Json.mapper().readTree(FIXTURES.resolve("nightscout/entries.json").toFile());
        env.put("device_id", device);
        ObjectNode entry = null;
        for (JsonNode e : env.get("payload")) {
            if (e.path("sgv").asInt() == 9) entry = ((ObjectNode) e).deepCopy();
        }
        assertThat(entry).as("the fixture's sgv 9 entry").isNotNull();
        entry.put("sgv", 12).put("date", Instant.parse("2026-11-27T08:00:00Z").toEpochMilli())
                .put("dateString", "2026-11-27T08:00:00.000Z").put("sysTime", "2026-11-27T08:00:00.000Z");
        entry.put("_id", "6746e0a0a1b2c3d4e5f60700");
        env.set("payload", Json.mapper().createArrayNode().add(entry));
        return Json.mapper().writeValueAsString(env);
    }

    /** [key, value] per fixture: the device id, and the envelope under that device id (bad JSON as is). */
    private static List<String[]> fixtures() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String vendor = f.getParent().getFileName().toString();
                String stem = f.getFileName().toString().replaceFirst("\\.json$", "");
                String device = "it-" + vendor + "-" + stem;
                String text = Files.readString(f, StandardCharsets.UTF_8);
                JsonNode env;
                try {
                    env = Json.mapper().readTree(text);
                } catch (IOException notJson) {
                    out.add(new String[] {device, text});
                    continue;
                }
                ((ObjectNode) env).put("device_id", device);
                out.add(new String[] {device, Json.mapper().writeValueAsString(env)});
            }
        }
        return out;
    }

    private static int count(String sql) throws SQLException {
        return Integer.parseInt(rows(sql).get(0)[0]);
    }

    private static Map<String, Integer> countsByDevice(String sql) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        for (String[] row : rows(sql)) counts.put(row[0], Integer.parseInt(row[1]));
        return counts;
    }

    private static List<String[]> rows(String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedServers.postgres().user(),
                SharedServers.postgres().password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) row[i] = rs.getString(i + 1);
                out.add(row);
            }
        }
        return out;
    }
}
