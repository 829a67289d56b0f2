package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import com.vitasense.jobs.local.TableSnapshot;
import com.vitasense.jobs.testing.Await;
import com.vitasense.jobs.testing.Backfills;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.jobs.testing.SharedServers;
import com.vitasense.patterns.AlertRules;
import com.vitasense.quality.QualityRules;
import com.vitasense.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input through the streaming job (Kafka in, a running job) and through the backfill (a
 * gzipped JSON-lines file, batch mode), each into a database of its own: the tables must be
 * identical, row by row and column by column, ids and values included. A second backfill over the
 * same file must change nothing.
 *
 * <p>The input spans three hours of several devices and carries what makes results order
 * dependent if anything does: exact repeats, a short gap that is interpolated, a long one that is
 * reported, an implausible value, two devices of one user that disagree, and manual calibrations
 * whose corrections apply from their own time and drift apart until drift is detected.
 */
class BackfillEquivalenceIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private static final int MINUTES = 180;
    /** The pipeline's tables and the sync sessions, which only this comparison covers. */
    private static final List<String> TABLES = java.util.stream.Stream.concat(TableSnapshot.PIPELINE_TABLES.stream(),
            java.util.stream.Stream.of("sync_sessions")).toList();

    @Test
    void streamingAndBackfillWriteIdenticalTablesAndASecondBackfillChangesNothing(@TempDir Path dir) throws Exception {
        List<String[]> input = input();
        Path file = dir.resolve("history/2026-11-20.jsonl.gz");
        write(file, input);
        Path rules = Files.writeString(dir.resolve("rules.properties"), "interval.canonical.glucose=5m\n");
        // CALIBRATION_DRIFT clears after a drift window without drift reports: 3 days by default,
        // which the stream's watermark never reaches here while the backfill's end of input does.
        Path alertRules = Files.writeString(dir.resolve("alert-rules.properties"), "drift.window=2h\n");

        // The backfill first: the mini cluster's two slots then go to the streaming job.
        String batchDb = SharedServers.newDatabase("equivalence_batch");
        Backfills.Outcome first = Backfills.run(batchDb, "--from-file", dir.resolve("history").toString(),
                "--quality-rules", rules.toString(), "--alert-rules", alertRules.toString(), "--run-id", "equivalence-1");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        TableSnapshot batch = snapshot(batchDb);
        assertMeaningful(batch);

        Properties overrides = new Properties();
        overrides.setProperty("interval.canonical.glucose", "5m");
        // Idleness far beyond the test: a partition must never be skipped while the other runs ahead.
        Properties alertOverrides = new Properties();
        alertOverrides.setProperty("drift.window", "2h");
        PipelineConfig config = new PipelineConfig(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofHours(48),
                QualityRules.defaults().withProperties(overrides), AlertRules.defaults().withProperties(alertOverrides));
        try (RunningJob stream = RunningJob.start("equivalence-stream", config)) {
            // Each user's devices on one partition, in order, as Kafka keys by device in production:
            // a device's envelopes, re-sent versions included, arrive in the order they were sent.
            for (String[] r : input) stream.sendInOrder(r[0].endsWith("-1") ? 0 : 1, List.<String[]>of(r));
            // Readings hours later, on both partitions, move the watermark past everything above;
            // they themselves stay behind it, so they never reach a table.
            stream.send(List.of(
                    new String[] {"pusher-1", Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", T0.plusSeconds(36_000))},
                    new String[] {"pusher-2", Envelopes.point("u-9", "pusher-2", "heart_rate", 60, "bpm", T0.plusSeconds(36_000))}));
            // Polls the differences, so a timeout shows them.
            Await.until("the streaming job's tables to match the backfill's " + batch.counts(),
                    () -> snapshot(stream).differences(batch, 10), List::isEmpty, RunningJob.TIMEOUT);
            TableSnapshot streamed = snapshot(stream);
            for (String table : TABLES) {
                assertThat(streamed.rows(table)).as(table).containsExactlyElementsOf(batch.rows(table));
            }
        }

        Backfills.Outcome second = Backfills.run(batchDb, "--from-file", file.toUri().toString(),
                "--quality-rules", rules.toString(), "--alert-rules", alertRules.toString(), "--run-id", "equivalence-2");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(snapshot(batchDb).differences(batch, 20)).as("changes made by the second backfill").isEmpty();

        int lines = input.size() + 1;
        try (Connection c = connect(batchDb)) {
            assertThat(TableSnapshot.take(c, List.of("backfill_runs"), "started_at", "finished_at", "flink_job_id").rows("backfill_runs"))
                    .containsExactly(
                            runRow("equivalence-1", dir.resolve("history").toString(), lines, batch),
                            runRow("equivalence-2", file.toUri().toString(), lines, batch));
        }
        assertThat(first.summary()).startsWith("backfill summary: run=equivalence-1 status=succeeded")
                .contains("records_read=" + lines, "dead_letters=1");
    }

    private static String runRow(String runId, String input, int lines, TableSnapshot batch) {
        long issues = batch.rows("quality_issues").size();
        return "run_id=" + runId + " | input_kind=file | input=" + input + " | user_id=null | range_start=null"
                + " | range_end=null | emit_topics=f | parallelism=2 | status=succeeded | records_read=" + lines
                + " | points_written=" + batch.rows("data_points").size() + " | quality_issues=" + issues
                + " | dead_letters=1 | error=null";
    }

    /** The comparison only means something if every kind of finding is in it. */
    private static void assertMeaningful(TableSnapshot batch) {
        assertThat(batch.rows("data_points")).as("data points").hasSizeGreaterThan(400);
        assertThat(count(batch, "data_points", "INTERPOLATED")).as("interpolated points").isPositive();
        assertThat(count(batch, "data_points", "quality_flags={OUT_OF_RANGE}")).as("implausible points").isPositive();
        assertThat(count(batch, "data_points", "DEVICE_DISAGREEMENT")).as("disagreeing points").isPositive();
        assertThat(count(batch, "quality_issues", "rule=OUT_OF_RANGE")).as("range issues").isPositive();
        assertThat(count(batch, "quality_issues", "rule=DATA_GAP")).as("gap issues").isPositive();
        assertThat(count(batch, "quality_issues", "rule=DEVICE_DISAGREEMENT")).as("disagreement issues").isPositive();
        assertThat(count(batch, "quality_issues", "rule=REVISION_CONFLICT")).as("revision issues").isEqualTo(2);
        assertThat(count(batch, "data_points", "revision=3 | user_id=u-2 | device_id=cgm-2")).as("the last version").isEqualTo(1);
        // Its value as sent is the raw value; the calibration of 08:47 corrects the published one.
        assertThat(batch.rows("data_points").stream().filter(r -> r.contains("revision=3 | user_id=u-2 | device_id=cgm-2"
                + " | vendor=canonical | device_model=model-of-cgm-2 | metric=glucose") && r.contains("raw_value=213")
                && r.contains("CALIBRATED")).count()).as("its value").isEqualTo(1);
        assertThat(batch.rows("devices")).as("devices").hasSize(5);
        assertThat(batch.rows("device_completeness")).as("completeness").isNotEmpty();
        assertThat(count(batch, "data_points", "CALIBRATED")).as("calibrated points").isPositive();
        assertThat(count(batch, "calibrations", "valid_to=2026")).as("closed versions").isEqualTo(3);
        assertThat(batch.rows("calibrations")).as("versions").hasSize(5);
        assertThat(count(batch, "calibration_events", "event_type=CALIBRATION_APPLIED")).as("corrections").isEqualTo(5);
        assertThat(count(batch, "calibration_events", "event_type=DRIFT_DETECTED")).as("drift").isEqualTo(1);
        assertThat(count(batch, "calibration_events", "event_type=RECALIBRATION_RECOMMENDED")).as("recommendation").isEqualTo(1);
        assertThat(batch.rows("device_alerts")).as("alerts " + batch.rows("device_alerts"))
                .anyMatch(r -> r.contains("alert_type=BATTERY_LOW"))
                .anyMatch(r -> r.contains("alert_type=CONNECTIVITY_LOST"))
                .anyMatch(r -> r.contains("alert_type=SPIKE"))
                .anyMatch(r -> r.contains("alert_type=SYNC_TIMEOUT"))
                .anyMatch(r -> r.contains("alert_type=SYNC_FAILING"))
                .anyMatch(r -> r.contains("alert_type=SYNC_CONFLICT"))
                .anyMatch(r -> r.contains("alert_type=DATA_INCOMPLETE"))
                // Drift detected, and still there at the next fingerstick: user 1's CGM.
                .anyMatch(r -> r.contains("alert_type=CALIBRATION_DRIFT") && r.contains("device_id=cgm-1"));
        assertThat(batch.rows("devices")).as("device status").anyMatch(r -> r.contains("status=degraded"));
        assertThat(batch.rows("sync_sessions")).as("sync sessions").anyMatch(r -> r.matches(".*recommended_interval_s=[0-9]+.*"));
    }

    private static long count(TableSnapshot s, String table, String text) {
        return s.rows(table).stream().filter(r -> r.contains(text)).count();
    }

    private static TableSnapshot snapshot(RunningJob stream) throws SQLException {
        try (Connection c = stream.connect()) {
            return TableSnapshot.take(c, TABLES);
        }
    }

    private static TableSnapshot snapshot(String jdbcUrl) throws SQLException {
        try (Connection c = connect(jdbcUrl)) {
            return TableSnapshot.take(c, TABLES);
        }
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, SharedServers.postgres().user(), SharedServers.postgres().password());
    }

    private static void write(Path file, List<String[]> input) throws IOException {
        Files.createDirectories(file.getParent());
        try (JsonLinesEnvelopeWriter w = new JsonLinesEnvelopeWriter(file)) {
            int n = 0;
            for (String[] r : input) {
                w.write(r[0], r[1]);
                // A record that cannot be parsed, in the middle: a dead letter, not a failure, in both modes.
                if (++n == input.size() / 2) w.write("cgm-1", "{\"vendor\": \"canonical\", \"kind\": \"data_po");
            }
        }
    }

    /** A reading of {@code time} as re-sent, with another value, at {@code receivedAt}. */
    private static String revised(String user, String device, String metric, double value, Instant time, Instant receivedAt) {
        var payload = Json.mapper().createObjectNode().put("metric", metric).put("value", value).put("unit", "mg/dL")
                .put("start_time", time.toString()).put("device_model", "model-of-" + device);
        return Envelopes.envelope("canonical", "data_point", user, device, receivedAt, payload);
    }

    /**
     * Three hours of two users in event-time order, as {key, envelope}: user 1 with a CGM (a reading
     * missing at 50 min, an implausible one at 130 min), a watch and a ring whose heart rate
     * disagrees with the watch at 95 min; user 2 with a CGM silent from 100 to 140 min, whose
     * reading at 60 min is re-sent twice with corrected values, and a watch.
     * Every 17th envelope is sent twice; CGM batteries report every hour. For the alerts: the ring's
     * battery falls below 20 %, user 1's CGM syncs hourly with one sync that never completes, user
     * 2's watch fails three syncs in half an hour.
     */
    private static List<String[]> input() {
        List<String[]> out = new ArrayList<>();
        int n = 0;
        for (int m = 0; m < MINUTES; m++) {
            Instant t = T0.plusSeconds(60L * m);
            List<String[]> minute = new ArrayList<>();
            for (int u = 1; u <= 2; u++) {
                String watch = "watch-" + u;
                double hr = Math.round((64 + 6 * u + 10 * Math.sin(m / 20.0) + (m * 7 % 5) * 0.3) * 10) / 10.0;
                minute.add(new String[] {watch, Envelopes.point("u-" + u, watch, "heart_rate", hr, "bpm", t)});
                String cgm = "cgm-" + u;
                boolean silent = u == 1 ? m == 50 : m > 100 && m < 140;
                if (m % 5 == 0 && !silent) {
                    double glucose = u == 1 && m == 130 ? 1500 : Math.round((110 + 25 * u * Math.sin(m / 40.0)) * 10) / 10.0;
                    minute.add(new String[] {cgm, Envelopes.point("u-" + u, cgm, "glucose", glucose, "mg/dL", t)});
                }
                if (m % 60 == 30) minute.add(new String[] {cgm, Envelopes.battery("u-" + u, cgm, 100 - m / 6.0, t)});
                // Fingersticks: user 1's CGM reads ever higher against them (10, 35, 70 %), so the
                // error outgrows each correction; user 2's twice, 10 % low.
                int reading = m / 5 * 5;
                double device = Math.round((110 + 25 * u * Math.sin(reading / 40.0)) * 10) / 10.0;
                if (u == 1 && (m == 32 || m == 92 || m == 152)) {
                    double factor = m == 32 ? 1.1 : m == 92 ? 1.35 : 1.7;
                    minute.add(new String[] {cgm, Envelopes.calibration("u-1", cgm, "glucose",
                            Math.round(device / factor * 10) / 10.0, "mg/dL", t)});
                }
                if (u == 2 && (m == 47 || m == 151)) {
                    minute.add(new String[] {cgm, Envelopes.calibration("u-2", cgm, "glucose",
                            Math.round(device * 1.1 * 10) / 10.0, "mg/dL", t)});
                }
                // The vendor re-sends the reading of minute 60 twice with corrected values.
                if (u == 2 && (m == 61 || m == 63)) {
                    minute.add(new String[] {cgm, revised("u-2", cgm, "glucose", 150 + m, T0.plusSeconds(3600), t)});
                }
            }
            if (m == 30 || m == 90) {
                minute.add(new String[] {"ring-1", Envelopes.battery("u-1", "ring-1", m == 30 ? 25 : 15, t)});
            }
            if (m % 60 == 20) {
                String sync = "cgm-1-sync-" + m;
                minute.add(new String[] {"cgm-1", Envelopes.sync("u-1", "cgm-1", "sync_started", sync, t)});
                // The sync of minute 80 never completes: SYNC_TIMEOUT, cleared by the next.
                if (m != 80) minute.add(new String[] {"cgm-1", Envelopes.sync("u-1", "cgm-1", "sync_completed", sync, t.plusSeconds(30))});
            }
            if (m == 10 || m == 25 || m == 40) {
                minute.add(new String[] {"watch-2", Envelopes.sync("u-2", "watch-2", "sync_failed", "watch-2-sync-" + m, t)});
            }
            if (m % 5 == 0) {
                double ring = Math.round((72 + 10 * Math.sin(m / 20.0) + (m == 95 ? 45 : 0)) * 10) / 10.0;
                minute.add(new String[] {"ring-1", Envelopes.point("u-1", "ring-1", "heart_rate", ring, "bpm", t.plusSeconds(20))});
            }
            for (String[] r : minute) {
                out.add(r);
                if (++n % 17 == 0) out.add(r);
            }
        }
        return out;
    }
}
