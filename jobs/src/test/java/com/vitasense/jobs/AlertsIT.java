package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Await;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Device anomalies and sync failures through the running streaming job, with one of the two raw
 * partitions idle throughout: the exact alerts in {@code device_alerts} (each raised and cleared
 * once), the same on {@code device-anomalies} keyed by device, {@code devices.status} back to ok,
 * and the sync sessions with their recommended intervals.
 */
class AlertsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    private static String[] glucose(String device, int minute, double value) {
        return new String[] {device, Envelopes.point("u-1", device, "glucose", value, "mg/dL", at(minute))};
    }

    private static String[] sync(String device, String kind, String syncId, int minute) {
        return new String[] {device, Envelopes.sync("u-1", device, kind, syncId, at(minute))};
    }

    /**
     * cgm-1: battery 30 -> 18 at 08:50 -> 60 at 10:20; silent from 09:00 to 09:40; a spike at 10:00;
     * sync s2 started at 09:10 never completes, s3 completes at 10:11. cgm-2: stuck at 110 from
     * 09:05 to 10:05. watch-1: three failed syncs in 20 minutes.
     */
    private static List<String[]> scenario() {
        List<String[]> in = new ArrayList<>();
        for (int m = 0; m <= 150; m += 5) {
            double live = m % 10 == 0 ? 100 : 104;
            if (m <= 60 || m >= 100) in.add(glucose("cgm-1", m, m == 120 ? 190 : live));
            in.add(glucose("cgm-2", m, m >= 65 && m <= 125 ? 110 : live));
            if (m == 0) in.add(new String[] {"cgm-1", Envelopes.battery("u-1", "cgm-1", 30, at(0))});
            if (m == 10) {
                in.add(sync("cgm-1", "sync_started", "s1", 10));
                in.add(sync("cgm-1", "sync_completed", "s1", 11));
            }
            if (m == 20 || m == 30 || m == 40) in.add(sync("watch-1", "sync_failed", "f" + m, m));
            if (m == 50) in.add(new String[] {"cgm-1", Envelopes.battery("u-1", "cgm-1", 18, at(50))});
            if (m == 70) in.add(sync("cgm-1", "sync_started", "s2", 70));
            if (m == 130) {
                in.add(sync("cgm-1", "sync_started", "s3", 130));
                in.add(sync("cgm-1", "sync_completed", "s3", 131));
            }
            if (m == 140) in.add(new String[] {"cgm-1", Envelopes.battery("u-1", "cgm-1", 60, at(140))});
        }
        return in;
    }

    @Test
    void anomaliesAndSyncFailuresAreRaisedOnceAndClearedWithOnePartitionIdle() throws Exception {
        // The production idleness: partition 1 never receives anything and must not hold alerts back.
        PipelineConfig config = new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48));
        try (RunningJob job = RunningJob.start("alerts", config)) {
            job.sendInOrder(0, scenario());
            // A reading hours later moves the watermark past every episode and quiet period above.
            job.sendInOrder(0, List.<String[]>of(new String[] {"pusher-1",
                    Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", at(400))}));
            String rows = "SELECT device_id || ' ' || alert_type || coalesce('/' || metric, '') || ' ' || severity || ' '"
                    + " || status || ' ' || to_char(started_at AT TIME ZONE 'UTC', 'HH24:MI') || '..'"
                    + " || coalesce(to_char(cleared_at AT TIME ZONE 'UTC', 'HH24:MI'), '') FROM device_alerts";
            List<String> expected = List.of(
                    "cgm-1 BATTERY_LOW WARNING cleared 08:50..10:20",
                    "cgm-1 CONNECTIVITY_LOST URGENT cleared 09:00..09:40",
                    "cgm-1 SYNC_TIMEOUT WARNING cleared 09:10..10:11",
                    "cgm-1 SPIKE/glucose WARNING cleared 10:00..10:35",
                    "cgm-2 FLATLINE/glucose WARNING cleared 09:05..10:35",
                    "watch-1 SYNC_FAILING URGENT cleared 08:20..09:40");
            Await.until("the alerts " + expected, () -> job.query(rows),
                    r -> r.size() >= expected.size() && r.stream().allMatch(s -> s.contains(" cleared ")), RunningJob.TIMEOUT);
            assertThat(job.query(rows)).containsExactlyInAnyOrderElementsOf(expected);

            // Each alert raised once and cleared once on the topic, keyed by device, under the table's ids.
            List<Message> topic = job.read(job.kafka().topics().anomalies(), 2 * expected.size());
            assertThat(topic).hasSize(2 * expected.size());
            List<String> onTopic = new ArrayList<>();
            for (Message m : topic) {
                JsonNode a = Json.mapper().readTree(m.value());
                assertThat(m.key()).isEqualTo(a.get("device_id").asText());
                onTopic.add(a.get("id").asText() + " " + a.get("status").asText());
            }
            List<String> ids = job.query("SELECT id FROM device_alerts");
            List<String> expectedOnTopic = new ArrayList<>();
            for (String id : ids) {
                expectedOnTopic.add(id + " raised");
                expectedOnTopic.add(id + " cleared");
            }
            assertThat(onTopic).containsExactlyInAnyOrderElementsOf(expectedOnTopic);

            // Status changes are stamped with the stream time they were decided at: cgm-1's spike
            // ended 10:05 but reached the patterns at 10:10, when cross-device agreement released it
            // (it disagreed with cgm-2), so its quiet period is decided at 10:40.
            assertThat(job.query("SELECT device_id || ' ' || status || ' ' || coalesce(to_char(status_updated_at AT TIME ZONE 'UTC',"
                    + " 'HH24:MI'), '-') FROM devices WHERE device_id <> 'pusher-1'"))
                    .containsExactlyInAnyOrder("cgm-1 ok 10:40", "cgm-2 ok 10:35", "watch-1 ok 09:40");

            // Readings count toward a sync when they reach the sync monitor: cgm-1's glucose of
            // 08:10 reached it at 08:15 (cross-device agreement waits 5 min), after s1 completed.
            Await.until("the sync sessions", () -> job.query("SELECT count(*) FROM sync_sessions"),
                    r -> r.get(0).equals("6"), RunningJob.TIMEOUT);
            assertThat(job.query("SELECT device_id || ' ' || sync_id || ' ' || status || ' ' || coalesce(readings::text, '-')"
                    + " || ' ' || coalesce(recommended_interval_s::text, '-') || ' ' || coalesce(error, '-') FROM sync_sessions"))
                    .containsExactlyInAnyOrder(
                            "cgm-1 s1 completed 2 - -",
                            "cgm-1 s2 started - - -",
                            "cgm-1 s3 completed 17 21600 -",
                            "watch-1 f20 failed - - vendor API unavailable",
                            "watch-1 f30 failed - - vendor API unavailable",
                            "watch-1 f40 failed - - vendor API unavailable");
        }
    }
}
