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

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.quality.ReadingAdmission;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.Ids;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WhoopParserTest {
    private static final String STRAP = "whoop-4-0-u17";

    @Test
    void scoredRecovery() {
        ParseResult r = accepted("whoop/recovery.json");
        String at = " 2026-11-27T06:35:21.511Z VENDOR_OFFSET rec=93845";
        assertThat(describePoints(r)).containsExactly(
                "recovery_score 44.0 % raw=44 %" + at,
                "resting_heart_rate 64.0 bpm raw=64 bpm" + at,
                "hrv_rmssd 31.813562 ms raw=31.813562 ms" + at,
                "spo2 95.6875 % raw=95.6875 %" + at,
                "skin_temperature 33.7 degC raw=33.7 degC" + at);
        assertThat(describeEvents(r)).containsExactly(
                "DEVICE_STATUS " + STRAP + " @2026-11-27T06:35:21.511Z VENDOR_OFFSET calibrating=false");
        assertEnvelopeFields(r, "u-17", STRAP, "whoop", "2026-11-27T06:40:00Z");
    }

    @Test
    void calibratingUserOnAnOlderStrap() {
        ParseResult r = accepted("whoop/recovery-calibrating.json");
        String at = " 2026-11-27T06:58:02.104Z VENDOR_OFFSET rec=41022";
        // No spo2_percentage or skin_temp_celsius: no points for them.
        assertThat(describePoints(r)).containsExactly(
                "recovery_score 67.0 % raw=67 %" + at,
                "resting_heart_rate 58.0 bpm raw=58 bpm" + at,
                "hrv_rmssd 52.4 ms raw=52.4 ms" + at);
        assertThat(describeEvents(r)).containsExactly(
                "DEVICE_STATUS whoop-3-0-u18 @2026-11-27T06:58:02.104Z VENDOR_OFFSET calibrating=true");
        assertEnvelopeFields(r, "u-18", "whoop-3-0-u18", "whoop", "2026-11-27T07:02:00Z");
    }

    @Test
    void pendingAndUnscorableRecordsAreDeadLettersNamingTheirState() {
        ParseResult pending = parse("whoop/recovery-pending.json");
        assertThat(pending.isDeadLetter()).isTrue();
        assertNoMeasurement(pending, "no measurement in this record: payload: score_state PENDING_SCORE "
                + "(not scored yet; WHOOP sends the record again once scored)");

        ObjectNode unscorable = json("whoop/cycle.json");
        ((ObjectNode) unscorable.get("payload")).put("score_state", "UNSCORABLE");
        ((ObjectNode) unscorable.get("payload")).remove("score");
        ParseResult cycle = parse(unscorable);
        assertThat(cycle.isDeadLetter()).isTrue();
        assertNoMeasurement(cycle, "no measurement in this record: payload: score_state UNSCORABLE "
                + "(WHOOP could not score it)");

        ObjectNode pendingSleep = json("whoop/sleep.json");
        ((ObjectNode) pendingSleep.get("payload")).put("score_state", "PENDING_SCORE");
        ((ObjectNode) pendingSleep.get("payload")).remove("score");
        assertThat(parse(pendingSleep).isDeadLetter()).isTrue();
        assertThat(parse(pendingSleep).deadLetter().reason).isEqualTo(DeadLetterReason.NO_MEASUREMENT.name());
    }

    /** A record not scored yet still says whether the user is calibrating, when it carries the flag. */
    @Test
    void unscoredRecoveryKeepsUserCalibrating() {
        ObjectNode env = json("whoop/recovery-pending.json");
        ((ObjectNode) env.get("payload")).putObject("score").put("user_calibrating", true);
        ParseResult r = parse(env);
        assertThat(r.isPartial()).isTrue();
        assertThat(r.points()).isEmpty();
        assertThat(describeEvents(r)).containsExactly(
                "DEVICE_STATUS " + STRAP + " @2026-11-28T06:30:40.002Z VENDOR_OFFSET calibrating=true");
        assertNoMeasurement(r, "no measurement in 1 item(s) of this record, its other output was kept: "
                + "payload: score_state PENDING_SCORE (not scored yet; WHOOP sends the record again once scored)");

        ObjectNode unscorable = json("whoop/recovery-pending.json");
        ((ObjectNode) unscorable.get("payload")).put("score_state", "UNSCORABLE");
        ((ObjectNode) unscorable.get("payload")).putObject("score").put("user_calibrating", false);
        ParseResult u = parse(unscorable);
        assertThat(describeEvents(u)).containsExactly(
                "DEVICE_STATUS " + STRAP + " @2026-11-28T06:30:40.002Z VENDOR_OFFSET calibrating=false");
        assertNoMeasurement(u, "no measurement in 1 item(s) of this record, its other output was kept: "
                + "payload: score_state UNSCORABLE (WHOOP could not score it)");
    }

    @Test
    void scoredRecordWithoutAnyValueIsADeadLetter() {
        ObjectNode env = json("whoop/cycle.json");
        ((ObjectNode) env.get("payload").get("score")).putNull("strain").putNull("kilojoule");
        ParseResult r = parse(env);
        assertThat(r.isDeadLetter()).isTrue();
        assertNoMeasurement(r, "no measurement in this record: payload.score: a scored cycle without strain or kilojoule");
    }

    @Test
    void finishedCycle() {
        ParseResult r = accepted("whoop/cycle.json");
        assertThat(describePoints(r)).containsExactly(
                "strain 12.7431 score raw=12.7431 null 2026-11-26T06:25:14Z..2026-11-27T06:31:02Z VENDOR_OFFSET rec=93845",
                "energy_expenditure 8814.2 kJ raw=8814.2 kJ 2026-11-26T06:25:14Z..2026-11-27T06:31:02Z VENDOR_OFFSET rec=93845");
        assertEnvelopeFields(r, "u-17", STRAP, "whoop", "2026-11-27T06:40:00Z");
    }

    @Test
    void cycleInProgressEndsAtItsLastUpdate() {
        ParseResult r = accepted("whoop/cycle-in-progress.json");
        assertThat(describePoints(r)).containsExactly(
                "strain 3.1 score raw=3.1 null 2026-11-27T06:31:02Z..2026-11-27T09:58:40Z VENDOR_OFFSET rec=93846",
                "energy_expenditure 2410.5 kJ raw=2410.5 kJ 2026-11-27T06:31:02Z..2026-11-27T09:58:40Z VENDOR_OFFSET rec=93846");
        assertThat(r.points().get(0).id).isEqualTo(Ids.hash("point", "u-17", STRAP, "strain", "2026-11-27T06:31:02Z",
                null, "93846"));
    }

    /**
     * The cycle in progress, then the same cycle finished: the same ids, and admission makes the
     * finished one revision 2 of each reading.
     */
    @Test
    void finishedCycleResentIsTheNextRevisionOfTheSameIds() throws Exception {
        List<DataPoint> inProgress = accepted("whoop/cycle-in-progress.json").points();
        ObjectNode finished = json("whoop/cycle-in-progress.json");
        ObjectNode p = (ObjectNode) finished.get("payload");
        p.put("end", "2026-11-28T06:12:40.000Z");
        p.put("updated_at", "2026-11-28T06:20:02.000Z");
        ((ObjectNode) p.get("score")).put("strain", 14.2).put("kilojoule", 10212.9);
        List<DataPoint> done = accepted(finished).points();
        assertThat(done).extracting(d -> d.id).containsExactlyElementsOf(inProgress.stream().map(d -> d.id).toList());

        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ReadingAdmission()),
                ReadingAdmission.keySelector(), Types.STRING)) {
            harness.open();
            for (DataPoint d : inProgress) harness.processElement(new StreamRecord<>(d, d.eventTimeMillis()));
            for (DataPoint d : done) harness.processElement(new StreamRecord<>(d, d.eventTimeMillis()));
            for (DataPoint d : done) harness.processElement(new StreamRecord<>(d, d.eventTimeMillis())); // exact repeat
            assertThat(harness.extractOutputValues()).extracting(d -> d.metric + " r" + d.revision + " " + d.value
                    + " until " + d.endTime).containsExactly(
                    "strain r1 3.1 until 2026-11-27T09:58:40Z",
                    "energy_expenditure r1 2410.5 until 2026-11-27T09:58:40Z",
                    "strain r2 14.2 until 2026-11-28T06:12:40Z",
                    "energy_expenditure r2 10212.9 until 2026-11-28T06:12:40Z");
        }
    }

    @Test
    void sleep() {
        ParseResult r = accepted("whoop/sleep.json");
        String at = " 2026-11-26T22:31:07Z..2026-11-27T06:28:55Z VENDOR_OFFSET rec=ecfc6a15-4661-442f-a9a4-f160dd7afae8";
        // Light 13680000 + slow wave 6122000 + REM 6736000 ms asleep.
        assertThat(describePoints(r)).containsExactly(
                "sleep_duration 26538.0 s raw=26538000 ms" + at,
                "respiratory_rate 15.2 breaths/min raw=15.2 breaths/min" + at,
                "sleep_efficiency 92.57 % raw=92.57 %" + at);
        assertEnvelopeFields(r, "u-17", STRAP, "whoop", "2026-11-27T06:40:00Z");
    }

    @Test
    void badRecordsAreDeadLetters() {
        rejected(json("whoop/cycle-invalid-missing-start.json"), DeadLetterReason.MISSING_FIELD, "missing field payload.start");

        ObjectNode state = json("whoop/recovery.json");
        ((ObjectNode) state.get("payload")).put("score_state", "DONE");
        rejected(state, DeadLetterReason.INVALID_FIELD, "payload.score_state must be SCORED, PENDING_SCORE or UNSCORABLE");

        ObjectNode noScore = json("whoop/recovery.json");
        ((ObjectNode) noScore.get("payload")).remove("score");
        rejected(noScore, DeadLetterReason.MISSING_FIELD, "missing field payload.score");

        ObjectNode calibrating = json("whoop/recovery.json");
        ((ObjectNode) calibrating.get("payload").get("score")).put("user_calibrating", "no");
        rejected(calibrating, DeadLetterReason.INVALID_FIELD, "payload.score.user_calibrating must be a boolean");

        ObjectNode noId = json("whoop/sleep.json");
        ((ObjectNode) noId.get("payload")).remove("id");
        rejected(noId, DeadLetterReason.MISSING_FIELD, "missing field payload.id");

        ObjectNode stages = json("whoop/sleep.json");
        ((ObjectNode) stages.get("payload").get("score").get("stage_summary")).remove("total_rem_sleep_time_milli");
        rejected(stages, DeadLetterReason.MISSING_FIELD, "missing field payload.score.stage_summary.total_rem_sleep_time_milli");

        ObjectNode backwards = json("whoop/sleep.json");
        ((ObjectNode) backwards.get("payload")).put("end", "2026-11-26T21:00:00.000Z");
        rejected(backwards, DeadLetterReason.INVALID_FIELD, "is before start");

        ObjectNode array = json("whoop/sleep.json");
        array.set("payload", array.arrayNode().add(array.get("payload")));
        rejected(array, DeadLetterReason.INVALID_FIELD, "payload of whoop/sleep must be an object, got array");
    }
}
