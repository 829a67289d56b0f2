package com.vitasense.vendors;

import static com.vitasense.vendors.VendorFixtures.accepted;
import static com.vitasense.vendors.VendorFixtures.assertEnvelopeFields;
import static com.vitasense.vendors.VendorFixtures.describe;
import static com.vitasense.vendors.VendorFixtures.describeEvents;
import static com.vitasense.vendors.VendorFixtures.describePoints;
import static com.vitasense.vendors.VendorFixtures.json;
import static com.vitasense.vendors.VendorFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import org.junit.jupiter.api.Test;

class DexcomParserTest {
    private static final String CGM = "dexcom-g7-8XK2QJ";
    private static final String R1 = "a1f3c2e4-1b7d-4c55-9e0a-2f6b8d4c1e01";

    @Test
    void egvsAreGlucosePointsAtTheirUtcSystemTime() {
        ParseResult r = accepted("dexcom/egvs.json");
        assertThat(describePoints(r)).containsExactly(
                "glucose 104.0 mg/dL raw=104 mg/dL 2026-11-27T09:45:01Z VENDOR_OFFSET model=Dexcom G7 rec=" + R1,
                "glucose 101.0 mg/dL raw=101 mg/dL 2026-11-27T09:50:01Z VENDOR_OFFSET model=Dexcom G7 "
                        + "rec=a1f3c2e4-1b7d-4c55-9e0a-2f6b8d4c1e02",
                // No status and no trendRate: a normal reading still.
                "glucose 99.0 mg/dL raw=99 mg/dL 2026-11-27T09:55:01Z VENDOR_OFFSET model=Dexcom G7 "
                        + "rec=a1f3c2e4-1b7d-4c55-9e0a-2f6b8d4c1e03");
        assertThat(r.deviceEvents()).isEmpty();
        assertEnvelopeFields(r, "u-17", CGM, "dexcom", "2026-11-27T10:00:03Z");
        assertThat(r.points().get(0).id).isEqualTo(Ids.hash("point", "u-17", CGM, "glucose", "2026-11-27T09:45:01Z",
                null, R1));
    }

    @Test
    void sensorLimitsAreFlaggedLimitsAndAMissingValueIsASensorError() {
        ParseResult r = accepted("dexcom/egvs-sentinels.json");
        assertThat(describePoints(r)).containsExactly(
                "glucose 400.0 mg/dL raw=null mg/dL 2026-11-27T03:05:00Z VENDOR_OFFSET model=Dexcom G7 "
                        + "rec=c4e8a2b0-5f61-4d3a-b7c9-0e1f2a3b4c01 [SENSOR_LIMIT_HIGH]",
                "glucose 212.0 mg/dL raw=212 mg/dL 2026-11-27T03:10:00Z VENDOR_OFFSET model=Dexcom G7 "
                        + "rec=c4e8a2b0-5f61-4d3a-b7c9-0e1f2a3b4c02",
                "glucose 40.0 mg/dL raw=null mg/dL 2026-11-27T03:45:00Z VENDOR_OFFSET model=Dexcom G7 "
                        + "rec=c4e8a2b0-5f61-4d3a-b7c9-0e1f2a3b4c03 [SENSOR_LIMIT_LOW]");
        assertThat(describeEvents(r)).containsExactly("SENSOR_ERROR " + CGM + " @2026-11-27T03:50:00Z VENDOR_OFFSET "
                + "model=Dexcom G7 vendorId=8XK2QJ code=no_value error=EGV without a value (status ok)");
        DeviceEvent error = r.deviceEvents().get(0);
        assertThat(error.id).isEqualTo(Ids.hash("device_event", "SENSOR_ERROR", "u-17", CGM, "2026-11-27T03:50:00Z",
                "c4e8a2b0-5f61-4d3a-b7c9-0e1f2a3b4c04"));
        assertEnvelopeFields(r, "u-17", CGM, "dexcom", "2026-11-27T04:00:03Z");
    }

    @Test
    void aHighStatusWinsOverASentValue() {
        ObjectNode env = json("dexcom/egvs-sentinels.json");
        ((ObjectNode) env.get("payload").get("records").get(0)).put("value", 401);
        DataPoint p = accepted(env).points().get(0);
        assertThat(p.value).isEqualTo(DexcomParser.HIGH_LIMIT_MG_DL);
        assertThat(p.rawValue).isEqualTo("401");
        assertThat(p.flags()).containsExactly(QualityFlag.SENSOR_LIMIT_HIGH);
    }

    @Test
    void nullValueWithoutStatusIsASensorErrorToo() {
        ObjectNode env = json("dexcom/egvs-sentinels.json");
        ((ObjectNode) env.get("payload").get("records").get(3)).remove("status");
        assertThat(accepted(env).deviceEvents()).singleElement()
                .satisfies(e -> assertThat(e.error).isEqualTo("EGV without a value (status missing)"));
    }

    @Test
    void mmolValuesAreConvertedAndUnknownUnitIsMgPerDl() {
        ObjectNode env = json("dexcom/egvs.json");
        ObjectNode first = (ObjectNode) env.get("payload").get("records").get(0);
        first.put("value", 5.8).put("unit", "mmol/L");
        ((ObjectNode) env.get("payload").get("records").get(1)).put("unit", "unknown");
        ((ObjectNode) env.get("payload").get("records").get(2)).remove("unit");
        ParseResult r = accepted(env);
        assertThat(r.points()).extracting(p -> p.value + " " + p.unit + " raw=" + p.rawValue + " " + p.rawUnit)
                .containsExactly((5.8 * 18.0156) + " mg/dL raw=5.8 mmol/L", "101.0 mg/dL raw=101 unknown",
                        "99.0 mg/dL raw=99 null");
    }

    @Test
    void displayTimeIsOnlyAFallback() {
        // With an offset: taken as is.
        ObjectNode withOffset = json("dexcom/egvs.json");
        ((ObjectNode) withOffset.get("payload").get("records").get(0)).remove("systemTime");
        DataPoint p = accepted(withOffset).points().get(0);
        assertThat(p.startTime).hasToString("2026-11-27T09:45:01Z");
        assertThat(p.timeSource).isEqualTo("VENDOR_OFFSET");

        // Without an offset: the receiver's local clock, in the profile zone (Berlin, UTC+1) ...
        ObjectNode local = json("dexcom/egvs.json");
        ObjectNode rec = (ObjectNode) local.get("payload").get("records").get(0);
        rec.remove("systemTime");
        rec.put("displayTime", "2026-11-27T10:45:01");
        p = accepted(local).points().get(0);
        assertThat(p.startTime).hasToString("2026-11-27T09:45:01Z");
        assertThat(p.timeSource).isEqualTo("PROFILE_TIME_ZONE");

        // ... or assumed UTC without one.
        local.remove("time_zone");
        p = accepted(local).points().get(0);
        assertThat(p.startTime).hasToString("2026-11-27T10:45:01Z");
        assertThat(p.timeSource).isEqualTo("ASSUMED_UTC");

        // A displayTime that disagrees with systemTime (a receiver clock set wrong) does not matter.
        ObjectNode skewed = json("dexcom/egvs.json");
        ((ObjectNode) skewed.get("payload").get("records").get(0)).put("displayTime", "2026-11-27T11:52:00+01:00");
        assertThat(accepted(skewed).points().get(0).startTime).hasToString("2026-11-27T09:45:01Z");
    }

    @Test
    void revisedRecordKeepsItsId() {
        DataPoint original = accepted("dexcom/egvs.json").points().get(0);
        ObjectNode revised = json("dexcom/egvs.json");
        ((ObjectNode) revised.get("payload").get("records").get(0)).put("value", 107);
        DataPoint changed = accepted(revised).points().get(0);
        assertThat(changed.id).isEqualTo(original.id);
        assertThat(changed.contentHash()).isNotEqualTo(original.contentHash());
    }

    @Test
    void calibrationsAreFingerstickReferences() {
        ParseResult r = accepted("dexcom/calibrations.json");
        assertThat(r.points()).isEmpty();
        assertThat(r.references()).extracting(VendorFixtures::describe).containsExactly(
                "dexcom_calibration glucose 118.0 mg/dL raw=118 mg/dL @2026-11-27T07:12:44Z",
                "dexcom_calibration glucose " + (6.4 * 18.0156) + " mg/dL raw=6.4 mmol/L @2026-11-27T19:40:02Z");
        assertEnvelopeFields(r, "u-17", CGM, "dexcom", "2026-11-27T10:00:03Z");
        ReferenceMeasurement first = r.references().get(0);
        assertThat(first.slope).isNull();
    }

    @Test
    void devicesGiveTheLastUploadOldestFirst() {
        ParseResult r = accepted("dexcom/devices.json");
        assertThat(describeEvents(r)).containsExactly(
                "DEVICE_STATUS " + CGM + " @2026-10-02T18:20:00Z VENDOR_OFFSET model=Dexcom G6 vendorId=8G1MVB"
                        + " lastSync=2026-10-02T18:20:00Z",
                "DEVICE_STATUS " + CGM + " @2026-11-27T09:58:10Z VENDOR_OFFSET model=Dexcom G7 vendorId=8XK2QJ"
                        + " lastSync=2026-11-27T09:58:10Z");
        assertThat(r.deviceEvents()).extracting(e -> e.id).doesNotHaveDuplicates();
    }

    @Test
    void badPayloadsAreDeadLetters() {
        rejected(json("dexcom/egvs-invalid-unit.json"), DeadLetterReason.UNSUPPORTED_UNIT,
                "payload.records[0].unit must be mg/dL, mmol/L or unknown, got 'mmol/mol'");

        ObjectNode wrongType = json("dexcom/calibrations.json");
        wrongType.put("kind", "egvs");
        rejected(wrongType, DeadLetterReason.INVALID_FIELD, "payload.recordType is 'calibration', but kind egvs carries egv");

        ObjectNode noTime = json("dexcom/egvs.json");
        ObjectNode rec = (ObjectNode) noTime.get("payload").get("records").get(1);
        rec.remove("systemTime");
        rec.remove("displayTime");
        rejected(noTime, DeadLetterReason.MISSING_FIELD, "missing field payload.records[1].systemTime");

        ObjectNode badTime = json("dexcom/egvs.json");
        ((ObjectNode) badTime.get("payload").get("records").get(2)).put("systemTime", "27/11/2026 09:55");
        rejected(badTime, DeadLetterReason.INVALID_FIELD, "payload.records[2].systemTime is not an ISO-8601 date-time");

        ObjectNode noRecords = json("dexcom/egvs.json");
        ((ObjectNode) noRecords.get("payload")).remove("records");
        rejected(noRecords, DeadLetterReason.MISSING_FIELD, "missing field payload.records");

        ObjectNode calibration = json("dexcom/calibrations.json");
        ((ObjectNode) calibration.get("payload").get("records").get(0)).putNull("value");
        rejected(calibration, DeadLetterReason.MISSING_FIELD, "missing field payload.records[0].value");

        ObjectNode upload = json("dexcom/devices.json");
        ((ObjectNode) upload.get("payload").get("records").get(0)).remove("lastUploadDate");
        rejected(upload, DeadLetterReason.MISSING_FIELD, "missing field payload.records[0].lastUploadDate");

        ObjectNode kind = json("dexcom/egvs.json");
        kind.put("kind", "events");
        rejected(kind, DeadLetterReason.UNKNOWN_KIND, "unknown kind 'events' for vendor dexcom");
    }

    @Test
    void emptyPageYieldsNothing() {
        ObjectNode env = json("dexcom/egvs.json");
        ((ObjectNode) env.get("payload")).set("records", env.arrayNode());
        ParseResult r = accepted(env);
        assertThat(r.points()).isEmpty();
        assertThat(r.deviceEvents()).isEmpty();
    }

    @Test
    void describeShowsEveryField() {
        // Guards the helper the assertions above rely on.
        DataPoint p = accepted("dexcom/egvs-sentinels.json").points().get(0);
        assertThat(describe(p)).contains("[SENSOR_LIMIT_HIGH]", "rec=", "model=", "VENDOR_OFFSET");
    }
}
