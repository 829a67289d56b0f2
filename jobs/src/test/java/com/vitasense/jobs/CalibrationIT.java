package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.jobs.testing.RunningJob;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calibration stage end to end, streaming, against a real Kafka broker and a real PostgreSQL:
 * Dexcom fingersticks, Nightscout meter readings and calibration parameters, and manual canonical
 * calibrations beside each device's CGM readings; the exact corrected points, correction versions
 * and calibration events in the tables and on the topic.
 */
class CalibrationIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private RunningJob job;

    @AfterEach
    void stopJob() throws Exception {
        if (job != null) job.close();
    }

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    @Test
    void referencesOfEveryKindCorrectTheReadingsFromTheirTimeOn() throws Exception {
        // Idleness beyond the test: both partitions carry data, and neither may be skipped.
        job = RunningJob.start("calibration", new PipelineConfig(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofHours(48)));

        // Partition 0: a Dexcom G7 reading 120 + m/5, and a fingerstick at 08:42 (nearest EGV 08:40: 128).
        // References go first: a reference must reach the stage before the readings' watermark passes it.
        job.sendInOrder(0, List.of(
                new String[] {"dexcom-1", dexcomCalibration("u-1", "dexcom-1", at(42), 111)},
                new String[] {"dexcom-1", dexcomEgvs("u-1", "dexcom-1", 0, 90)}));
        // Partition 1: Nightscout (meter 135 at 08:21 against sgv 150; the sensor recalibrated at
        // 09:01) and a canonical CGM reading 100 with manual calibrations at 08:30 and 09:00 (mmol/L).
        List<String[]> p1 = new ArrayList<>();
        p1.add(new String[] {"ns-1", nightscoutReferences("u-2", "ns-1")});
        p1.add(new String[] {"cgm-3", Envelopes.calibration("u-3", "cgm-3", "glucose", 110, "mg/dL", at(30))});
        p1.add(new String[] {"cgm-3", Envelopes.calibration("u-3", "cgm-3", "glucose", 6.0, "mmol/L", at(60))});
        p1.add(new String[] {"ns-1", nightscoutSgv("u-2", "ns-1", 0, 90)});
        for (int m = 0; m <= 90; m += 5) {
            p1.add(new String[] {"cgm-3", Envelopes.point("u-3", "cgm-3", "glucose", 100, "mg/dL", at(m))});
        }
        job.sendInOrder(1, p1);
        // Readings hours later on both partitions move the watermark past everything above.
        job.sendInOrder(0, List.<String[]>of(new String[] {"pusher-1",
                Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", at(600))}));
        job.sendInOrder(1, List.<String[]>of(new String[] {"pusher-2",
                Envelopes.point("u-9", "pusher-2", "heart_rate", 60, "bpm", at(600))}));

        job.awaitCount("SELECT count(*) FROM data_points WHERE metric = 'glucose'", 3 * 19);
        job.awaitCount("SELECT count(*) FROM calibration_events", 7);
        job.awaitCount("SELECT count(*) FROM calibrations WHERE valid_to IS NOT NULL", 2);

        String dexcomV1 = Calibration.id("dexcom-1", "glucose", at(42));
        String nsV1 = Calibration.id("ns-1", "glucose", at(21));
        String nsV2 = Calibration.id("ns-1", "glucose", at(61));
        String manualV1 = Calibration.id("cgm-3", "glucose", at(30));
        String manualV2 = Calibration.id("cgm-3", "glucose", at(60));

        assertThat(job.query("""
                SELECT concat_ws(' ', device_id, to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI'), round(value::numeric, 2),
                    'raw=' || raw_value, 'CALIBRATED=' || ('CALIBRATED' = ANY(quality_flags)), coalesce(calibration_id, '-'))
                FROM data_points WHERE metric = 'glucose'
                  AND to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI') IN ('08:20', '08:25', '08:30', '08:40', '08:45', '09:00', '09:05')
                ORDER BY device_id, start_time"""))
                .containsExactly(
                        "cgm-3 08:20 100.00 raw=100.0 CALIBRATED=false -",
                        "cgm-3 08:25 100.00 raw=100.0 CALIBRATED=false -",
                        "cgm-3 08:30 110.00 raw=100.0 CALIBRATED=true " + manualV1,
                        "cgm-3 08:40 110.00 raw=100.0 CALIBRATED=true " + manualV1,
                        "cgm-3 08:45 110.00 raw=100.0 CALIBRATED=true " + manualV1,
                        "cgm-3 09:00 109.05 raw=100.0 CALIBRATED=true " + manualV2,
                        "cgm-3 09:05 109.05 raw=100.0 CALIBRATED=true " + manualV2,
                        "dexcom-1 08:20 124.00 raw=124 CALIBRATED=false -",
                        "dexcom-1 08:25 125.00 raw=125 CALIBRATED=false -",
                        "dexcom-1 08:30 126.00 raw=126 CALIBRATED=false -",
                        "dexcom-1 08:40 128.00 raw=128 CALIBRATED=false -",
                        "dexcom-1 08:45 112.00 raw=129 CALIBRATED=true " + dexcomV1,
                        "dexcom-1 09:00 115.00 raw=132 CALIBRATED=true " + dexcomV1,
                        "dexcom-1 09:05 116.00 raw=133 CALIBRATED=true " + dexcomV1,
                        "ns-1 08:20 150.00 raw=150 CALIBRATED=false -",
                        "ns-1 08:25 137.00 raw=152 CALIBRATED=true " + nsV1,
                        "ns-1 08:30 135.00 raw=150 CALIBRATED=true " + nsV1,
                        "ns-1 08:40 135.00 raw=150 CALIBRATED=true " + nsV1,
                        "ns-1 08:45 137.00 raw=152 CALIBRATED=true " + nsV1,
                        "ns-1 09:00 135.00 raw=150 CALIBRATED=true " + nsV1,
                        "ns-1 09:05 152.00 raw=152 CALIBRATED=true " + nsV2);

        assertThat(job.query("""
                SELECT concat_ws(' | ', id, user_id, device_id, metric, scale, round("offset"::numeric, 4),
                    to_char(valid_from AT TIME ZONE 'UTC', 'HH24:MI'),
                    coalesce(to_char(valid_to AT TIME ZONE 'UTC', 'HH24:MI'), 'open'), source,
                    coalesce(round(fit_quality::numeric, 4)::text, 'none'), pairs)
                FROM calibrations ORDER BY device_id, valid_from"""))
                .containsExactly(
                        manualV1 + " | u-3 | cgm-3 | glucose | 1 | 10.0000 | 08:30 | 09:00 | manual | none | 1",
                        manualV2 + " | u-3 | cgm-3 | glucose | 1 | 9.0468 | 09:00 | open | manual | 0.9913 | 2",
                        dexcomV1 + " | u-1 | dexcom-1 | glucose | 1 | -17.0000 | 08:42 | open | dexcom_calibration | none | 1",
                        nsV1 + " | u-2 | ns-1 | glucose | 1 | -15.0000 | 08:21 | 09:01 | nightscout_mbg | none | 1",
                        nsV2 + " | u-2 | ns-1 | glucose | 1 | 0.0000 | 09:01 | open | nightscout_cal | none | 0");

        List<String> events = job.query("""
                SELECT concat_ws(' ', id, device_id, event_type, to_char(event_time AT TIME ZONE 'UTC', 'HH24:MI'),
                    coalesce(calibration_id, '-'), coalesce(mard::text, '-'), coalesce(bias::text, '-'))
                FROM calibration_events ORDER BY device_id, event_time, event_type""");
        assertThat(events).containsExactly(
                event("cgm-3", CalibrationEvent.Type.CALIBRATION_APPLIED, 30) + " " + manualV1 + " 9.09 -9.09",
                event("cgm-3", CalibrationEvent.Type.CALIBRATION_APPLIED, 60) + " " + manualV2 + " 5.43 -3.66",
                event("dexcom-1", CalibrationEvent.Type.WARMUP, 0) + " - - -",
                event("dexcom-1", CalibrationEvent.Type.CALIBRATION_APPLIED, 42) + " " + dexcomV1 + " 15.32 15.32",
                event("ns-1", CalibrationEvent.Type.CALIBRATION_APPLIED, 21) + " " + nsV1 + " 11.11 11.11",
                event("ns-1", CalibrationEvent.Type.CALIBRATION_APPLIED, 61) + " " + nsV2 + " - -",
                event("ns-1", CalibrationEvent.Type.DEVICE_CALIBRATED, 61) + " " + nsV1 + " - -");
        assertThat(job.query("SELECT details->>'warmup_until' FROM calibration_events WHERE event_type = 'WARMUP'"))
                .containsExactly("2026-11-20T08:30:00Z");
        assertThat(job.query("SELECT details->'references'->0->>'reading_time' FROM calibration_events"
                + " WHERE device_id = 'dexcom-1' AND event_type = 'CALIBRATION_APPLIED'"))
                .containsExactly("2026-11-20T08:40:00Z");

        List<Message> onTopic = job.read(job.kafka().topics().calibrationEvents(), 7);
        assertThat(onTopic).hasSize(7);
        List<String> ids = new ArrayList<>();
        for (Message m : onTopic) {
            JsonNode e = Json.mapper().readTree(m.value());
            assertThat(m.key()).isEqualTo(e.get("device_id").asText());
            ids.add(e.get("id").asText());
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(job.query("SELECT id FROM calibration_events"));
        assertThat(job.query("SELECT count(*) FROM data_points WHERE metric = 'heart_rate'")).containsExactly("0");
    }

    @Test
    void aLateReferenceCorrectsOnlyReadingsNotYetWritten() throws Exception {
        job = RunningJob.start("calibration-late", new PipelineConfig(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofHours(48)));
        List<String[]> p0 = new ArrayList<>();
        List<String[]> p1 = new ArrayList<>();
        for (int m = 0; m <= 30; m += 5) {
            p0.add(new String[] {"cgm-4", Envelopes.point("u-4", "cgm-4", "glucose", 100, "mg/dL", at(m))});
            p1.add(new String[] {"cgm-5", Envelopes.point("u-5", "cgm-5", "glucose", 100, "mg/dL", at(m))});
        }
        // Readings at 08:41 on both partitions: the watermark becomes 08:35:59.999, 08:30:59.999 at
        // the calibration stage (held back by the cross-device window, 5 min), which writes the
        // readings up to 08:25 (each waits for its time plus the pairing tolerance, 5 min) and keeps 08:30.
        p0.add(new String[] {"pusher-1", Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", at(41))});
        p1.add(new String[] {"pusher-2", Envelopes.point("u-9", "pusher-2", "heart_rate", 60, "bpm", at(41))});
        job.sendInOrder(0, p0);
        job.sendInOrder(1, p1);
        job.awaitCount("SELECT count(*) FROM data_points WHERE device_id = 'cgm-4'", 6);

        // A fingerstick from 08:24, more than the tolerance behind the watermark.
        job.sendInOrder(0, List.<String[]>of(new String[] {"cgm-4",
                Envelopes.calibration("u-4", "cgm-4", "glucose", 90, "mg/dL", at(24))}));
        job.awaitCount("SELECT count(*) FROM calibration_events WHERE event_type = 'LATE_REFERENCE'", 1);
        job.sendInOrder(0, List.<String[]>of(new String[] {"pusher-1",
                Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", at(120))}));
        job.sendInOrder(1, List.<String[]>of(new String[] {"pusher-2",
                Envelopes.point("u-9", "pusher-2", "heart_rate", 60, "bpm", at(120))}));
        job.awaitCount("SELECT count(*) FROM data_points WHERE device_id = 'cgm-4'", 7);

        String version = Calibration.id("cgm-4", "glucose", at(24));
        // 08:25 was written before the reference arrived and stays as it was; 08:30 was not.
        assertThat(job.query("""
                SELECT concat_ws(' ', to_char(start_time AT TIME ZONE 'UTC', 'HH24:MI'), round(value::numeric, 2),
                    'CALIBRATED=' || ('CALIBRATED' = ANY(quality_flags)), coalesce(calibration_id, '-'))
                FROM data_points WHERE device_id = 'cgm-4' AND start_time >= '2026-11-20 08:20Z' ORDER BY start_time"""))
                .containsExactly("08:20 100.00 CALIBRATED=false -", "08:25 100.00 CALIBRATED=false -",
                        "08:30 90.00 CALIBRATED=true " + version);
        assertThat(job.query("""
                SELECT concat_ws(' ', id, to_char(valid_from AT TIME ZONE 'UTC', 'HH24:MI:SS.MS'), "offset", pairs)
                FROM calibrations"""))
                .containsExactly(version + " 08:26:00.000 -10 1");
        assertThat(job.query("""
                SELECT concat_ws(' ', event_type, to_char(event_time AT TIME ZONE 'UTC', 'HH24:MI'), calibration_id,
                    details->>'valid_from')
                FROM calibration_events ORDER BY event_type"""))
                .containsExactly("CALIBRATION_APPLIED 08:24 " + version + " 2026-11-20T08:26:00Z",
                        "LATE_REFERENCE 08:24 " + version + " 2026-11-20T08:26:00Z");
    }

    /**
     * A CGM whose error grows over three days (it reads 5 % high at first and 20 % high at the end,
     * plus noise) and a fingerstick every four hours (the truth within 2 %): the corrected values
     * are closer to the simulated truth than the raw ones, by MARD, the CGM accuracy measure.
     */
    @Test
    void aDriftingCgmCorrectedByFingersticksIsCloserToTheTruth() throws Exception {
        job = RunningJob.start("calibration-drift", new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofHours(48)));
        int days = 3;
        int minutes = days * 24 * 60;
        Random noise = new Random(7);
        List<String[]> series = new ArrayList<>();
        int fingersticks = 0;
        for (int m = 0; m < minutes; m += 5) {
            double reading = truth(m) * (1 + drift(m, minutes)) + 2 * noise.nextGaussian();
            series.add(new String[] {"cgm-d", Envelopes.point("u-d", "cgm-d", "glucose",
                    Math.round(reading * 10) / 10.0, "mg/dL", at(m))});
            if (m % 240 == 120) {
                double reference = truth(m + 2) * (1 + 0.02 * (2 * noise.nextDouble() - 1));
                series.add(new String[] {"cgm-d", Envelopes.calibration("u-d", "cgm-d", "glucose",
                        Math.round(reference * 10) / 10.0, "mg/dL", at(m + 2))});
                fingersticks++;
            }
        }
        series.add(new String[] {"pusher-1", Envelopes.point("u-9", "pusher-1", "heart_rate", 60, "bpm", at(minutes + 600))});
        job.sendInOrder(0, series);
        job.sendInOrder(1, List.<String[]>of(new String[] {"pusher-2",
                Envelopes.point("u-9", "pusher-2", "heart_rate", 60, "bpm", at(minutes + 600))}));

        job.awaitCount("SELECT count(*) FROM data_points WHERE device_id = 'cgm-d'", minutes / 5);
        job.awaitCount("SELECT count(*) FROM calibration_events WHERE event_type = 'CALIBRATION_APPLIED'", fingersticks);

        double rawError = 0;
        double correctedError = 0;
        int n = 0;
        for (String row : job.query("""
                SELECT concat_ws(' ', extract(epoch FROM start_time)::bigint, value, raw_value)
                FROM data_points WHERE device_id = 'cgm-d' ORDER BY start_time""")) {
            String[] f = row.split(" ");
            int m = (int) ((Long.parseLong(f[0]) - T0.getEpochSecond()) / 60);
            double truth = truth(m);
            correctedError += Math.abs(Double.parseDouble(f[1]) - truth) / truth;
            rawError += Math.abs(Double.parseDouble(f[2]) - truth) / truth;
            n++;
        }
        double rawMard = 100 * rawError / n;
        double correctedMard = 100 * correctedError / n;
        System.out.printf("drifting CGM, %d readings, %d fingersticks: MARD against the truth %.2f %% raw, %.2f %% corrected%n",
                n, fingersticks, rawMard, correctedMard);
        // The raw error averages 12.5 %; the corrections leave a few percent (the drift since the
        // last fingerstick, the noise, and the readings before the first fingerstick).
        assertThat(rawMard).isBetween(11.0, 14.0);
        assertThat(correctedMard).as("MARD of corrected values, raw %.2f %%", rawMard).isLessThan(rawMard / 2);

        assertThat(job.query("SELECT count(*) FROM calibrations WHERE device_id = 'cgm-d'"))
                .containsExactly(String.valueOf(fingersticks));
        List<String> eventIds = job.query("SELECT id FROM calibration_events WHERE device_id = 'cgm-d'");
        assertThat(eventIds).hasSizeGreaterThanOrEqualTo(fingersticks);
        List<Message> onTopic = job.read(job.kafka().topics().calibrationEvents(), eventIds.size());
        List<String> topicIds = new ArrayList<>();
        for (Message msg : onTopic) topicIds.add(Json.mapper().readTree(msg.value()).get("id").asText());
        assertThat(topicIds).containsExactlyInAnyOrderElementsOf(eventIds);
    }

    /** The simulated true glucose: 130 mg/dL, 50 either way over a five-hour cycle. */
    private static double truth(int minute) {
        return 130 + 50 * Math.sin(2 * Math.PI * minute / 300.0);
    }

    /** How much too high the CGM reads: 5 % at the start, 20 % at the end. */
    private static double drift(int minute, int total) {
        return 0.05 + 0.15 * minute / total;
    }

    private static String event(String device, CalibrationEvent.Type type, int minutes) {
        return CalibrationEvent.id(device, "glucose", type, at(minutes)) + " " + device + " " + type.name() + " "
                + at(minutes).toString().substring(11, 16);
    }

    private static String dexcomEgvs(String user, String device, int from, int to) {
        ObjectNode payload = Json.mapper().createObjectNode().put("recordType", "egv").put("recordVersion", "3.0")
                .put("userId", "dexcom-user");
        ArrayNode records = payload.putArray("records");
        for (int m = from; m <= to; m += 5) {
            dexcomRecord(records.addObject(), "egv-" + m, at(m)).put("value", 120 + m / 5).put("status", "ok")
                    .put("trend", "flat").put("trendRate", 0.2).put("rateUnit", "mg/dL/min");
        }
        return Envelopes.envelope("dexcom", "egvs", user, device, at(to).plusSeconds(30), payload);
    }

    private static String dexcomCalibration(String user, String device, Instant time, double value) {
        ObjectNode payload = Json.mapper().createObjectNode().put("recordType", "calibration").put("recordVersion", "3.0")
                .put("userId", "dexcom-user");
        dexcomRecord(payload.putArray("records").addObject(), "cal-1", time).put("value", value);
        return Envelopes.envelope("dexcom", "calibrations", user, device, time.plusSeconds(30), payload);
    }

    private static ObjectNode dexcomRecord(ObjectNode r, String id, Instant t) {
        LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        return r.put("recordId", id).put("systemTime", utc.toString())
                .put("displayTime", utc.plusHours(1) + "+01:00").put("unit", "mg/dL")
                .put("transmitterId", "8XK2QJ").put("transmitterTicks", 3_000_000 + t.getEpochSecond() % 100_000)
                .put("transmitterGeneration", "g7").put("displayDevice", "iOS");
    }

    private static String nightscoutReferences(String user, String device) {
        ArrayNode entries = Json.mapper().createArrayNode();
        entries.addObject().put("type", "mbg").put("mbg", 135).put("date", at(21).toEpochMilli())
                .put("dateString", at(21).toString()).put("device", "xDrip-DexcomG6");
        entries.addObject().put("type", "cal").put("slope", 850.5).put("intercept", 32000).put("scale", 1)
                .put("date", at(61).toEpochMilli()).put("dateString", at(61).toString()).put("device", "xDrip-DexcomG6");
        return nightscoutEnvelope(user, device, entries, at(61));
    }

    private static String nightscoutSgv(String user, String device, int from, int to) {
        ArrayNode entries = Json.mapper().createArrayNode();
        for (int m = from; m <= to; m += 5) {
            entries.addObject().put("type", "sgv").put("sgv", 150 + (m / 5 % 2) * 2).put("direction", "Flat")
                    .put("noise", 1).put("date", at(m).toEpochMilli()).put("dateString", at(m).toString())
                    .put("device", "xDrip-DexcomG6");
        }
        return nightscoutEnvelope(user, device, entries, at(to));
    }

    private static String nightscoutEnvelope(String user, String device, ArrayNode entries, Instant receivedAt) {
        ObjectNode e = Json.mapper().createObjectNode().put("vendor", "nightscout").put("kind", "entries")
                .put("user_id", user).put("device_id", device).put("received_at", receivedAt.plusSeconds(30).toString());
        e.set("payload", entries);
        return e.toString();
    }
}
