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
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppleHealthParserTest {
    private static final String WATCH = "apple-watch6-1-janes-apple-watch";

    @Test
    void heartRateFromTheExportIsExactlyThisPoint() {
        ParseResult r = accepted("apple_health/record-heart-rate.json");

        DataPoint expected = new DataPoint();
        expected.id = Ids.hash("point", "u-17", WATCH, "heart_rate", "2026-11-27T09:00:00Z", "2026-11-27T09:00:00Z", null);
        expected.revision = 1;
        expected.userId = "u-17";
        expected.deviceId = WATCH;
        expected.vendor = "apple_health";
        expected.deviceModel = "Apple Watch (Watch6,1)";
        expected.metric = "heart_rate";
        expected.value = 72.0;
        expected.unit = "bpm";
        expected.rawValue = "72";
        expected.rawUnit = "count/min";
        expected.startTime = Instant.parse("2026-11-27T09:00:00Z");
        expected.endTime = expected.startTime;
        expected.timeSource = "VENDOR_OFFSET";
        expected.ingestedAt = Instant.parse("2026-11-27T09:04:58Z");
        assertThat(r.points()).containsExactly(expected);
        assertThat(r.deviceEvents()).isEmpty();
        assertThat(r.references()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "record-resting-heart-rate.json  | resting_heart_rate 57.0 bpm raw=57 count/min 2026-11-26T23:01:12Z..2026-11-27T21:51:40Z VENDOR_OFFSET",
            "record-step-count.json          | steps 412.0 count raw=412 count 2026-11-27T08:08:11Z..2026-11-27T08:18:02Z VENDOR_OFFSET model=iPhone (iPhone14,5)",
            "record-hrv-sdnn.json            | hrv_sdnn 48.2397 ms raw=48.2397 ms 2026-11-27T06:11:04Z..2026-11-27T06:12:04Z VENDOR_OFFSET model=Apple Watch (Watch6,1)",
            // HealthKit's % is a 0..1 fraction.
            "record-oxygen-saturation.json   | spo2 97.0 % raw=0.97 % 2026-11-27T02:44:12Z VENDOR_OFFSET model=Apple Watch (Watch6,1)",
            "record-respiratory-rate.json    | respiratory_rate 14.5 breaths/min raw=14.5 count/min 2026-11-27T03:02:31Z..2026-11-27T03:05:29Z VENDOR_OFFSET model=Apple Watch (Watch6,1)",
            // SDK clients: JSON numbers and ISO-8601 dates.
            "record-body-temperature-degf.json | body_temperature 37.0 degC raw=98.6 degF 2026-11-27T06:30:00Z VENDOR_OFFSET",
            "record-body-mass-lb.json        | body_mass 69.989302691 kg raw=154.3 lb 2026-11-27T06:01:55Z VENDOR_OFFSET",
            "record-sleep-analysis.json      | sleep_stage rem raw=HKCategoryValueSleepAnalysisAsleepREM null 2026-11-27T01:10:30Z..2026-11-27T01:34:00Z VENDOR_OFFSET model=Apple Watch (Watch6,1)",
            "workout.json                    | workout_duration running 1950.0 s raw=32.5 min 2026-11-26T17:12:20Z..2026-11-26T17:44:50Z VENDOR_OFFSET model=Apple Watch (Watch6,1)",
    })
    void everySampleTypeBecomesItsCanonicalPoint(String fixture, String expected) {
        ParseResult r = accepted("apple_health/" + fixture);
        assertThat(describePoints(r)).containsExactly(expected);
        assertEnvelopeFields(r, "u-17", json("apple_health/" + fixture).get("device_id").asText(), "apple_health",
                json("apple_health/" + fixture).get("received_at").asText());
    }

    @Test
    void molarGlucoseUnitIsConvertedWithTheOneFactorAndUserEntryIsFlagged() {
        ParseResult r = accepted("apple_health/record-blood-glucose-mmol.json");
        DataPoint p = r.points().get(0);
        assertThat(describePoints(r)).containsExactly("glucose " + (6.1 * 18.0156)
                + " mg/dL raw=6.1 mmol<180.1558800000541>/L 2026-11-27T07:14:00Z VENDOR_OFFSET [USER_ENTERED]");
        assertThat(p.flags()).containsExactly(QualityFlag.USER_ENTERED);
        assertThat(p.deviceModel).as("no HKDevice: an app, not a device").isNull();
    }

    @Test
    void everyExportSleepValueHasItsCategory() {
        String[][] cases = {
                {"HKCategoryValueSleepAnalysisInBed", "in_bed"}, {"HKCategoryValueSleepAnalysisAsleep", "asleep"},
                {"HKCategoryValueSleepAnalysisAsleepCore", "core"}, {"HKCategoryValueSleepAnalysisAsleepDeep", "deep"},
                {"HKCategoryValueSleepAnalysisAsleepREM", "rem"}, {"HKCategoryValueSleepAnalysisAwake", "awake"},
                {"HKCategoryValueSleepAnalysisAsleepUnspecified", "unspecified"},
                // SDK clients may send the enum's raw value.
                {"0", "in_bed"}, {"1", "unspecified"}, {"2", "awake"}, {"3", "core"}, {"4", "deep"}, {"5", "rem"}};
        for (String[] c : cases) {
            ObjectNode env = json("apple_health/record-sleep-analysis.json");
            ((ObjectNode) env.get("payload")).put("value", c[0]);
            DataPoint p = accepted(env).points().get(0);
            assertThat(p.category).as(c[0]).isEqualTo(c[1]);
            assertThat(p.value).isNull();
            assertThat(p.unit).isNull();
            assertThat(p.rawValue).isEqualTo(c[0]);
        }
        ObjectNode numeric = json("apple_health/record-sleep-analysis.json");
        ((ObjectNode) numeric.get("payload")).put("value", 4);
        assertThat(accepted(numeric).points().get(0).category).isEqualTo("deep");
    }

    @Test
    void oxygenSaturationAlreadyInPercentIsBelieved() {
        ObjectNode env = json("apple_health/record-oxygen-saturation.json");
        ((ObjectNode) env.get("payload")).put("value", 96);
        DataPoint p = accepted(env).points().get(0);
        assertThat(p.value).isEqualTo(96.0);
        assertThat(p.rawValue).isEqualTo("96");
    }

    @Test
    void workoutWithoutDurationLastsFromStartToEnd() {
        ObjectNode env = json("apple_health/workout.json");
        ObjectNode p = (ObjectNode) env.get("payload");
        p.remove("duration");
        p.remove("durationUnit");
        p.put("workoutActivityType", "HKWorkoutActivityTypeHighIntensityIntervalTraining");
        DataPoint point = accepted(env).points().get(0);
        assertThat(point.value).isEqualTo(1950.0);
        assertThat(point.category).isEqualTo("high_intensity_interval_training");
        assertThat(point.rawValue).isNull();
    }

    @Test
    void userEnteredOnlyWhenTheMetadataSaysSo() {
        ObjectNode env = json("apple_health/record-blood-glucose-mmol.json");
        ObjectNode metadata = (ObjectNode) env.get("payload").get("metadata");
        metadata.put("HKWasUserEntered", "0");
        assertThat(accepted(env).points().get(0).qualityFlags).isZero();
        metadata.put("HKWasUserEntered", true);
        assertThat(accepted(env).points().get(0).hasFlag(QualityFlag.USER_ENTERED)).isTrue();
        ((ObjectNode) env.get("payload")).remove("metadata");
        assertThat(accepted(env).points().get(0).qualityFlags).isZero();
    }

    @Test
    void deviceModelFromTheHkDeviceString() {
        assertThat(AppleHealthParser.deviceModel("<<HKDevice: 0x283a4c0f0>, name:Apple Watch, manufacturer:Apple Inc., "
                + "model:Watch, hardware:Watch6,1, software:10.1>")).isEqualTo("Apple Watch (Watch6,1)");
        assertThat(AppleHealthParser.deviceModel("<<HKDevice: 0x1>, name:Withings Body+, manufacturer:Withings>"))
                .isEqualTo("Withings Body+");
        assertThat(AppleHealthParser.deviceModel("<<HKDevice: 0x1>, model:Oura, hardware:Gen3>")).isEqualTo("Oura (Gen3)");
        assertThat(AppleHealthParser.deviceModel("no fields at all")).isNull();
        assertThat(AppleHealthParser.deviceModel(null)).isNull();
    }

    @Test
    void unmappedSampleTypeIsNotYetSupportedAndNamesTheType() {
        rejected(json("apple_health/record-invalid-unmapped-type.json"), DeadLetterReason.NOT_YET_SUPPORTED,
                "apple_health sample type 'HKQuantityTypeIdentifierDietaryCaffeine' is not mapped yet");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "startDate | remove              | MISSING_FIELD    | missing field payload.startDate",
            "startDate | 2026-11-27 10:00:00 | INVALID_FIELD    | is not an Apple Health date (yyyy-MM-dd HH:mm:ss +hhmm)",
            "startDate | 2026-11-27 25:00:00 +0100 | INVALID_FIELD | is not an Apple Health date",
            "startDate | 1999-12-31 23:00:00 +0000 | INVALID_FIELD | is outside",
            "endDate   | 2026-11-27 09:00:00 +0100 | INVALID_FIELD | is before start",
            "value     | remove              | MISSING_FIELD    | missing field payload.value",
            "value     | seventy-two         | INVALID_FIELD    | field payload.value is not a number",
            "value     | NaN                 | INVALID_FIELD    | field payload.value is not a number",
            "unit      | remove              | MISSING_FIELD    | heart_rate needs a unit",
            "unit      | mmHg                | UNSUPPORTED_UNIT | 'mmHg' is not a unit of heart_rate",
            "type      | remove              | MISSING_FIELD    | missing field payload.type",
    })
    void badRecordsAreDeadLetters(String field, String value, DeadLetterReason reason, String message) {
        ObjectNode env = json("apple_health/record-heart-rate.json");
        ObjectNode p = (ObjectNode) env.get("payload");
        if (value.equals("remove")) p.remove(field);
        else p.put(field, value);
        rejected(env, reason, message);
    }

    @Test
    void unknownKindIsUnknownKind() {
        ObjectNode env = json("apple_health/record-heart-rate.json");
        env.put("kind", "correlation");
        rejected(env, DeadLetterReason.UNKNOWN_KIND, "unknown kind 'correlation' for vendor apple_health");
    }
}
