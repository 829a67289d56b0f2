package com.vitasense.jobs;

import com.vitasense.jobs.testing.TestFlinkCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.quality.QualityRules;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Injected bad data through the running streaming job: the exact quality issues land in
 * {@code quality_issues} and on {@code data-quality-issues}, the flags and the interpolated point
 * in {@code data_points}, and the hourly counts in {@code device_completeness}.
 */
class QualityIssuesIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    @Test
    void injectedProblemsBecomeExactIssuesInTopicAndTable() throws Exception {
        Properties rules = new Properties();
        rules.setProperty("interval.canonical.glucose", "5m");
        // The production idleness (30 s): with a shorter one the busy partition's source can go idle
        // between the two sends, and the stages downstream see their inputs' watermarks jump.
        PipelineConfig config = new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48),
                QualityRules.defaults().withProperties(rules));
        try (RunningJob job = RunningJob.start("quality", config)) {
            // In time order through one partition: across partitions, a source that went idle and
            // wakes up behind the other's watermark would rightly have its readings flagged LATE.
            job.sendInOrder(0, List.of(
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 108, "mg/dL", at(0))},
                    new String[] {"watch-1", Envelopes.point("u-1", "watch-1", "heart_rate", 70, "bpm", at(1))},
                    new String[] {"ring-1", Envelopes.point("u-1", "ring-1", "heart_rate", 100, "bpm", at(1).plusSeconds(20))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 110, "mg/dL", at(5))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 120, "mg/dL", at(15))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 400, "mg/dL", at(16))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 1500, "mg/dL", at(20))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 200, "mg/dL", at(25))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 125, "mg/dL", at(30))},
                    new String[] {"cgm-1", Envelopes.point("u-1", "cgm-1", "glucose", 130, "mg/dL", at(80))},
                    new String[] {"watch-1", Envelopes.point("u-1", "watch-1", "heart_rate", 72, "bpm", at(81))}));
            // Readings hours later move the watermark past everything above.
            job.sendInOrder(0, List.of(
                    new String[] {"watch-9", Envelopes.point("u-9", "watch-9", "heart_rate", 60, "bpm", at(180))},
                    new String[] {"watch-8", Envelopes.point("u-8", "watch-8", "heart_rate", 60, "bpm", at(180))}));
            job.awaitCount("SELECT count(*) FROM data_points", 12);
            job.awaitCount("SELECT count(*) FROM device_completeness", 2);

            assertThat(job.query("SELECT to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || device_id || ' '"
                    + " || value || ' ' || array_to_string(quality_flags, ',') || ' q=' || quality_score FROM data_points"))
                    .containsExactlyInAnyOrder(
                            "08:00 cgm-1 108  q=1",
                            "08:01 watch-1 70 DEVICE_DISAGREEMENT q=0.7",
                            "08:01 ring-1 100 DEVICE_DISAGREEMENT q=0.7",
                            "08:05 cgm-1 110  q=1",
                            "08:10 cgm-1 115 INTERPOLATED q=0.5",
                            "08:15 cgm-1 120  q=1",
                            "08:16 cgm-1 400 IMPOSSIBLE_JUMP q=0.2",
                            "08:20 cgm-1 1500 OUT_OF_RANGE q=0",
                            "08:25 cgm-1 200  q=1",
                            "08:30 cgm-1 125  q=1",
                            "09:20 cgm-1 130  q=1",
                            "09:21 watch-1 72  q=1");

            List<String> table = job.query("SELECT rule || ' ' || severity || ' ' || device_id || ' ' || metric || ' '"
                    + " || to_char(event_time AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || observed_value || ' ['"
                    + " || coalesce(expected_min::text, '') || ', ' || coalesce(expected_max::text, '') || ']' FROM quality_issues");
            assertThat(table).containsExactlyInAnyOrder(
                    "DEVICE_DISAGREEMENT WARNING watch-1 heart_rate 08:01 70 [83, 117]",
                    "DEVICE_DISAGREEMENT WARNING ring-1 heart_rate 08:01 100 [53, 87]",
                    "OUT_OF_RANGE WARNING cgm-1 glucose 08:20 1500 [0, 1000]",
                    "IMPOSSIBLE_JUMP WARNING cgm-1 glucose 08:16 400 [0, 240]",
                    "DATA_GAP INFO cgm-1 glucose 09:20 130 [, ]");
            assertThat(job.query("SELECT reason FROM quality_issues WHERE rule = 'DATA_GAP'"))
                    .containsExactly("no reading for 50 min before this one (expected every 5 min; 9 missing)");

            List<Message> topic = job.read(job.kafka().topics().qualityIssues(), 5);
            assertThat(topic).hasSize(5);
            List<String> idsOnTopic = new ArrayList<>();
            for (Message m : topic) {
                JsonNode issue = Json.mapper().readTree(m.value());
                assertThat(m.key()).isEqualTo(issue.get("device_id").asText());
                idsOnTopic.add(issue.get("id").asText());
            }
            assertThat(idsOnTopic).containsExactlyInAnyOrderElementsOf(job.query("SELECT id FROM quality_issues"));

            assertThat(job.query("SELECT device_id || ' ' || metric || ' ' || to_char(hour AT TIME ZONE 'UTC', 'HH24:MI')"
                    + " || ' ' || received || '/' || expected FROM device_completeness"))
                    .containsExactlyInAnyOrder("cgm-1 glucose 08:00 7/12", "cgm-1 glucose 09:00 1/12");
        }
    }
}
