package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Await;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.patterns.AlertRules;
import com.vitasense.quality.QualityRules;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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

    /** A glucose reading that varies (100, 103, 106, ...), so that no sensor looks stuck. */
    private static String[] live(String user, String device, int minute) {
        return new String[] {device, Envelopes.point(user, device, "glucose", 100 + 3 * (minute / 5 % 3), "mg/dL", at(minute))};
    }

    /** One Dexcom EGV record; a null value is the sensor reporting no reading (a sensor error). */
    private static String[] dexcomEgv(String user, String device, int minute, Integer value) {
        ObjectNode payload = Json.mapper().createObjectNode().put("recordType", "egv").put("recordVersion", "3.0");
        LocalDateTime utc = LocalDateTime.ofInstant(at(minute), ZoneOffset.UTC);
        ObjectNode r = payload.putArray("records").addObject().put("recordId", "egv-" + minute)
                .put("systemTime", utc.toString()).put("displayTime", utc + "+00:00").put("unit", "mg/dL")
                .put("status", "ok").put("transmitterGeneration", "g7");
        if (value == null) r.putNull("value"); else r.put("value", value);
        return new String[] {device, Envelopes.envelope("dexcom", "egvs", user, device, at(minute).plusSeconds(30), payload)};
    }

    /**
     * One device per remaining alert type, each of its own user (so no two devices are compared):
     * bat-1 drains to 4 % and is charged; dex-1 reports three EGVs without a value between good ones;
     * hr-1 sends five implausible heart rates; cal-1 reads ever higher against three fingersticks;
     * inc-1 delivers half its readings from 09:00 to 10:00; conf-1's reading of 09:00 is re-sent
     * with another value. Readings run to 10:55, so every hour with readings is complete but 09:00 of inc-1.
     */
    private static List<String[]> remainingTypes() {
        List<String[]> in = new ArrayList<>();
        for (int m = 0; m <= 175; m++) {
            if (m % 5 == 0) {
                in.add(live("u-11", "bat-1", m));
                in.add(dexcomEgv("u-12", "dex-1", m, 100 + 3 * (m / 5 % 3)));
                double hr = m >= 60 && m <= 80 ? 300 : 60 + 2 * (m / 5 % 3);
                in.add(new String[] {"hr-1", Envelopes.point("u-13", "hr-1", "heart_rate", hr, "bpm", at(m))});
                in.add(live("u-14", "cal-1", m));
                if (m < 60 || m >= 120 || m % 10 == 0) in.add(live("u-15", "inc-1", m));
                in.add(live("u-16", "conf-1", m));
            }
            if (m == 0) in.add(new String[] {"bat-1", Envelopes.battery("u-11", "bat-1", 30, at(0))});
            if (m == 50) in.add(new String[] {"bat-1", Envelopes.battery("u-11", "bat-1", 4, at(50))});
            if (m == 140) in.add(new String[] {"bat-1", Envelopes.battery("u-11", "bat-1", 60, at(140))});
            if (m == 61 || m == 66 || m == 71) in.add(dexcomEgv("u-12", "dex-1", m, null));
            // The CGM reads 10 %, 35 % and 70 % above the fingersticks.
            if (m == 22 || m == 62 || m == 102) {
                double device = 100 + 3 * ((m - 2) / 5 % 3);
                double factor = m == 22 ? 1.1 : m == 62 ? 1.35 : 1.7;
                in.add(new String[] {"cal-1", Envelopes.calibration("u-14", "cal-1", "glucose",
                        Math.round(device / factor * 10) / 10.0, "mg/dL", at(m))});
            }
            if (m == 63) {
                ObjectNode payload = Json.mapper().createObjectNode().put("metric", "glucose").put("value", 112)
                        .put("unit", "mg/dL").put("start_time", at(60).toString()).put("device_model", "model-of-conf-1");
                in.add(new String[] {"conf-1", Envelopes.envelope("canonical", "data_point", "u-16", "conf-1", at(63), payload)});
            }
        }
        return in;
    }

    @Test
    void everyOtherAlertTypeIsRaisedOnceAndCleared() throws Exception {
        Properties quality = new Properties();
        quality.setProperty("interval.canonical.glucose", "5m");
        Properties alerts = new Properties();
        // The drift window's end must lie within the test's event time for the alert to clear.
        alerts.setProperty("drift.window", "2h");
        PipelineConfig config = new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(48),
                QualityRules.defaults().withProperties(quality), AlertRules.defaults().withProperties(alerts));
        try (RunningJob job = RunningJob.start("alerts-remaining", config)) {
            job.sendInOrder(0, remainingTypes());
            job.sendInOrder(0, List.<String[]>of(new String[] {"pusher-1",
                    Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", at(600))}));
            List<String> expected = List.of(
                    "bat-1 BATTERY_LOW WARNING cleared 08:50..10:20",
                    "bat-1 BATTERY_CRITICAL CRITICAL cleared 08:50..10:20",
                    // Three EGVs without a value within 30 min; cleared 30 min after the last match.
                    "dex-1 SENSOR_ERROR WARNING cleared 09:01..09:41",
                    // Five implausible heart rates from 09:00, and their jumps: an hour without a new match.
                    "hr-1 QUALITY_DEGRADED WARNING cleared 09:00..10:20",
                    // Drift found at the fingerstick of 09:02 and still there at 09:42; clear 2 h (the window) later.
                    "cal-1 CALIBRATION_DRIFT/glucose WARNING cleared 09:02..11:42",
                    // Hour 09:00 has 6 of 12 readings; the next hour, complete, ends the episode.
                    "inc-1 DATA_INCOMPLETE/glucose WARNING cleared 09:00..11:00",
                    "conf-1 SYNC_CONFLICT/glucose INFO cleared 09:00..10:00");
            Await.until("the alerts " + expected, () -> job.query(ALERT_ROWS),
                    r -> r.size() >= expected.size() && r.stream().allMatch(s -> s.contains(" cleared ")), RunningJob.TIMEOUT);
            assertThat(job.query(ALERT_ROWS)).containsExactlyInAnyOrderElementsOf(expected);
            assertRaisedAndClearedOnTheTopic(job, expected.size());
        }
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
            List<String> expected = List.of(
                    "cgm-1 BATTERY_LOW WARNING cleared 08:50..10:20",
                    "cgm-1 CONNECTIVITY_LOST URGENT cleared 09:00..09:40",
                    "cgm-1 SYNC_TIMEOUT WARNING cleared 09:10..10:11",
                    "cgm-1 SPIKE/glucose WARNING cleared 10:00..10:35",
                    "cgm-2 FLATLINE/glucose WARNING cleared 09:05..10:35",
                    "watch-1 SYNC_FAILING URGENT cleared 08:20..09:40");
            Await.until("the alerts " + expected, () -> job.query(ALERT_ROWS),
                    r -> r.size() >= expected.size() && r.stream().allMatch(s -> s.contains(" cleared ")), RunningJob.TIMEOUT);
            assertThat(job.query(ALERT_ROWS)).containsExactlyInAnyOrderElementsOf(expected);

            assertRaisedAndClearedOnTheTopic(job, expected.size());

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

    private static final String ALERT_ROWS = "SELECT device_id || ' ' || alert_type || coalesce('/' || metric, '') || ' '"
            + " || severity || ' ' || status || ' ' || to_char(started_at AT TIME ZONE 'UTC', 'HH24:MI') || '..'"
            + " || coalesce(to_char(cleared_at AT TIME ZONE 'UTC', 'HH24:MI'), '') FROM device_alerts";

    /** Each alert raised once and cleared once on the topic, keyed by device, under the table's ids. */
    private static void assertRaisedAndClearedOnTheTopic(RunningJob job, int alerts) throws Exception {
        List<Message> topic = job.read(job.kafka().topics().anomalies(), 2 * alerts);
        assertThat(topic).hasSize(2 * alerts);
        List<String> onTopic = new ArrayList<>();
        for (Message m : topic) {
            JsonNode a = Json.mapper().readTree(m.value());
            assertThat(m.key()).isEqualTo(a.get("device_id").asText());
            onTopic.add(a.get("id").asText() + " " + a.get("status").asText());
        }
        List<String> expectedOnTopic = new ArrayList<>();
        for (String id : job.query("SELECT id FROM device_alerts")) {
            expectedOnTopic.add(id + " raised");
            expectedOnTopic.add(id + " cleared");
        }
        assertThat(onTopic).containsExactlyInAnyOrderElementsOf(expectedOnTopic);
    }
}
