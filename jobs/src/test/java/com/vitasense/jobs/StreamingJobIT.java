package com.vitasense.jobs;

import com.vitasense.jobs.testing.TestFlinkCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.records.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming job end to end against a real Kafka broker and a real PostgreSQL: good,
 * duplicated, malformed and late envelopes in; exact rows, topic records and dead letters out; and
 * a re-sent input that changes nothing.
 */
class StreamingJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private static RunningJob job;

    // Per test, not per class: the shared MiniCluster's environment is registered only around each test.
    @BeforeEach
    void startJob() throws Exception {
        job = RunningJob.start("streaming", new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofHours(48)));
    }

    @AfterEach
    void stopJob() throws Exception {
        if (job != null) job.close();
    }

    @Test
    void envelopesBecomeExactRowsRecordsAndDeadLetters() throws Exception {
        String malformed = "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u-1\", \"payl";
        String unknownVendor = Envelopes.envelope("acme_wearables", "data_point", "u-1", "acme-1", T0,
                Json.mapper().createObjectNode().put("bpm", 70));
        String missingMetric = Envelopes.envelope("canonical", "data_point", "u-1", "cgm-1", T0,
                Json.mapper().createObjectNode().put("value", 100).put("unit", "mg/dL").put("start_time", T0.toString()));
        String glucoseMmol = Envelopes.point("u-1", "cgm-1", "glucose", 5.5, "mmol/L", T0);
        String glucoseMg = Envelopes.point("u-1", "cgm-1", "glucose", 120, "mg/dL", T0.plusSeconds(300));
        String heartRate = Envelopes.point("u-1", "watch-1", "heart_rate", 72, "bpm", T0.plusSeconds(60));
        String implausible = Envelopes.point("u-2", "watch-2", "heart_rate", 300, "bpm", T0.plusSeconds(120));
        String battery = Envelopes.battery("u-1", "cgm-1", 80, T0.plusSeconds(180));

        // Partitions are explicit so both source subtasks (and so both watermarks) see data.
        List<String[]> batchA = List.of(
                new String[] {"cgm-1", glucoseMmol}, new String[] {"cgm-1", glucoseMg},
                new String[] {"watch-1", heartRate}, new String[] {"watch-2", implausible},
                new String[] {"cgm-1", glucoseMg}, // an exact repeat in the same delivery
                new String[] {"cgm-1", battery},
                new String[] {null, malformed}, new String[] {"acme-1", unknownVendor}, new String[] {"cgm-1", missingMetric});
        send(batchA);
        // Readings are written once the watermark passes them (plus the cross-device window):
        // readings half an hour later on both partitions move it to T0 + 25 min.
        send(List.of(new String[] {"watch-1", Envelopes.point("u-1", "watch-1", "heart_rate", 75, "bpm", T0.plusSeconds(1800))},
                new String[] {"watch-2", Envelopes.point("u-2", "watch-2", "heart_rate", 70, "bpm", T0.plusSeconds(1800))}));
        awaitRows(4);
        // Behind that watermark a reading from T0 + 10 min is late: kept, flagged and written at once.
        send(List.<String[]>of(new String[] {"watch-1", Envelopes.point("u-1", "watch-1", "heart_rate", 65, "bpm", T0.plusSeconds(600))}));
        awaitRows(5);
        assertThat(query("SELECT count(*) FROM data_points")).containsExactly("5");

        // The whole first delivery again, and later readings that release the half-hour ones.
        send(batchA);
        send(List.of(new String[] {"watch-1", Envelopes.point("u-1", "watch-1", "heart_rate", 77, "bpm", T0.plusSeconds(2400))},
                new String[] {"watch-2", Envelopes.point("u-2", "watch-2", "heart_rate", 71, "bpm", T0.plusSeconds(2400))}));
        awaitRows(7);
        // Readings two hours on release the rest; they themselves stay behind the watermark.
        send(List.of(new String[] {"watch-1", Envelopes.point("u-1", "watch-1", "heart_rate", 70, "bpm", T0.plusSeconds(7200))},
                new String[] {"watch-2", Envelopes.point("u-2", "watch-2", "heart_rate", 70, "bpm", T0.plusSeconds(7200))}));
        awaitRows(9);
        // Exactly the nine distinct readings: the re-sent delivery added no row.
        assertThat(query("SELECT count(*) FROM data_points")).containsExactly("9");

        Map<String, String> rows = rowsByDeviceMetricTime();
        assertThat(rows).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("cgm-1|glucose|" + T0, "99.09 mg/dL raw=5.5 mmol/L r1 {}"),
                Map.entry("cgm-1|glucose|" + T0.plusSeconds(300), "120.00 mg/dL raw=120.0 mg/dL r1 {}"),
                Map.entry("watch-1|heart_rate|" + T0.plusSeconds(60), "72.00 bpm raw=72.0 bpm r1 {}"),
                Map.entry("watch-2|heart_rate|" + T0.plusSeconds(120), "300.00 bpm raw=300.0 bpm r1 {OUT_OF_RANGE}"),
                Map.entry("watch-1|heart_rate|" + T0.plusSeconds(1800), "75.00 bpm raw=75.0 bpm r1 {}"),
                Map.entry("watch-2|heart_rate|" + T0.plusSeconds(1800), "70.00 bpm raw=70.0 bpm r1 {}"),
                Map.entry("watch-1|heart_rate|" + T0.plusSeconds(600), "65.00 bpm raw=65.0 bpm r1 {LATE}"),
                Map.entry("watch-1|heart_rate|" + T0.plusSeconds(2400), "77.00 bpm raw=77.0 bpm r1 {}"),
                Map.entry("watch-2|heart_rate|" + T0.plusSeconds(2400), "71.00 bpm raw=71.0 bpm r1 {}")));

        List<Message> processed = job.read(job.kafka().topics().processed(), 9);
        assertThat(processed).hasSize(9);
        // The topic carries the same points as the table, field for field.
        Map<String, String> onTopic = new LinkedHashMap<>();
        for (Message m : processed) {
            JsonNode point = Json.mapper().readTree(m.value());
            assertThat(m.key()).isEqualTo(point.get("device_id").asText());
            List<String> flags = new ArrayList<>();
            point.get("quality_flags").forEach(f -> flags.add(f.asText()));
            onTopic.put(point.get("id").asText(), describe(point.get("device_id").asText(), point.get("metric").asText(),
                    Instant.parse(point.get("start_time").asText()), point.get("value").asDouble(), point.get("unit").asText(),
                    point.get("raw_value").asText(), point.get("raw_unit").asText(), point.get("revision").asInt(),
                    "{" + String.join(",", flags) + "}"));
        }
        assertThat(onTopic).containsExactlyInAnyOrderEntriesOf(rowsById());

        List<Message> deadLetters = job.read(job.kafka().topics().deadLetters(), 6);
        assertThat(deadLetters).hasSize(6);
        Map<String, Integer> reasons = new LinkedHashMap<>();
        List<String> sourcePositions = new ArrayList<>();
        for (Message m : deadLetters) {
            JsonNode dl = Json.mapper().readTree(m.value());
            reasons.merge(dl.get("reason").asText() + " <- " + dl.get("raw").asText(), 1, Integer::sum);
            assertThat(dl.get("topic").asText()).isEqualTo(job.kafka().topics().raw());
            assertThat(dl.get("partition").asInt()).isNotNegative();
            assertThat(dl.get("offset").asLong()).isNotNegative();
            assertThat(dl.get("error").asText()).isNotBlank();
            sourcePositions.add(dl.get("partition").asInt() + "@" + dl.get("offset").asLong());
        }
        // Each dead letter points at its own raw record, the re-sent copies included.
        assertThat(sourcePositions).doesNotHaveDuplicates();
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                "MALFORMED_JSON <- " + malformed, 2,
                "UNKNOWN_VENDOR <- " + unknownVendor, 2,
                "MISSING_FIELD <- " + missingMetric, 2));

        assertThat(query("SELECT device_id || ' ' || user_id || ' ' || vendor || ' ' || model || ' ' || (last_seen AT TIME ZONE 'UTC')"
                + " || ' ' || coalesce(battery_level::text, '-') FROM devices")).containsExactlyInAnyOrder(
                "cgm-1 u-1 canonical model-of-cgm-1 2026-11-20 08:05:00 80",
                "watch-1 u-1 canonical model-of-watch-1 2026-11-20 08:40:00 -",
                "watch-2 u-2 canonical model-of-watch-2 2026-11-20 08:40:00 -");
        assertThat(query("SELECT rule || ' ' || severity || ' ' || device_id || ' ' || observed_value || ' ' || expected_min"
                + " || '..' || expected_max FROM quality_issues")).containsExactly("OUT_OF_RANGE WARNING watch-2 300 20..250");
        List<Message> issues = job.read(job.kafka().topics().qualityIssues(), 1);
        assertThat(issues).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("watch-2");
            assertThat(Json.mapper().readTree(m.value()).get("id").asText())
                    .isEqualTo(query("SELECT id FROM quality_issues").get(0));
        });
        assertThat(Double.parseDouble(query("SELECT value FROM data_points WHERE raw_unit = 'mmol/L'").get(0)))
                .isCloseTo(5.5 * 18.0156, within(1e-9));
    }

    private static void send(List<String[]> records) throws Exception {
        job.send(records);
    }

    private static void awaitRows(int n) throws Exception {
        job.awaitCount("SELECT count(*) FROM data_points", n);
    }

    private static List<String> query(String sql) throws SQLException {
        return job.query(sql);
    }

    private static Map<String, String> rowsByDeviceMetricTime() throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String row : rowsById().values()) {
            int split = row.indexOf(' ');
            rows.put(row.substring(0, split), row.substring(split + 1));
        }
        return rows;
    }

    /** Each row of {@code data_points} by id, as "device|metric|time value unit raw=v u rN {flags}". */
    private static Map<String, String> rowsById() throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = job.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, device_id, metric, start_time, value, unit, raw_value, raw_unit,"
                     + " revision, quality_flags FROM data_points")) {
            while (rs.next()) {
                rows.put(rs.getString(1), describe(rs.getString(2), rs.getString(3),
                        rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getDouble(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10).replace("\"", "")));
            }
        }
        return rows;
    }

    private static String describe(String device, String metric, Instant start, double value, String unit, String rawValue,
                                   String rawUnit, int revision, String flags) {
        return String.format("%s|%s|%s %.2f %s raw=%s %s r%d %s", device, metric, start, value, unit, rawValue, rawUnit,
                revision, flags);
    }
}
