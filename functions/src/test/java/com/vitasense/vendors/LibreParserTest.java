package com.vitasense.vendors;

import static com.vitasense.vendors.VendorFixtures.accepted;
import static com.vitasense.vendors.VendorFixtures.assertEnvelopeFields;
import static com.vitasense.vendors.VendorFixtures.describePoints;
import static com.vitasense.vendors.VendorFixtures.json;
import static com.vitasense.vendors.VendorFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import org.junit.jupiter.api.Test;

class LibreParserTest {
    @Test
    void glucoseItemsAtTheirUtcFactoryTime() {
        ParseResult r = accepted("libre/glucose.json");
        assertThat(describePoints(r)).containsExactly(
                "glucose 131.0 mg/dL raw=131 mg/dL 2026-11-27T09:30:12Z VENDOR_OFFSET model=FreeStyle Libre",
                "glucose 142.0 mg/dL raw=142 mg/dL 2026-11-27T09:45:12Z VENDOR_OFFSET model=FreeStyle Libre",
                // HI on the reader: the number is kept, flagged as the sensor's limit.
                "glucose 500.0 mg/dL raw=500 mg/dL 2026-11-27T09:52:12Z VENDOR_OFFSET model=FreeStyle Libre [SENSOR_LIMIT_HIGH]",
                "glucose 146.0 mg/dL raw=146 mg/dL 2026-11-27T09:59:12Z VENDOR_OFFSET model=FreeStyle Libre");
        assertEnvelopeFields(r, "u-17", "libre3-0M0008B8CV", "libre", "2026-11-27T10:01:00Z");
    }

    @Test
    void mmolAccountFactoryAndLocalTimestamps() {
        ParseResult r = accepted("libre/glucose-mmol.json");
        assertThat(describePoints(r)).containsExactly(
                // ValueInMgPerDl wins over Value in the account's unit.
                "glucose 113.0 mg/dL raw=113 mg/dL 2026-11-27T01:15:00Z VENDOR_OFFSET model=FreeStyle Libre",
                // Without it, Value in mmol/L (GlucoseUnits 0) with the one factor.
                "glucose " + (5.9 * 18.0156) + " mg/dL raw=5.9 mmol/L 2026-11-27T01:30:00Z VENDOR_OFFSET model=FreeStyle Libre",
                // Only the phone's local Timestamp (02:45 in Berlin).
                "glucose 101.0 mg/dL raw=101 mg/dL 2026-11-27T01:45:00Z PROFILE_TIME_ZONE model=FreeStyle Libre");
        assertEnvelopeFields(r, "u-17", "libre2-3MH00A1K2P", "libre", "2026-11-27T02:00:00Z");
    }

    @Test
    void localTimestampWithoutProfileZoneIsAssumedUtc() {
        ObjectNode env = json("libre/glucose-mmol.json");
        env.remove("time_zone");
        DataPoint p = accepted(env).points().get(2);
        assertThat(p.startTime).hasToString("2026-11-27T02:45:00Z");
        assertThat(p.timeSource).isEqualTo("ASSUMED_UTC");
    }

    @Test
    void lowFlag() {
        ObjectNode env = json("libre/glucose.json");
        ((ObjectNode) env.get("payload").get("items").get(0)).put("isLow", true).put("ValueInMgPerDl", 40);
        DataPoint p = accepted(env).points().get(0);
        assertThat(p.flagNames()).containsExactly("SENSOR_LIMIT_LOW");
        assertThat(p.value).isEqualTo(40.0);
    }

    @Test
    void badItemsAreDeadLetters() {
        ObjectNode units = json("libre/glucose-mmol.json");
        ((ObjectNode) units.get("payload").get("items").get(1)).put("GlucoseUnits", 2);
        rejected(units, DeadLetterReason.INVALID_FIELD, "payload.items[1].GlucoseUnits must be 0 (mmol/L) or 1 (mg/dL)");

        ObjectNode noUnits = json("libre/glucose-mmol.json");
        ((ObjectNode) noUnits.get("payload").get("items").get(1)).remove("GlucoseUnits");
        rejected(noUnits, DeadLetterReason.MISSING_FIELD, "missing field payload.items[1].GlucoseUnits");

        ObjectNode time = json("libre/glucose.json");
        ((ObjectNode) time.get("payload").get("items").get(0)).put("FactoryTimestamp", "2026-11-27T09:30:12Z");
        rejected(time, DeadLetterReason.INVALID_FIELD, "payload.items[0].FactoryTimestamp is not a LibreLinkUp timestamp");

        ObjectNode noTime = json("libre/glucose.json");
        ((ObjectNode) noTime.get("payload").get("items").get(3)).remove("FactoryTimestamp");
        ((ObjectNode) noTime.get("payload").get("items").get(3)).remove("Timestamp");
        rejected(noTime, DeadLetterReason.MISSING_FIELD, "missing field payload.items[3].FactoryTimestamp");

        ObjectNode noItems = json("libre/glucose.json");
        ((ObjectNode) noItems.get("payload")).remove("items");
        rejected(noItems, DeadLetterReason.MISSING_FIELD, "missing field payload.items");

        ObjectNode kind = json("libre/glucose.json");
        kind.put("kind", "graph");
        rejected(kind, DeadLetterReason.UNKNOWN_KIND, "unknown kind 'graph' for vendor libre");
    }
}
