package com.vitasense.vendors;

import static com.vitasense.vendors.VendorFixtures.accepted;
import static com.vitasense.vendors.VendorFixtures.assertEnvelopeFields;
import static com.vitasense.vendors.VendorFixtures.describeEvents;
import static com.vitasense.vendors.VendorFixtures.describePoints;
import static com.vitasense.vendors.VendorFixtures.json;
import static com.vitasense.vendors.VendorFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Ids;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FitbitParserTest {
    private static final String CHARGE = "fitbit-charge6-2731912345";

    @Test
    void heartRateDayWithRestingHeartRate() {
        ParseResult r = accepted("fitbit/heart_intraday.json");
        // Berlin is UTC+1 in November: local midnight is 23:00Z of the day before.
        assertThat(describePoints(r)).containsExactly(
                "resting_heart_rate 58.0 bpm raw=58 bpm 2026-11-26T23:00:00Z..2026-11-27T23:00:00Z PROFILE_TIME_ZONE",
                "heart_rate 61.0 bpm raw=61 bpm 2026-11-26T23:00:00Z..2026-11-26T23:01:00Z PROFILE_TIME_ZONE",
                "heart_rate 60.0 bpm raw=60 bpm 2026-11-26T23:01:00Z..2026-11-26T23:02:00Z PROFILE_TIME_ZONE",
                "heart_rate 62.0 bpm raw=62 bpm 2026-11-26T23:02:00Z..2026-11-26T23:03:00Z PROFILE_TIME_ZONE",
                "heart_rate 88.0 bpm raw=88 bpm 2026-11-27T06:30:00Z..2026-11-27T06:31:00Z PROFILE_TIME_ZONE",
                "heart_rate 64.0 bpm raw=64 bpm 2026-11-27T22:59:00Z..2026-11-27T23:00:00Z PROFILE_TIME_ZONE");
        assertEnvelopeFields(r, "u-17", CHARGE, "fitbit", "2026-11-28T06:10:00Z");
        // No vendor ids: the id is the content.
        DataPoint first = r.points().get(1);
        assertThat(first.sourceRecordId).isNull();
        assertThat(first.id).isEqualTo(Ids.hash("point", "u-17", CHARGE, "heart_rate", "2026-11-26T23:00:00Z",
                "2026-11-26T23:01:00Z", null));
    }

    /**
     * Berlin, 2026-10-25: at 03:00 CEST clocks go back to 02:00 CET, so the tracker logs 02:00-02:59
     * twice. The first pass is CEST (UTC+2), the second CET (UTC+1): eight distinct, increasing
     * instants, and a day of 25 hours.
     */
    @Test
    void dayWhenClocksGoBackGetsEveryMinuteOnce() {
        ParseResult r = accepted("fitbit/heart_intraday-dst.json");
        assertThat(describePoints(r)).containsExactly(
                "resting_heart_rate 54.0 bpm raw=54 bpm 2026-10-24T22:00:00Z..2026-10-25T23:00:00Z PROFILE_TIME_ZONE",
                "heart_rate 57.0 bpm raw=57 bpm 2026-10-24T23:59:00Z..2026-10-25T00:00:00Z PROFILE_TIME_ZONE",
                "heart_rate 56.0 bpm raw=56 bpm 2026-10-25T00:00:00Z..2026-10-25T00:01:00Z PROFILE_TIME_ZONE",
                "heart_rate 55.0 bpm raw=55 bpm 2026-10-25T00:30:00Z..2026-10-25T00:31:00Z PROFILE_TIME_ZONE",
                "heart_rate 58.0 bpm raw=58 bpm 2026-10-25T00:59:00Z..2026-10-25T01:00:00Z PROFILE_TIME_ZONE",
                "heart_rate 54.0 bpm raw=54 bpm 2026-10-25T01:00:00Z..2026-10-25T01:01:00Z PROFILE_TIME_ZONE",
                "heart_rate 56.0 bpm raw=56 bpm 2026-10-25T01:30:00Z..2026-10-25T01:31:00Z PROFILE_TIME_ZONE",
                "heart_rate 55.0 bpm raw=55 bpm 2026-10-25T01:59:00Z..2026-10-25T02:00:00Z PROFILE_TIME_ZONE",
                "heart_rate 57.0 bpm raw=57 bpm 2026-10-25T02:00:00Z..2026-10-25T02:01:00Z PROFILE_TIME_ZONE");
        assertEnvelopeFields(r, "u-17", CHARGE, "fitbit", "2026-10-26T05:12:00Z");
        DataPoint day = r.points().get(0);
        assertThat(Duration.between(day.startTime, day.endTime)).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void dayWhenClocksGoForwardHas23Hours() {
        ObjectNode env = json("fitbit/heart_intraday.json");
        ((ObjectNode) env.get("payload").get("activities-heart").get(0)).put("dateTime", "2026-03-29");
        DataPoint day = accepted(env).points().get(0);
        assertThat(day.startTime).hasToString("2026-03-28T23:00:00Z");
        assertThat(Duration.between(day.startTime, day.endTime)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void withoutAProfileTimeZoneTimesAreAssumedUtc() {
        ParseResult r = accepted("fitbit/heart_intraday-no-zone.json");
        // Older summary format: value is a string and carries no resting heart rate.
        assertThat(describePoints(r)).containsExactly(
                "heart_rate 71.0 bpm raw=71 bpm 2026-11-27T12:00:03Z..2026-11-27T12:00:04Z ASSUMED_UTC",
                "heart_rate 73.0 bpm raw=73 bpm 2026-11-27T12:00:08Z..2026-11-27T12:00:09Z ASSUMED_UTC",
                "heart_rate 72.0 bpm raw=72 bpm 2026-11-27T12:00:18Z..2026-11-27T12:00:19Z ASSUMED_UTC");
        assertEnvelopeFields(r, "u-17", "fitbit-versa2-1998012", "fitbit", "2026-11-27T13:00:05Z");
    }

    @Test
    void stepsIntradayKeepsZeroMinutesAndSkipsTheDayTotal() {
        ParseResult r = accepted("fitbit/steps_intraday.json");
        assertThat(describePoints(r)).containsExactly(
                "steps 0.0 count raw=0 count 2026-11-26T23:00:00Z..2026-11-26T23:15:00Z PROFILE_TIME_ZONE",
                "steps 0.0 count raw=0 count 2026-11-26T23:15:00Z..2026-11-26T23:30:00Z PROFILE_TIME_ZONE",
                "steps 412.0 count raw=412 count 2026-11-27T06:45:00Z..2026-11-27T07:00:00Z PROFILE_TIME_ZONE",
                "steps 1093.0 count raw=1093 count 2026-11-27T07:00:00Z..2026-11-27T07:15:00Z PROFILE_TIME_ZONE");
        assertEnvelopeFields(r, "u-17", CHARGE, "fitbit", "2026-11-27T08:20:00Z");
    }

    @Test
    void withoutIntradayDataTheDayTotalStringIsOnePoint() {
        ParseResult r = accepted("fitbit/steps_intraday-day-total.json");
        assertThat(describePoints(r)).containsExactly(
                "steps 8765.0 count raw=8765 count 2026-11-26T23:00:00Z..2026-11-27T23:00:00Z PROFILE_TIME_ZONE");
    }

    @Test
    void datasetValuesSentAsStringsAreRead() {
        ObjectNode env = json("fitbit/heart_intraday.json");
        ((ObjectNode) env.get("payload").get("activities-heart-intraday").get("dataset").get(0)).put("value", "61");
        assertThat(accepted(env).points().get(1).value).isEqualTo(61.0);
    }

    @Test
    void devicesListBecomesOneStatusPerDeviceAndTheTrackerIsTheEnvelopesDevice() {
        ParseResult r = accepted("fitbit/devices.json");
        assertThat(r.points()).isEmpty();
        assertThat(describeEvents(r)).containsExactly(
                // lastSyncTime is local (Berlin, UTC+1).
                "DEVICE_STATUS " + CHARGE + " @2026-11-27T08:41:12Z PROFILE_TIME_ZONE model=Charge 6 vendorId=2731912345"
                        + " battery=64.0 state=medium lastSync=2026-11-27T08:41:12Z",
                "DEVICE_STATUS " + CHARGE + "/1873355 @2026-11-26T06:02:45Z PROFILE_TIME_ZONE model=Aria Air"
                        + " vendorId=1873355 state=high lastSync=2026-11-26T06:02:45Z");
        DeviceEvent tracker = r.deviceEvents().get(0);
        assertThat(tracker.id).isEqualTo(Ids.hash("device_event", "DEVICE_STATUS", "u-17", CHARGE,
                "2026-11-27T08:41:12Z", "2731912345"));
        assertThat(tracker.syncId).isEqualTo("s-fitbit-1127c");
    }

    @Test
    void aSingleNonTrackerDeviceIsTheEnvelopesDevice() {
        ObjectNode env = json("fitbit/devices.json");
        ArrayNode list = (ArrayNode) env.get("payload");
        list.remove(0);
        ((ObjectNode) list.get(0)).remove("lastSyncTime");
        DeviceEvent scale = accepted(env).deviceEvents().get(0);
        assertThat(scale.deviceId).isEqualTo(CHARGE);
        assertThat(scale.eventTime).as("no sync time: when we received the list").hasToString("2026-11-27T08:42:00Z");
        assertThat(scale.timeSource).isNull();
        assertThat(scale.lastSync).isNull();
    }

    @Test
    void emptyDatasetsAndListsYieldNothing() {
        ObjectNode env = json("fitbit/steps_intraday.json");
        ((ObjectNode) env.get("payload").get("activities-steps-intraday")).set("dataset",
                env.arrayNode());
        assertThat(accepted(env).points()).isEmpty();
        ObjectNode devices = json("fitbit/devices.json");
        devices.set("payload", devices.arrayNode());
        assertThat(accepted(devices).deviceEvents()).isEmpty();
    }

    @Test
    void badPayloadsAreDeadLetters() {
        ObjectNode twoDays = json("fitbit/heart_intraday.json");
        ArrayNode days = (ArrayNode) twoDays.get("payload").get("activities-heart");
        days.add(days.get(0).deepCopy());
        rejected(twoDays, DeadLetterReason.INVALID_FIELD, "payload.activities-heart must hold exactly one day, got 2");

        ObjectNode badClock = json("fitbit/heart_intraday.json");
        ((ObjectNode) badClock.get("payload").get("activities-heart-intraday").get("dataset").get(2))
                .put("time", "24:00:00");
        rejected(badClock, DeadLetterReason.INVALID_FIELD,
                "field payload.activities-heart-intraday.dataset[2].time is not a time of day");

        ObjectNode noValue = json("fitbit/steps_intraday.json");
        ((ObjectNode) noValue.get("payload").get("activities-steps-intraday").get("dataset").get(3)).remove("value");
        rejected(noValue, DeadLetterReason.MISSING_FIELD, "missing field payload.activities-steps-intraday.dataset[3].value");

        ObjectNode hourly = json("fitbit/steps_intraday.json");
        ((ObjectNode) hourly.get("payload").get("activities-steps-intraday")).put("datasetType", "hour");
        rejected(hourly, DeadLetterReason.INVALID_FIELD, "datasetType must be minute or second");

        ObjectNode badDate = json("fitbit/steps_intraday.json");
        ((ObjectNode) badDate.get("payload").get("activities-steps").get(0)).put("dateTime", "27.11.2026");
        rejected(badDate, DeadLetterReason.INVALID_FIELD, "payload.activities-steps[0].dateTime is not a date");

        ObjectNode objectDevices = json("fitbit/devices.json");
        objectDevices.set("payload", objectDevices.objectNode().set("devices", objectDevices.get("payload")));
        rejected(objectDevices, DeadLetterReason.INVALID_FIELD, "payload of fitbit/devices must be an array, got object");

        ObjectNode battery = json("fitbit/devices.json");
        ((ObjectNode) battery.get("payload").get(0)).put("batteryLevel", 140);
        rejected(battery, DeadLetterReason.INVALID_FIELD, "payload[0].batteryLevel must be within 0..100 %");

        rejected(json("fitbit/sleep-invalid-unknown-kind.json"), DeadLetterReason.UNKNOWN_KIND,
                "unknown kind 'sleep' for vendor fitbit");
    }

    @Test
    void sameDayResentGivesTheSameIds() {
        List<String> first = accepted("fitbit/heart_intraday.json").points().stream().map(p -> p.id).toList();
        List<String> again = accepted("fitbit/heart_intraday.json").points().stream().map(p -> p.id).toList();
        assertThat(again).isEqualTo(first);
    }
}
