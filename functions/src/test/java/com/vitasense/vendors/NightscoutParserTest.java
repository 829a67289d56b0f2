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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NightscoutParserTest {
    private static final String NS = "nightscout-xdrip-u17";

    @Test
    void entriesBecomePointsSensorErrorsAndReferences() {
        ParseResult r = accepted("nightscout/entries.json");
        assertThat(describePoints(r)).containsExactly(
                "glucose 142.0 mg/dL raw=142 mg/dL 2026-11-27T09:40:00Z VENDOR_OFFSET model=xDrip-DexcomG6",
                "glucose 138.0 mg/dL raw=138 mg/dL 2026-11-27T09:45:00Z VENDOR_OFFSET model=xDrip-DexcomG6",
                // 39 is the uploaders' LOW.
                "glucose 40.0 mg/dL raw=39 mg/dL 2026-11-27T09:50:00Z VENDOR_OFFSET model=xDrip-DexcomG6 [SENSOR_LIMIT_LOW]");
        // sgv 9 and 5 are error codes, never glucose of 9 or 5 mg/dL.
        assertThat(describeEvents(r)).containsExactly(
                "SENSOR_ERROR " + NS + " @2026-11-27T09:55:00Z VENDOR_OFFSET model=xDrip-DexcomG6 code=9 error=absolute deviation",
                "SENSOR_ERROR " + NS + " @2026-11-27T10:00:00Z VENDOR_OFFSET model=xDrip-DexcomG6 code=5 error=sensor not calibrated");
        assertThat(r.references()).extracting(VendorFixtures::describe).containsExactly(
                "nightscout_mbg glucose 156.0 mg/dL raw=156 mg/dL @2026-11-27T09:23:45Z",
                "nightscout_cal glucose null mg/dL raw=null null @2026-11-27T09:23:46Z slope=870.5 intercept=31200.0 scale=1.0");
        assertEnvelopeFields(r, "u-17", NS, "nightscout", "2026-11-27T10:01:00Z");
    }

    @ParameterizedTest(name = "sgv {0}")
    @CsvSource({"1, sensor not active", "2, minimal deviation", "3, no antenna", "5, sensor not calibrated",
            "6, counts deviation", "9, absolute deviation", "10, power deviation", "12, bad RF",
            "0, unknown sensor error", "38, unknown sensor error"})
    void everyErrorCodeIsASensorError(int sgv, String description) {
        ObjectNode env = json("nightscout/entries.json");
        ((ObjectNode) env.get("payload").get(0)).put("sgv", sgv);
        ParseResult r = accepted(env);
        assertThat(r.points()).hasSize(2);
        DeviceEvent e = r.deviceEvents().get(0);
        assertThat(e.type).isEqualTo("SENSOR_ERROR");
        assertThat(e.errorCode).isEqualTo(Integer.toString(sgv));
        assertThat(e.error).isEqualTo(description);
    }

    @Test
    void highValuesAreKeptAsSent() {
        ObjectNode env = json("nightscout/entries.json");
        ((ObjectNode) env.get("payload").get(0)).put("sgv", 455);
        DataPoint p = accepted(env).points().get(0);
        assertThat(p.value).isEqualTo(455.0);
        assertThat(p.qualityFlags).isZero();
    }

    @Test
    void dateStringIsTheFallbackTime() {
        ObjectNode env = json("nightscout/entries.json");
        ((ObjectNode) env.get("payload").get(0)).remove("date");
        ((ObjectNode) env.get("payload").get(0)).put("dateString", "2026-11-27T10:40:00.000+01:00");
        DataPoint p = accepted(env).points().get(0);
        assertThat(p.startTime).hasToString("2026-11-27T09:40:00Z");

        ((ObjectNode) env.get("payload").get(0)).put("date", 1795772400000.0);
        assertThat(accepted(env).points().get(0).startTime).hasToString("2026-11-27T09:40:00Z");
    }

    @Test
    void badEntriesAreDeadLetters() {
        ObjectNode type = json("nightscout/entries.json");
        ((ObjectNode) type.get("payload").get(2)).put("type", "sensor");
        rejected(type, DeadLetterReason.NOT_YET_SUPPORTED, "nightscout entry type 'sensor' at payload[2] is not mapped yet");

        ObjectNode negative = json("nightscout/entries.json");
        ((ObjectNode) negative.get("payload").get(0)).put("sgv", -3);
        rejected(negative, DeadLetterReason.INVALID_FIELD, "payload[0].sgv -3 is neither glucose nor an error code");

        ObjectNode noSgv = json("nightscout/entries.json");
        ((ObjectNode) noSgv.get("payload").get(1)).remove("sgv");
        rejected(noSgv, DeadLetterReason.MISSING_FIELD, "missing field payload[1].sgv");

        ObjectNode noSlope = json("nightscout/entries.json");
        ((ObjectNode) noSlope.get("payload").get(6)).remove("slope");
        rejected(noSlope, DeadLetterReason.MISSING_FIELD, "missing field payload[6].slope");

        ObjectNode noTime = json("nightscout/entries.json");
        for (String f : new String[] {"date", "dateString", "sysTime"}) ((ObjectNode) noTime.get("payload").get(0)).remove(f);
        rejected(noTime, DeadLetterReason.MISSING_FIELD, "missing field payload[0].date");

        ObjectNode seconds = json("nightscout/entries.json");
        ((ObjectNode) seconds.get("payload").get(0)).put("date", 1795772400L);
        rejected(seconds, DeadLetterReason.INVALID_FIELD, "payload[0].date is outside");

        ObjectNode object = json("nightscout/entries.json");
        object.set("payload", object.objectNode().set("entries", object.get("payload")));
        rejected(object, DeadLetterReason.INVALID_FIELD, "payload of nightscout/entries must be an array, got object");

        ObjectNode nonObject = json("nightscout/entries.json");
        ((ArrayNode) nonObject.get("payload")).add(142);
        rejected(nonObject, DeadLetterReason.INVALID_FIELD, "element payload[7] must be an object, got number");

        rejected(json("nightscout/entries.json").put("kind", "treatments"), DeadLetterReason.UNKNOWN_KIND,
                "unknown kind 'treatments' for vendor nightscout");
    }
}
