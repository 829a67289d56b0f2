package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.sql.SqlRunner;
import com.vitasense.jobs.sql.SqlRunner.QueryResult;
import com.vitasense.jobs.testing.Await;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.SharedServers;
import com.vitasense.quality.QualityRules;
import com.vitasense.records.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SQL file under {@code sql/flink} through {@link SqlRunner}, over topics and tables that the
 * running streaming job filled from raw envelopes: a day of CGM readings with lows, highs, a fast
 * fall, a gap, a missing reading and an implausible value; heart rate, steps from two devices,
 * sleep stages. Each analysis query has its exact result below, worked out by hand from the data;
 * a file without one fails {@link #everySqlFileIsCoveredByThisTest()}.
 */
class FlinkSqlIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            // Two for the streaming job, two for the live query that watches it.
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final Path SQL = Path.of("..", "sql", "flink");
    private static final Path CATALOG = SQL.resolve("catalog.sql");
    private static final Path ANALYSIS = SQL.resolve("analysis");

    /** 2026-11-20, the day of the CGM data; everything is UTC. */
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    /**
     * The CGM's readings (mg/dL, every 5 minutes), one row per hour 00-23. Hour 13 is a gap (no
     * reading), 05:30 is missing (the pipeline fills it in), 06:30 is an implausible 1500.
     */
    private static final int[][] GLUCOSE = {
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 92, 84, 76, 68, 62, 56, 52, 50, 50, 55, 62},                 // a night low
            {70, 78, 86, 94, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, -1, 100, 100, 100, 100, 100},      // 05:30 missing
            {100, 100, 100, 100, 100, 100, 1500, 100, 100, 100, 100, 100},    // 06:30 implausible
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220},     // after breakfast
            {230, 240, 250, 255, 260, 255, 250, 240, 230, 220, 210, 200},
            {190, 180, 170, 160, 150, 140, 130, 120, 110, 100, 100, 100},     // falls by 10: not fast
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {},                                                               // 13:00-13:55 gap
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {110, 120, 130, 140, 150, 160, 170, 180, 190, 175, 160, 145},     // 190 -> 145 in 15 min: fast
            {140, 135, 130, 125, 120, 115, 110, 105, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
            {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
    };

    /*
     * The expected result of every file in sql/flink/analysis, row by row, cells joined by " | ".
     *
     * CGM: 275 readings arrive (288 slots, less 12 in the gap and the missing one), 274 of them
     * plausible. Below 54: 52, 50, 50 (3). 54-69: 68, 62, 56, 55, 62 (5). 181-250: 190, 200, 210, 220,
     * 230, 240, 250, 250, 240, 230, 220, 210, 200, 190, 190 (15). Above 250: 255, 260, 255 (3). The
     * other 248 are in range: 3/274 = 1.1 %, 5/274 = 1.8 %, 248/274 = 90.5 %, 15/274 = 5.5 %,
     * 3/274 = 1.1 %. Mean 30614/274 = 111.73, sample SD 35.62, CV 31.9 %, GMI 3.31 + 0.02392 x 111.73
     * = 5.98 %. Completeness: 275 of 24 x 12 = 288, 95.5 %; hour 05 has 11, hour 13 none.
     */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "cgm_time_in_range.sql", List.of(
                    "u-1 | cgm-1 | 274 | 2026-11-20 00:00:00 | 2026-11-20 23:55:00 | 1.1 | 1.8 | 90.5 | 5.5 | 1.1"),
            "cgm_gmi_cv.sql", List.of(
                    "u-1 | cgm-1 | 274 | 1 | 111.7 | 35.6 | 31.9 | stable | 5.98"),
            "data_completeness.sql", List.of(
                    "canonical | cgm-1 | Dexcom G7 | glucose | 24 | 288 | 275 | 95.5 | 2 | 1",
                    "canonical | (all) |  |  | 24 | 288 | 275 | 95.5 | 2 | 1"),
            // Heart rate 60, 70, 80, 90 (300 is implausible) and 65, 75; steps: the watch's 4000 beat
            // the phone's 3500, and 1200 beat 1000; sleep: 90 + 60 + 90 + 105 minutes (15 awake), then 60.
            "daily_summary.sql", List.of(
                    "u-1 | 2026-11-20 | 75 | 60 | 90 | 4000 | 345",
                    "u-1 | 2026-11-21 | 70 | 65 | 75 | 1200 | 60"),
            // Per 1000 readings: 1 of 275 glucose readings, 1 of 7 heart rate readings.
            "quality_issues_by_rule.sql", List.of(
                    "DATA_GAP | WARNING | glucose | 1 | 1 | 2026-11-20 14:00:00 | 2026-11-20 14:00:00 | 3.6",
                    "OUT_OF_RANGE | WARNING | glucose | 1 | 1 | 2026-11-20 06:30:00 | 2026-11-20 06:30:00 | 3.6",
                    "OUT_OF_RANGE | WARNING | heart_rate | 1 | 1 | 2026-11-20 21:00:00 | 2026-11-20 21:00:00 | 142.9"),
            "glucose_fast_fall.sql", List.of(
                    "u-1 | cgm-1 | 2026-11-20 17:40:00 | 190 | 2026-11-20 17:55:00 | 145 | 45 | 15"),
            // From the alert stage: the CGM's constant hours are flatlines, its silent hour a lost
            // connection and an incomplete hour, the 1500 at 06:30 a spike.
            "alerts_by_type_and_model.sql", List.of(
                    "FLATLINE | Dexcom G7 | 6 | 1 | 0 | 186.7",
                    "CONNECTIVITY_LOST | Dexcom G7 | 1 | 1 | 0 | 65",
                    "DATA_INCOMPLETE | Dexcom G7 | 1 | 1 | 0 | 120",
                    "SPIKE | Dexcom G7 | 1 | 1 | 0 | 35"),
            // Two fingersticks after the last reading, 108 at 23:57 and 104 at 23:59, both paired with
            // the 100 of 23:55: (100 - 108) / 108 = -7.41 %, so MARD 7.41 and bias -7.41 at the first;
            // over both, MARD (7.41 + 3.85) / 2 = 5.63, bias -5.63. Their mean is 6.52, bias -6.52.
            "calibration_mard_over_time.sql", List.of(
                    "cgm-1 | Dexcom G7 | glucose | 2026-11-20 | 2 | 6.5 | 5.6 | 7.4 | -6.5"));

    private static KafkaSettings kafka;
    private static String jdbcUrl;
    /** The fast-fall query in streaming mode, started before the data, as one would watch live data. */
    private static CompletableFuture<List<QueryResult>> liveFastFall;

    private static boolean filled;
    private static Throwable fillFailure;

    @BeforeAll
    static void utc() {
        // SqlRunner.main does the same: the JDBC connector reads timestamptz through the default zone.
        TimeZone.setDefault(TimeZone.getTimeZone(ZoneOffset.UTC));
    }

    /**
     * Fills everything once, from the first test that needs it: jobs go to the shared MiniCluster
     * only while a test runs (the extension sets it as the context environment before each test).
     */
    private static synchronized void filled() throws Exception {
        if (fillFailure != null) throw new IllegalStateException("filling the topics and tables failed earlier", fillFailure);
        if (filled) return;
        try (RestClusterClient<?> flink = new RestClusterClient<>(FLINK.getClientConfiguration(),
                StandaloneClusterId.getInstance())) {
            fillTopicsAndTablesThroughThePipeline(flink);
            filled = true;
        } catch (Exception | AssertionError e) {
            fillFailure = e;
            throw e;
        }
    }

    private static void fillTopicsAndTablesThroughThePipeline(RestClusterClient<?> flink) throws Exception {
        Properties rules = new Properties();
        rules.setProperty("interval.canonical.glucose", "5m");
        // The production idleness (30 s): with 1 s the busy partition's source goes idle between sends,
        // the stages downstream see watermarks jump, and which readings are released in order
        // becomes a matter of timing (the alert stage's noise baseline counted one reading fewer in
        // some runs, moving the first flatline by 5 minutes).
        PipelineConfig config = new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48),
                QualityRules.defaults().withProperties(rules));
        try (RunningJob job = RunningJob.start("flink-sql", config)) {
            kafka = job.kafka();
            jdbcUrl = job.jdbcUrl();
            liveFastFall = CompletableFuture.supplyAsync(() -> run(ANALYSIS.resolve("glucose_fast_fall.sql"),
                    "--mode", "streaming", "--max-rows", "1"));
            // Started before the first processed record: reading a backlog instead, the reader of one
            // partition can run ahead and move the watermark past records of the other that it has
            // not delivered yet, which then arrive late and are skipped (what batch mode is for).
            Await.until("the streaming query's tasks running (or the query failed)",
                    () -> liveFastFall.isDone() ? "done" : tasks(flink, "glucose_fast_fall.sql"),
                    t -> t.equals("done") || t.matches("RUNNING:( RUNNING)+"), RunningJob.TIMEOUT);

            job.sendInOrder(0, List.<String[]>of(new String[] {"cgm-1", "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"payl"}));
            // In time order through one partition, so that no reading is LATE (see QualityIssuesIT),
            // and in two parts. A day sent at once leaves the job in large steps of event time, so a
            // partition of device-data-processed can hold one device's readings hours behind
            // another's; to a streaming query with a 5-minute watermark the late ones are gone. The
            // fast fall is out before anything later than 18:30 goes in.
            List<Map.Entry<Instant, String[]>> envelopes = envelopesInTimeOrder();
            Instant split = at(0, 18, 30);
            job.sendInOrder(0, envelopes.stream().filter(e -> e.getKey().isBefore(split)).map(Map.Entry::getValue).toList());
            job.awaitCount("SELECT count(*) FROM data_points WHERE device_id = 'cgm-1' AND start_time >= '"
                    + at(0, 17, 55) + "'", 1);
            job.sendInOrder(0, envelopes.stream().filter(e -> !e.getKey().isBefore(split)).map(Map.Entry::getValue).toList());
            job.awaitCount("SELECT count(*) FROM data_points", 296);
            job.awaitCount("SELECT count(*) FROM device_completeness", 24);
            job.awaitCount("SELECT count(*) FROM quality_issues", 3);
            job.awaitCount("SELECT count(*) FROM devices", 4);
            job.awaitCount("SELECT count(*) FROM device_alerts WHERE status = 'cleared'", 9);
            // Batch queries read the topics up to their end offsets when they start: all must be there.
            assertThat(job.read(kafka.topics().processed(), 296)).hasSize(296);
            assertThat(job.read(kafka.topics().qualityIssues(), 3)).hasSize(3);
            assertThat(job.read(kafka.topics().deadLetters(), 1)).hasSize(1);
            assertThat(job.read(kafka.topics().anomalies(), 18)).hasSize(18);
            job.awaitCount("SELECT count(*) FROM calibration_events WHERE event_type = 'CALIBRATION_APPLIED'", 2);
            assertThat(job.read(kafka.topics().calibrationEvents(), 3)).hasSize(3);
        }
    }

    /** The columns of a PostgreSQL table in their order. */
    private static List<String> postgresColumns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedServers.postgres().user(),
                SharedServers.postgres().password());
             PreparedStatement st = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    /** The state of the job whose name ends with {@code name} and of its tasks, e.g. {@code RUNNING: RUNNING RUNNING}. */
    private static String tasks(RestClusterClient<?> flink, String name) throws Exception {
        for (JobStatusMessage j : flink.listJobs().get()) {
            if (j.getJobName().endsWith(name)) {
                return j.getJobState() + ":" + flink.getJobDetails(j.getJobId()).get().getJobVertexInfos().stream()
                        .map(v -> " " + v.getExecutionState()).collect(Collectors.joining());
            }
        }
        return "not submitted";
    }

    private static List<Map.Entry<Instant, String[]>> envelopesInTimeOrder() {
        List<Map.Entry<Instant, String[]>> timed = new ArrayList<>();
        for (int hour = 0; hour < GLUCOSE.length; hour++) {
            for (int i = 0; i < GLUCOSE[hour].length; i++) {
                if (GLUCOSE[hour][i] < 0) continue;
                Instant t = at(0, hour, 5 * i);
                timed.add(Map.entry(t, reading("cgm-1", "Dexcom G7", "glucose", GLUCOSE[hour][i], "mg/dL", t, null)));
            }
        }
        // Heart rate on the watch; 300 bpm is implausible.
        int[][] heartRate = {{0, 8, 60}, {0, 12, 70}, {0, 16, 80}, {0, 20, 90}, {0, 21, 300}, {1, 2, 65}, {1, 3, 75}};
        for (int[] r : heartRate) {
            timed.add(Map.entry(at(r[0], r[1], 0), reading("watch-1", "Apple Watch Series 9", "heart_rate", r[2], "bpm",
                    at(r[0], r[1], 0), null)));
        }
        // Steps per hour from the watch and the phone: {day, hour, steps}.
        int[][] watchSteps = {{0, 9, 1000}, {0, 12, 2500}, {0, 18, 500}, {1, 2, 1200}};
        int[][] phoneSteps = {{0, 9, 900}, {0, 12, 2600}, {1, 2, 1000}};
        for (int[] r : watchSteps) timed.add(Map.entry(at(r[0], r[1], 0), steps("watch-1", "Apple Watch Series 9", r)));
        for (int[] r : phoneSteps) timed.add(Map.entry(at(r[0], r[1], 0), steps("phone-1", "iPhone 15", r)));
        // A night of sleep stages on the ring, and an hour the next night: {day, start minute, end minute}.
        Object[][] sleep = {{0, 0, 90, "light"}, {0, 90, 150, "deep"}, {0, 150, 165, "awake"}, {0, 165, 255, "rem"},
                {0, 255, 360, "light"}, {1, 60, 120, "light"}};
        for (Object[] s : sleep) {
            Instant start = at((int) s[0], 0, (int) s[1]);
            timed.add(Map.entry(start, stage("ring-1", "Oura Ring Gen3", (String) s[3], start, at((int) s[0], 0, (int) s[2]))));
        }
        // Fingersticks after the last CGM reading, so that the corrections they open change no value
        // the other queries count.
        timed.add(Map.entry(at(0, 23, 57), new String[] {"cgm-1",
                Envelopes.calibration("u-1", "cgm-1", "glucose", 108, "mg/dL", at(0, 23, 57))}));
        timed.add(Map.entry(at(0, 23, 59), new String[] {"cgm-1",
                Envelopes.calibration("u-1", "cgm-1", "glucose", 104, "mg/dL", at(0, 23, 59))}));
        // Moves the watermark past everything above; not written itself.
        Instant later = at(1, 9, 0);
        timed.add(Map.entry(later, new String[] {"watch-9", Envelopes.point("u-9", "watch-9", "heart_rate", 60, "bpm", later)}));
        timed.sort(Map.Entry.comparingByKey());
        return timed;
    }

    private static Instant at(int day, int hour, int minute) {
        return DAY.plus(Duration.ofDays(day).plusHours(hour).plusMinutes(minute));
    }

    private static String[] reading(String device, String model, String metric, double value, String unit,
                                    Instant start, Instant end) {
        ObjectNode payload = Json.mapper().createObjectNode()
                .put("metric", metric).put("value", value).put("unit", unit)
                .put("start_time", start.toString()).put("device_model", model);
        if (end != null) payload.put("end_time", end.toString());
        return new String[] {device, Envelopes.envelope("canonical", "data_point", "u-1", device,
                (end == null ? start : end).plusSeconds(5), payload)};
    }

    private static String[] steps(String device, String model, int[] dayHourSteps) {
        Instant start = at(dayHourSteps[0], dayHourSteps[1], 0);
        return reading(device, model, "steps", dayHourSteps[2], "count", start, start.plus(Duration.ofHours(1)));
    }

    private static String[] stage(String device, String model, String category, Instant start, Instant end) {
        ObjectNode payload = Json.mapper().createObjectNode()
                .put("metric", "sleep_stage").put("category", category)
                .put("start_time", start.toString()).put("end_time", end.toString()).put("device_model", model);
        return new String[] {device, Envelopes.envelope("canonical", "data_point", "u-1", device, end.plusSeconds(5), payload)};
    }

    static Stream<Path> analysisFiles() throws IOException {
        try (Stream<Path> files = Files.list(ANALYSIS)) {
            return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList().stream();
        }
    }

    @Test
    void everySqlFileIsCoveredByThisTest() throws IOException {
        List<String> analysis = analysisFiles().map(f -> f.getFileName().toString()).toList();
        assertThat(analysis).as("files in %s vs. EXPECTED", ANALYSIS).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        // The catalog runs before every query; nothing else may hide under sql/flink untested.
        try (Stream<Path> all = Files.walk(SQL)) {
            assertThat(all.filter(f -> f.toString().endsWith(".sql")).map(f -> SQL.relativize(f).toString()))
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(Stream.of("catalog.sql"),
                            analysis.stream().map(f -> "analysis/" + f)).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("analysisFiles")
    void analysisQueryGivesItsExpectedResult(Path file) throws Exception {
        filled();
        List<String> expected = EXPECTED.get(file.getFileName().toString());
        assertThat(expected).as("no expected result for %s in EXPECTED", file).isNotNull();
        List<QueryResult> results = run(file);
        assertThat(results).as("one query per file").hasSize(1);
        assertThat(rows(results.get(0))).containsExactlyElementsOf(expected);
    }

    @Test
    void catalogReadsEveryColumnOfEveryTopicAndTable(@TempDir Path dir) throws Exception {
        filled();
        Map<String, Integer> rows = Map.ofEntries(
                Map.entry("kafka.device_data_raw", 298),   // every envelope but the malformed one
                Map.entry("kafka.device_data_processed", 296),
                Map.entry("kafka.device_data_dlq", 1),
                Map.entry("kafka.data_quality_issues", 3),
                Map.entry("kafka.device_anomalies", 18),   // each alert raised and cleared
                // The two corrections, and the WARMUP mark of the Dexcom G7's first reading.
                Map.entry("kafka.calibration_events", 3),
                Map.entry("data_points", 296),
                Map.entry("devices", 4),
                Map.entry("quality_issues", 3),
                Map.entry("device_alerts", 9),
                Map.entry("calibrations", 2),             // the first version closed by the second
                Map.entry("calibration_events", 3),
                Map.entry("sync_sessions", 0),
                Map.entry("device_completeness", 24));
        List<String> tables = rows.keySet().stream().sorted().toList();
        Path check = dir.resolve("read-everything.sql");
        Files.writeString(check, "SHOW TABLES;\nSHOW TABLES FROM kafka;\n"
                + tables.stream().map(t -> "SELECT * FROM " + t + ";\n").collect(Collectors.joining()));

        List<QueryResult> results = run(check);

        List<String> declared = new ArrayList<>();
        results.get(0).rows().forEach(r -> declared.add(r.get(0)));
        results.get(1).rows().forEach(r -> declared.add("kafka." + r.get(0)));
        assertThat(declared).as("tables in catalog.sql").containsExactlyInAnyOrderElementsOf(tables);
        for (int i = 0; i < tables.size(); i++) {
            QueryResult r = results.get(i + 2);
            assertThat(r.rows()).as(tables.get(i)).hasSize(rows.get(tables.get(i)));
        }
        // The catalog's devices table is the PostgreSQL table, column for column: a migration that
        // adds a device column must add it to catalog.sql too.
        QueryResult devices = results.get(2 + tables.indexOf("devices"));
        assertThat(devices.columns()).as("devices columns in catalog.sql")
                .containsExactlyElementsOf(postgresColumns("devices"));
    }

    @Test
    void fastFallStreamsInStreamingMode() throws Exception {
        filled();
        List<QueryResult> results = liveFastFall.get(RunningJob.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(results.get(0).columns().get(0)).isEqualTo("op");
        assertThat(rows(results.get(0))).containsExactly("+I | " + EXPECTED.get("glucose_fast_fall.sql").get(0));
        assertThat(results.get(0).truncated()).as("stopped by --max-rows").isTrue();
    }

    @Test
    void commandLinePrintsTheTableAndNeverThePassword(@TempDir Path dir) throws Exception {
        filled();
        // The test server trusts every connection, so any password works; this one has a quote and
        // a semicolon, which must neither break the catalog nor show up anywhere.
        String password = "pa'ss;word-" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SqlRunner.run(args(ANALYSIS.resolve("cgm_gmi_cv.sql")), Map.of("VITASENSE_JDBC_PASSWORD", password),
                print(out), print(err));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                 user_id | device_id | readings | days | mean_mg_dl | sd_mg_dl | cv_pct | variability | gmi_pct
                ---------+-----------+----------+------+------------+----------+--------+-------------+---------
                 u-1     | cgm-1     |      274 |    1 |      111.7 |     35.6 |   31.9 | stable      |    5.98
                (1 row)
                """);

        Path broken = dir.resolve("broken.sql");
        Files.writeString(broken, "-- a query on a table that does not exist\nSELECT * FROM no_such_table;\n");
        out.reset();
        exit = SqlRunner.run(args(broken), Map.of("VITASENSE_JDBC_PASSWORD", password), print(out), print(err));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(errors).contains("error: " + broken + ":2 (SELECT * FROM no_such_table)", "no_such_table");
        assertThat(out.toString(StandardCharsets.UTF_8) + errors).doesNotContain(password);

        Path unknown = dir.resolve("unknown-parameter.sql");
        Files.writeString(unknown, "SELECT '${jdbc.pasword}';\n");
        err.reset();
        exit = SqlRunner.run(args(unknown), Map.of("VITASENSE_JDBC_PASSWORD", password), print(out), print(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: " + unknown + ":1: unknown parameter ${jdbc.pasword}");
    }

    /** Runs the catalog and {@code file} through the runner as the command line does, printing what it prints. */
    private static List<QueryResult> run(Path file, String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("VITASENSE_JDBC_PASSWORD", SharedServers.postgres().password());
        List<String> args = new ArrayList<>(List.of(args(file)));
        args.addAll(List.of(extra));
        try {
            return SqlRunner.execute(SqlRunner.Options.parse(args.toArray(String[]::new), env), print(out));
        } finally {
            System.out.println("-- " + file.getFileName() + "\n" + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static String[] args(Path file) {
        KafkaSettings.Topics t = kafka.topics();
        return new String[] {"-f", file.toString(), "--catalog", CATALOG.toString(),
                "--kafka-bootstrap", kafka.bootstrapServers(),
                "--topic-raw", t.raw(), "--topic-processed", t.processed(), "--topic-dlq", t.deadLetters(),
                "--topic-quality-issues", t.qualityIssues(), "--topic-anomalies", t.anomalies(),
                "--topic-calibration-events", t.calibrationEvents(),
                "--jdbc-url", jdbcUrl, "--jdbc-user", SharedServers.postgres().user(),
                // The live query shares the cluster with the streaming job: two slots each.
                "--parallelism", "2"};
    }

    private static List<String> rows(QueryResult result) {
        return result.rows().stream().map(r -> String.join(" | ", r)).toList();
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
