package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.quality.DetectorState;
import com.vitasense.quality.OutlierDetector;
import com.vitasense.quality.QualityRules;
import com.vitasense.records.Json;
import com.vitasense.records.QualityIssue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Injected bad data through the running streaming job: the exact quality issues of every rule the
 * quality stage has (all fields) land in {@code quality_issues} and, the same, on {@code
 * data-quality-issues}; the flags and the interpolated point in {@code data_points}, and the hourly
 * counts in {@code device_completeness}.
 */
class QualityIssuesIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    /** watch-2 reads a steady heart rate every minute, past the detector's warm-up, then this. */
    private static final int OUTLIER_MINUTE = OutlierDetector.forMetric("heart_rate").warmupPoints() + 10;
    private static final double OUTLIER_BPM = 125;
    private static final int[] WIGGLE = {0, 1, -1, 2, -2, 1, 0, -1};

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    /** A record to send: the time it is sent in order of, the Kafka key and the envelope. */
    private record Send(Instant order, String device, String envelope) {
        static Send reading(String user, String device, String metric, double value, String unit, Instant time) {
            return new Send(time, device, Envelopes.point(user, device, metric, value, unit, time));
        }
    }

    @Test
    void injectedProblemsBecomeExactIssuesInTopicAndTable() throws Exception {
        Properties rules = new Properties();
        rules.setProperty("interval.canonical.glucose", "5m");
        // The production idleness (30 s): with a shorter one the busy partition's source can go idle
        // between the two sends, and the stages downstream see their inputs' watermarks jump.
        PipelineConfig config = new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48),
                QualityRules.defaults().withProperties(rules));
        List<Send> sends = new ArrayList<>(List.of(
                Send.reading("u-1", "cgm-1", "glucose", 108, "mg/dL", at(0)),
                Send.reading("u-1", "watch-1", "heart_rate", 70, "bpm", at(1)),
                Send.reading("u-1", "ring-1", "heart_rate", 100, "bpm", at(1).plusSeconds(20)),  // disagrees
                Send.reading("u-1", "cgm-1", "glucose", 110, "mg/dL", at(5)),
                Send.reading("u-1", "cgm-1", "glucose", 120, "mg/dL", at(15)),                   // one missing: filled
                Send.reading("u-1", "cgm-1", "glucose", 400, "mg/dL", at(16)),                   // +280 in a minute
                Send.reading("u-1", "cgm-1", "glucose", 1500, "mg/dL", at(20)),                  // implausible
                Send.reading("u-1", "cgm-1", "glucose", 200, "mg/dL", at(25)),
                Send.reading("u-1", "cgm-1", "glucose", 125, "mg/dL", at(30)),
                Send.reading("u-1", "cgm-1", "glucose", 130, "mg/dL", at(80)),                   // nine missing
                Send.reading("u-1", "watch-1", "heart_rate", 72, "bpm", at(81)),
                // The same reading re-sent with another value: a revision, and a conflict.
                Send.reading("u-1", "watch-1", "heart_rate", 73, "bpm", at(81)),
                // Dated 40 minutes after its receipt: a device clock running ahead. It is sent (and
                // moves the watermark) as of its receipt.
                new Send(at(60), "watch-3", Envelopes.point("u-3", "watch-3", "heart_rate", 80, "bpm", at(100), at(60)))));
        DetectorState detector = new DetectorState();
        double score = 0;
        for (int m = 0; m <= OUTLIER_MINUTE; m++) {
            double bpm = m == OUTLIER_MINUTE ? OUTLIER_BPM : 60 + WIGGLE[m % WIGGLE.length];
            sends.add(Send.reading("u-2", "watch-2", "heart_rate", bpm, "bpm", at(m)));
            // The score the pipeline's detector gives, the same code fed the same series.
            score = OutlierDetector.forMetric("heart_rate").score(detector, at(m).toEpochMilli(), bpm);
        }
        final double outlierScore = score;
        assertThat(OutlierDetector.forMetric("heart_rate").isOutlier(outlierScore)).isTrue();
        // In time order through one partition (a stable sort: the re-send stays after the original):
        // across partitions, a source that went idle and wakes up behind the other's watermark would
        // rightly have its readings flagged LATE.
        sends.sort(Comparator.comparing(Send::order));

        try (RunningJob job = RunningJob.start("quality", config)) {
            job.sendInOrder(0, sends.stream().map(s -> new String[] {s.device(), s.envelope()}).toList());
            // Readings hours later move the watermark past everything above.
            job.sendInOrder(0, List.of(
                    new String[] {"watch-9", Envelopes.point("u-9", "watch-9", "heart_rate", 60, "bpm", at(180))},
                    new String[] {"watch-8", Envelopes.point("u-8", "watch-8", "heart_rate", 60, "bpm", at(180))}));
            job.awaitCount("SELECT count(*) FROM data_points", 12 + OUTLIER_MINUTE + 1 + 1);
            job.awaitCount("SELECT count(*) FROM quality_issues", 8);
            job.awaitCount("SELECT count(*) FROM device_completeness", 2);

            assertThat(job.query("SELECT to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || device_id || ' '"
                    + " || value || ' ' || array_to_string(quality_flags, ',') || ' q=' || quality_score"
                    + " || ' r=' || revision FROM data_points WHERE device_id <> 'watch-2'"))
                    .containsExactlyInAnyOrder(
                            "08:00 cgm-1 108  q=1 r=1",
                            "08:01 watch-1 70 DEVICE_DISAGREEMENT q=0.7 r=1",
                            "08:01 ring-1 100 DEVICE_DISAGREEMENT q=0.7 r=1",
                            "08:05 cgm-1 110  q=1 r=1",
                            "08:10 cgm-1 115 INTERPOLATED q=0.5 r=1",
                            "08:15 cgm-1 120  q=1 r=1",
                            "08:16 cgm-1 400 IMPOSSIBLE_JUMP q=0.2 r=1",
                            "08:20 cgm-1 1500 OUT_OF_RANGE q=0 r=1",
                            "08:25 cgm-1 200  q=1 r=1",
                            "08:30 cgm-1 125  q=1 r=1",
                            "09:20 cgm-1 130  q=1 r=1",
                            "09:21 watch-1 73  q=1 r=2",
                            "09:40 watch-3 80 TIMESTAMP_SUSPECT q=0.5 r=1");
            // Of watch-2's steady series only the outlier is flagged, with the detector's score.
            assertThat(job.query("SELECT to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || value || ' '"
                    + " || array_to_string(quality_flags, ',') FROM data_points"
                    + " WHERE device_id = 'watch-2' AND cardinality(quality_flags) > 0"))
                    .containsExactly(hhmm(at(OUTLIER_MINUTE)) + " 125 OUTLIER");
            assertThat(job.query("SELECT anomaly_score::text FROM data_points WHERE device_id = 'watch-2'"
                    + " AND 'OUTLIER' = ANY(quality_flags)")).singleElement()
                    .satisfies(text -> assertThat(Double.parseDouble(text)).isEqualTo(outlierScore));

            List<QualityIssue> table = tableIssues(job);
            assertThat(table).extracting(QualityIssuesIT::describe).containsExactlyInAnyOrder(
                    "DEVICE_DISAGREEMENT WARNING u-1 watch-1 heart_rate 08:01:00 70.0 [83.0, 117.0]"
                            + " heart_rate 70.0 bpm disagrees with ring-1 (100.0 bpm, 20 s apart) by 30.0; tolerance 17.0",
                    "DEVICE_DISAGREEMENT WARNING u-1 ring-1 heart_rate 08:01:20 100.0 [53.0, 87.0]"
                            + " heart_rate 100.0 bpm disagrees with watch-1 (70.0 bpm, 20 s apart) by 30.0; tolerance 17.0",
                    "IMPOSSIBLE_JUMP WARNING u-1 cgm-1 glucose 08:16:00 400.0 [0.0, 240.0]"
                            + " glucose changed by +280.0 mg/dL in 60 s from 120.0; at most 120.0 is plausible",
                    "OUT_OF_RANGE WARNING u-1 cgm-1 glucose 08:20:00 1500.0 [0.0, 1000.0]"
                            + " glucose 1500.0 mg/dL is outside the plausible range (0.0, 1000.0]",
                    "DATA_GAP INFO u-1 cgm-1 glucose 09:20:00 130.0 [null, null]"
                            + " no reading for 50 min before this one (expected every 5 min; 9 missing)",
                    "REVISION_CONFLICT INFO u-1 watch-1 heart_rate 09:21:00 73.0 [null, null]"
                            + " re-sent with different content: revision 2 replaces revision 1",
                    "FUTURE_TIMESTAMP WARNING u-3 watch-3 heart_rate 09:40:00 80.0 [null, null]"
                            + " reading time 2026-11-20T09:40:00Z is after its receipt at 2026-11-20T09:00:00Z"
                            + " by more than the clock-skew tolerance of PT5M",
                    String.format(Locale.ROOT, "OUTLIER WARNING u-2 watch-2 heart_rate %s:00 125.0 [null, null]"
                            + " heart_rate 125.0 bpm is unusual for this device (anomaly score %.3f, threshold 0.500)",
                            hhmm(at(OUTLIER_MINUTE)), outlierScore));
            // Each issue is about the point written for the reading (for a revision: its last one).
            assertThat(job.query("SELECT i.rule FROM quality_issues i JOIN data_points p ON p.id = i.data_point_id"
                    + " AND p.device_id = i.device_id AND p.start_time = i.event_time")).hasSize(8);
            assertThat(table).extracting(i -> i.id).doesNotHaveDuplicates();

            // The topic carries the same issues, every field equal (ids included), keyed by device.
            List<Message> topic = job.read(job.kafka().topics().qualityIssues(), 8);
            List<QualityIssue> onTopic = new ArrayList<>();
            for (Message m : topic) {
                QualityIssue issue = Json.mapper().readValue(m.value(), QualityIssue.class);
                assertThat(m.key()).isEqualTo(issue.deviceId);
                onTopic.add(issue);
            }
            assertThat(onTopic).usingRecursiveFieldByFieldElementComparator().containsExactlyInAnyOrderElementsOf(table);

            assertThat(job.query("SELECT device_id || ' ' || metric || ' ' || to_char(hour AT TIME ZONE 'UTC', 'HH24:MI')"
                    + " || ' ' || received || '/' || expected FROM device_completeness"))
                    .containsExactlyInAnyOrder("cgm-1 glucose 08:00 7/12", "cgm-1 glucose 09:00 1/12");
        }
    }

    private static String hhmm(Instant t) {
        return t.toString().substring(11, 16);
    }

    private static String describe(QualityIssue i) {
        return i.rule + " " + i.severity + " " + i.userId + " " + i.deviceId + " " + i.metric + " "
                + i.eventTime.toString().substring(11, 19) + " " + i.observedValue + " [" + i.expectedMin + ", "
                + i.expectedMax + "] " + i.reason;
    }

    /** Every row of {@code quality_issues}, all columns. */
    private static List<QualityIssue> tableIssues(RunningJob job) throws Exception {
        List<QualityIssue> issues = new ArrayList<>();
        try (Connection c = job.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, rule, severity, user_id, device_id, metric, event_time,"
                     + " data_point_id, observed_value, expected_min, expected_max, reason FROM quality_issues")) {
            while (rs.next()) {
                QualityIssue i = new QualityIssue();
                i.id = rs.getString("id");
                i.rule = rs.getString("rule");
                i.severity = rs.getString("severity");
                i.userId = rs.getString("user_id");
                i.deviceId = rs.getString("device_id");
                i.metric = rs.getString("metric");
                i.eventTime = rs.getTimestamp("event_time").toInstant();
                i.dataPointId = rs.getString("data_point_id");
                i.observedValue = rs.getObject("observed_value", Double.class);
                i.expectedMin = rs.getObject("expected_min", Double.class);
                i.expectedMax = rs.getObject("expected_max", Double.class);
                i.reason = rs.getString("reason");
                issues.add(i);
            }
        }
        return issues;
    }
}
