package com.vitasense.vendors;

import static com.vitasense.vendors.VendorFixtures.accepted;
import static com.vitasense.vendors.VendorFixtures.assertEnvelopeFields;
import static com.vitasense.vendors.VendorFixtures.assertNoMeasurement;
import static com.vitasense.vendors.VendorFixtures.describeEvents;
import static com.vitasense.vendors.VendorFixtures.describePoints;
import static com.vitasense.vendors.VendorFixtures.json;
import static com.vitasense.vendors.VendorFixtures.parse;
import static com.vitasense.vendors.VendorFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.Ids;
import org.junit.jupiter.api.Test;

class OuraParserTest {
    private static final String RING = "oura-ring-gen3-u17";
    private static final String SLEEP_ID = "b2a4e1c8-7d3f-4b29-a1e6-5c9d8f0e7a34";

    @Test
    void heartRateSamples() {
        ParseResult r = accepted("oura/heartrate.json");
        assertThat(describePoints(r)).containsExactly(
                "heart_rate 54.0 bpm raw=54 bpm 2026-11-27T05:55:00Z VENDOR_OFFSET",
                "heart_rate 56.0 bpm raw=56 bpm 2026-11-27T06:00:00Z VENDOR_OFFSET",
                "heart_rate 71.0 bpm raw=71 bpm 2026-11-27T06:41:17Z VENDOR_OFFSET",
                "heart_rate 118.0 bpm raw=118 bpm 2026-11-27T06:58:02Z VENDOR_OFFSET");
        assertEnvelopeFields(r, "u-17", RING, "oura", "2026-11-27T07:05:00Z");
    }

    @Test
    void dailyReadinessWithAndWithoutTemperatureBaseline() {
        ParseResult r = accepted("oura/daily_readiness.json");
        assertThat(describePoints(r)).containsExactly(
                "readiness_score 82.0 score raw=82 null 2026-11-25T23:00:00Z VENDOR_OFFSET rec=8f1f0c5e-6a43-4e6b-9d4c-3f0c2b5f7a10",
                "temperature_deviation -0.12 degC raw=-0.12 degC 2026-11-25T23:00:00Z VENDOR_OFFSET rec=8f1f0c5e-6a43-4e6b-9d4c-3f0c2b5f7a10",
                // The first day: temperature_deviation is null, so there is no point for it.
                "readiness_score 74.0 score raw=74 null 2026-11-26T23:00:00Z VENDOR_OFFSET rec=0c7d2a91-52e4-4d1f-8d0a-b0f9a7c3e512");
        assertEnvelopeFields(r, "u-17", RING, "oura", "2026-11-27T07:05:00Z");
        DataPoint score = r.points().get(0);
        // A vendor id: the end is not part of the id.
        assertThat(score.id).isEqualTo(Ids.hash("point", "u-17", RING, "readiness_score", "2026-11-25T23:00:00Z", null,
                "8f1f0c5e-6a43-4e6b-9d4c-3f0c2b5f7a10"));
    }

    @Test
    void readinessDocumentWithoutAnyValueIsReportedAndTheOthersKept() {
        ObjectNode env = json("oura/daily_readiness.json");
        ((ObjectNode) env.get("payload").get("data").get(0)).putNull("score").putNull("temperature_deviation");
        ParseResult r = parse(env);
        assertThat(r.isPartial()).isTrue();
        assertThat(describePoints(r)).containsExactly(
                "readiness_score 74.0 score raw=74 null 2026-11-26T23:00:00Z VENDOR_OFFSET rec=0c7d2a91-52e4-4d1f-8d0a-b0f9a7c3e512");
        assertNoMeasurement(r, "no measurement in 1 item(s) of this record, its other output was kept: "
                + "payload.data[0]: score and temperature_deviation are both null");
    }

    @Test
    void readinessWithoutTimestampStartsAtTheLocalDay() {
        ObjectNode env = json("oura/daily_readiness.json");
        ((ObjectNode) env.get("payload").get("data").get(0)).remove("timestamp");
        DataPoint p = accepted(env).points().get(0);
        assertThat(p.startTime).hasToString("2026-11-25T23:00:00Z");
        assertThat(p.timeSource).isEqualTo("PROFILE_TIME_ZONE");
    }

    @Test
    void sleepPeriodWithNullsInsideItsSeries() {
        ParseResult r = parse("oura/sleep.json");
        assertThat(r.isPartial()).isTrue();
        String at = " VENDOR_OFFSET rec=" + SLEEP_ID;
        assertThat(describePoints(r)).containsExactly(
                "sleep_duration 1800.0 s raw=1800 s 2026-11-27T12:05:00Z..2026-11-27T12:45:00Z" + at,
                "sleep_efficiency 75.0 % raw=75 % 2026-11-27T12:05:00Z..2026-11-27T12:45:00Z" + at,
                "respiratory_rate 14.625 breaths/min raw=14.625 breaths/min 2026-11-27T12:05:00Z..2026-11-27T12:45:00Z" + at,
                "resting_heart_rate 58.0 bpm raw=58 bpm 2026-11-27T12:05:00Z..2026-11-27T12:45:00Z" + at,
                // heart_rate items [null, 62, 60, null, 58, 59, 61, null]: nulls are gaps.
                "heart_rate 62.0 bpm raw=62 bpm 2026-11-27T12:10:00Z..2026-11-27T12:15:00Z" + at + "@2026-11-27T12:10:00Z",
                "heart_rate 60.0 bpm raw=60 bpm 2026-11-27T12:15:00Z..2026-11-27T12:20:00Z" + at + "@2026-11-27T12:15:00Z",
                "heart_rate 58.0 bpm raw=58 bpm 2026-11-27T12:25:00Z..2026-11-27T12:30:00Z" + at + "@2026-11-27T12:25:00Z",
                "heart_rate 59.0 bpm raw=59 bpm 2026-11-27T12:30:00Z..2026-11-27T12:35:00Z" + at + "@2026-11-27T12:30:00Z",
                "heart_rate 61.0 bpm raw=61 bpm 2026-11-27T12:35:00Z..2026-11-27T12:40:00Z" + at + "@2026-11-27T12:35:00Z",
                "hrv_rmssd 38.0 ms raw=38 ms 2026-11-27T12:10:00Z..2026-11-27T12:15:00Z" + at + "@2026-11-27T12:10:00Z",
                "hrv_rmssd 41.0 ms raw=41 ms 2026-11-27T12:15:00Z..2026-11-27T12:20:00Z" + at + "@2026-11-27T12:15:00Z",
                "hrv_rmssd 45.0 ms raw=45 ms 2026-11-27T12:25:00Z..2026-11-27T12:30:00Z" + at + "@2026-11-27T12:25:00Z",
                "hrv_rmssd 44.0 ms raw=44 ms 2026-11-27T12:30:00Z..2026-11-27T12:35:00Z" + at + "@2026-11-27T12:30:00Z",
                "hrv_rmssd 40.0 ms raw=40 ms 2026-11-27T12:35:00Z..2026-11-27T12:40:00Z" + at + "@2026-11-27T12:35:00Z",
                // sleep_phase_5_min "42213324".
                "sleep_stage awake raw=4 null 2026-11-27T12:05:00Z..2026-11-27T12:10:00Z" + at + "@2026-11-27T12:05:00Z",
                "sleep_stage core raw=2 null 2026-11-27T12:10:00Z..2026-11-27T12:15:00Z" + at + "@2026-11-27T12:10:00Z",
                "sleep_stage core raw=2 null 2026-11-27T12:15:00Z..2026-11-27T12:20:00Z" + at + "@2026-11-27T12:15:00Z",
                "sleep_stage deep raw=1 null 2026-11-27T12:20:00Z..2026-11-27T12:25:00Z" + at + "@2026-11-27T12:20:00Z",
                "sleep_stage rem raw=3 null 2026-11-27T12:25:00Z..2026-11-27T12:30:00Z" + at + "@2026-11-27T12:25:00Z",
                "sleep_stage rem raw=3 null 2026-11-27T12:30:00Z..2026-11-27T12:35:00Z" + at + "@2026-11-27T12:30:00Z",
                "sleep_stage core raw=2 null 2026-11-27T12:35:00Z..2026-11-27T12:40:00Z" + at + "@2026-11-27T12:35:00Z",
                "sleep_stage awake raw=4 null 2026-11-27T12:40:00Z..2026-11-27T12:45:00Z" + at + "@2026-11-27T12:40:00Z");
        // low_battery_alert; the deleted period yields no output.
        assertThat(describeEvents(r)).containsExactly("DEVICE_STATUS " + RING + " @2026-11-27T12:45:00Z VENDOR_OFFSET state=low");
        assertEnvelopeFields(r, "u-17", RING, "oura", "2026-11-27T13:50:00Z");
        // What carried no measurement is named in the envelope's one dead letter, not dropped.
        assertNoMeasurement(r, "no measurement in 7 item(s) of this record, its other output was kept: "
                + "payload.data[0].heart_rate.items[0, 3, 7]: null (the ring had no reading); "
                + "payload.data[0].hrv.items[0, 3, 7]: null (the ring had no reading); "
                + "payload.data[1]: sleep period of type 'deleted' (id 5d0b7f3e-1c2a-4f8e-9b6d-7e4a3c2b1f09)");
        assertThat(r.deadLetter().vendor + "/" + r.deadLetter().kind).isEqualTo("oura/sleep");
    }

    @Test
    void sleepCollectionOfOnlyADeletedPeriodIsADeadLetter() {
        ObjectNode env = json("oura/sleep.json");
        ((ArrayNode) env.get("payload").get("data")).remove(0);
        ParseResult r = parse(env);
        assertThat(r.isDeadLetter()).isTrue();
        assertNoMeasurement(r, "no measurement in this record: "
                + "payload.data[0]: sleep period of type 'deleted' (id 5d0b7f3e-1c2a-4f8e-9b6d-7e4a3c2b1f09)");
    }

    @Test
    void rescoredSleepPeriodKeepsItsIdsWhenItsEndMoves() {
        DataPoint before = parse("oura/sleep.json").points().get(0);
        ObjectNode env = json("oura/sleep.json");
        ObjectNode doc = (ObjectNode) env.get("payload").get("data").get(0);
        doc.put("bedtime_end", "2026-11-27T13:50:00+01:00");
        doc.put("total_sleep_duration", 2100);
        DataPoint after = parse(env).points().get(0);
        assertThat(after.id).isEqualTo(before.id);
        assertThat(after.contentHash()).isNotEqualTo(before.contentHash());
        assertThat(after.value).isEqualTo(2100.0);
    }

    @Test
    void ringBatteryLevels() {
        ParseResult r = accepted("oura/ring_battery_level.json");
        assertThat(r.points()).isEmpty();
        assertThat(describeEvents(r)).containsExactly(
                "DEVICE_STATUS " + RING + " @2026-11-27T06:00:00Z VENDOR_OFFSET battery=54.0 charging=false inCharger=false",
                "DEVICE_STATUS " + RING + " @2026-11-27T07:00:00Z VENDOR_OFFSET battery=52.0 charging=false inCharger=false",
                "DEVICE_STATUS " + RING + " @2026-11-27T12:00:00Z VENDOR_OFFSET battery=21.0 charging=false inCharger=false",
                "DEVICE_STATUS " + RING + " @2026-11-27T12:30:00Z VENDOR_OFFSET battery=23.0 charging=true inCharger=true");
        assertThat(r.deviceEvents().get(0).id).isEqualTo(Ids.hash("device_event", "DEVICE_STATUS", "u-17", RING,
                "2026-11-27T06:00:00Z", null));
    }

    @Test
    void badPayloadsAreDeadLetters() {
        ObjectNode phase = json("oura/sleep.json");
        ((ObjectNode) phase.get("payload").get("data").get(0)).put("sleep_phase_5_min", "4221x324");
        rejected(phase, DeadLetterReason.INVALID_FIELD, "payload.data[0].sleep_phase_5_min holds 'x' at position 4");

        ObjectNode interval = json("oura/sleep.json");
        ((ObjectNode) interval.get("payload").get("data").get(0).get("hrv")).put("interval", 0);
        rejected(interval, DeadLetterReason.INVALID_FIELD, "payload.data[0].hrv.interval must be a whole number");

        ObjectNode item = json("oura/sleep.json");
        ((ArrayNode) item.get("payload").get("data").get(0).get("heart_rate")
                .get("items")).set(2, item.textNode("sixty"));
        rejected(item, DeadLetterReason.INVALID_FIELD, "payload.data[0].heart_rate.items[2] is not a number");

        ObjectNode noStart = json("oura/sleep.json");
        ((ObjectNode) noStart.get("payload").get("data").get(0)).remove("bedtime_start");
        rejected(noStart, DeadLetterReason.MISSING_FIELD, "missing field payload.data[0].bedtime_start");

        ObjectNode battery = json("oura/ring_battery_level.json");
        ((ObjectNode) battery.get("payload").get("data").get(1)).put("level", 101);
        rejected(battery, DeadLetterReason.INVALID_FIELD, "payload.data[1].level must be within 0..100 %");

        ObjectNode noData = json("oura/heartrate.json");
        ((ObjectNode) noData.get("payload")).remove("data");
        rejected(noData, DeadLetterReason.MISSING_FIELD, "missing field payload.data");

        ObjectNode bpm = json("oura/heartrate.json");
        ((ObjectNode) bpm.get("payload").get("data").get(3)).putNull("bpm");
        rejected(bpm, DeadLetterReason.MISSING_FIELD, "missing field payload.data[3].bpm");

        ObjectNode kind = json("oura/heartrate.json");
        kind.put("kind", "daily_sleep");
        rejected(kind, DeadLetterReason.UNKNOWN_KIND, "unknown kind 'daily_sleep' for vendor oura");
    }
}
