package com.vitasense.vendors;

import static com.vitasense.vendors.Envelopes.DEVICE;
import static com.vitasense.vendors.Envelopes.USER;
import static com.vitasense.vendors.Envelopes.dataPoint;
import static com.vitasense.vendors.Envelopes.envelope;
import static com.vitasense.vendors.Envelopes.object;
import static com.vitasense.vendors.Envelopes.pointPayload;
import static com.vitasense.vendors.Envelopes.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.RawRecord;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.records.TimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeParserTest {
    private final EnvelopeParser parser = new EnvelopeParser();

    private DataPoint onePoint(ObjectNode envelope) {
        ParseResult r = parser.parse(record(envelope));
        assertThat(r.deadLetters()).as("dead letters").isEmpty();
        assertThat(r.deviceEvents()).isEmpty();
        assertThat(r.references()).isEmpty();
        assertThat(r.points()).hasSize(1);
        return r.points().get(0);
    }

    // ---------------------------------------------------------------- canonical data points

    @Test
    void canonicalDataPointBecomesExactlyThisPoint() {
        String json = """
                {"vendor": "canonical", "kind": "data_point", "user_id": "u-17", "device_id": "dexcom-g7-8XK2",
                 "received_at": "2026-11-27T10:00:03Z", "time_zone": "Europe/Berlin", "sync_id": "s-991",
                 "payload": {"metric": "glucose", "value": 5.8, "unit": "mmol/L",
                             "start_time": "2026-11-27T09:55:00Z", "end_time": "2026-11-27T10:00:00Z",
                             "device_model": "Dexcom G7", "source_record_id": "r-1", "user_entered": true}}
                """;
        ParseResult r = parser.parse(record(json));

        DataPoint expected = new DataPoint();
        expected.id = Ids.hash("point", "u-17", "dexcom-g7-8XK2", "glucose", "2026-11-27T09:55:00Z",
                "2026-11-27T10:00:00Z", "r-1");
        expected.revision = 1;
        expected.userId = "u-17";
        expected.deviceId = "dexcom-g7-8XK2";
        expected.vendor = "canonical";
        expected.deviceModel = "Dexcom G7";
        expected.metric = "glucose";
        expected.value = 5.8 * 18.0156;
        expected.category = null;
        expected.unit = "mg/dL";
        expected.rawValue = "5.8";
        expected.rawUnit = "mmol/L";
        expected.startTime = Instant.parse("2026-11-27T09:55:00Z");
        expected.endTime = Instant.parse("2026-11-27T10:00:00Z");
        expected.timeSource = "VENDOR_OFFSET";
        expected.withFlag(QualityFlag.USER_ENTERED);
        expected.qualityScore = null;
        expected.calibrationId = null;
        expected.sourceRecordId = "r-1";
        expected.ingestedAt = Instant.parse("2026-11-27T10:00:03Z");

        assertThat(r.isDeadLetter()).isFalse();
        assertThat(r.deadLetter()).isNull();
        assertThat(r.deviceEvents()).isEmpty();
        assertThat(r.references()).isEmpty();
        assertThat(r.points()).containsExactly(expected);
        DataPoint p = r.points().get(0);
        // Field by field too, so a failure names the field.
        assertThat(p.id).hasSize(32).isEqualTo(expected.id);
        assertThat(p.value).isCloseTo(104.49048, within(1e-9));
        assertThat(p.flags()).containsExactly(QualityFlag.USER_ENTERED);
        assertThat(p.flagNames()).containsExactly("USER_ENTERED");
        assertThat(p.category).isNull();
        assertThat(p.qualityScore).isNull();
        assertThat(p.calibrationId).isNull();
    }

    @Test
    void optionalFieldsDefault() {
        DataPoint p = onePoint(dataPoint(pointPayload("heart_rate", 72, "bpm", "2026-11-27T09:55:00Z")));
        assertThat(p.endTime).isEqualTo(p.startTime);
        assertThat(p.deviceModel).isNull();
        assertThat(p.sourceRecordId).isNull();
        assertThat(p.qualityFlags).isZero();
        assertThat(p.revision).isEqualTo(1);
        assertThat(p.value).isEqualTo(72.0);
        assertThat(p.unit).isEqualTo("bpm");
        assertThat(p.id).isEqualTo(Ids.hash("point", USER, DEVICE, "heart_rate", "2026-11-27T09:55:00Z",
                "2026-11-27T09:55:00Z", null));
    }

    @Test
    void userEnteredFalseSetsNoFlag() {
        ObjectNode payload = pointPayload("body_mass", 70, "kg", "2026-11-27T07:00:00Z");
        payload.put("user_entered", false);
        assertThat(onePoint(dataPoint(payload)).qualityFlags).isZero();
    }

    @Test
    void rawValueIsTheNumberAsSent() {
        assertThat(rawValueOf("5.80")).isEqualTo("5.80");
        assertThat(rawValueOf("100.0")).isEqualTo("100.0");
        assertThat(rawValueOf("72")).isEqualTo("72");
        assertThat(rawValueOf("-0.25")).isEqualTo("-0.25");
    }

    private String rawValueOf(String literal) {
        String json = "{\"vendor\":\"canonical\",\"kind\":\"data_point\",\"user_id\":\"u\",\"device_id\":\"d\","
                + "\"received_at\":\"2026-11-27T10:00:03Z\",\"payload\":{\"metric\":\"temperature_deviation\","
                + "\"value\":" + literal + ",\"unit\":\"degC\",\"start_time\":\"2026-11-27T00:00:00Z\"}}";
        ParseResult r = parser.parse(record(json));
        assertThat(r.deadLetters()).isEmpty();
        return r.points().get(0).rawValue;
    }

    @Test
    void categoricalSleepStage() {
        ObjectNode payload = object();
        payload.put("metric", "sleep_stage");
        payload.put("category", "deep");
        payload.put("start_time", "2026-11-27T02:00:00Z");
        payload.put("end_time", "2026-11-27T02:30:00Z");
        DataPoint p = onePoint(dataPoint(payload));
        assertThat(p.metric).isEqualTo("sleep_stage");
        assertThat(p.category).isEqualTo("deep");
        assertThat(p.value).isNull();
        assertThat(p.unit).isNull();
        assertThat(p.rawValue).isEqualTo("deep");
        assertThat(p.rawUnit).isNull();
        assertThat(p.endTime).isEqualTo(Instant.parse("2026-11-27T02:30:00Z"));
    }

    // ---------------------------------------------------------------- time sources

    @ParameterizedTest(name = "{0} (zone {1}) -> {2} {3}")
    @CsvSource(delimiter = ';', value = {
            "2026-11-27T10:00:00Z;              Europe/Berlin; 2026-11-27T10:00:00Z; VENDOR_OFFSET",
            "2026-11-27T10:00:00+01:00;         ;              2026-11-27T09:00:00Z; VENDOR_OFFSET",
            "2026-11-27T10:00:00.250-05:00;     Europe/Berlin; 2026-11-27T15:00:00.250Z; VENDOR_OFFSET",
            "2026-11-27T10:00:00+01:00[Europe/Berlin]; ;       2026-11-27T09:00:00Z; VENDOR_OFFSET",
            "2026-11-27T10:00:00;               Europe/Berlin; 2026-11-27T09:00:00Z; PROFILE_TIME_ZONE",
            "2026-07-01T10:00:00;               Europe/Berlin; 2026-07-01T08:00:00Z; PROFILE_TIME_ZONE",
            "2026-11-27T10:00:00;               America/New_York; 2026-11-27T15:00:00Z; PROFILE_TIME_ZONE",
            "2026-11-27T10:00:00;               ;              2026-11-27T10:00:00Z; ASSUMED_UTC",
    })
    void timeSources(String start, String zone, String expected, TimeSource source) {
        ObjectNode env = dataPoint(pointPayload("heart_rate", 60, "bpm", start));
        if (zone == null) env.remove("time_zone");
        else env.put("time_zone", zone);
        DataPoint p = onePoint(env);
        assertThat(p.startTime).isEqualTo(Instant.parse(expected));
        assertThat(p.timeSource).isEqualTo(source.name());
    }

    @Test
    void epochMillisAreVendorOffset() {
        ObjectNode payload = pointPayload("steps", 120, "count", "x");
        payload.put("start_time", 1_764_237_600_000L);
        payload.put("end_time", 1_764_237_660_000L);
        DataPoint p = onePoint(dataPoint(payload));
        assertThat(p.startTime).isEqualTo(Instant.ofEpochMilli(1_764_237_600_000L));
        assertThat(p.endTime).isEqualTo(Instant.ofEpochMilli(1_764_237_660_000L));
        assertThat(p.timeSource).isEqualTo("VENDOR_OFFSET");
    }

    @Test
    void missingReceivedAtFallsBackToTheRecordTimestamp() {
        ObjectNode env = dataPoint(pointPayload("heart_rate", 60, "bpm", "2026-11-27T09:00:00Z"));
        env.remove("received_at");
        ParseResult r = parser.parse(new RawRecord(com.vitasense.records.Json.toBytes(env), "t", 0, 1, 1_764_237_605_000L));
        assertThat(r.points()).singleElement()
                .satisfies(p -> assertThat(p.ingestedAt).isEqualTo(Instant.ofEpochMilli(1_764_237_605_000L)));
    }

    @Test
    void receivedAtWithOffsetIsAnInstant() {
        ObjectNode env = dataPoint(pointPayload("heart_rate", 60, "bpm", "2026-11-27T09:00:00Z"));
        env.put("received_at", "2026-11-27T11:00:03+01:00");
        assertThat(onePoint(env).ingestedAt).isEqualTo(Instant.parse("2026-11-27T10:00:03Z"));
    }

    // ---------------------------------------------------------------- unit conversion through the parser

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = ';', value = {
            "glucose; 5.8; mmol/L; 104.49048; mg/dL",
            "glucose; 5.8; mmol<180.1558800000541>/L; 104.49048; mg/dL",
            "glucose; 104; mg/dL; 104; mg/dL",
            "body_temperature; 98.6; degF; 37.0; degC",
            "temperature_deviation; 0.9; degF; 0.5; degC",
            "spo2; 0.97; fraction; 97; %",
            "body_mass; 176.4; lb; 80.013694068; kg",
            "heart_rate; 64; count/min; 64; bpm",
            "respiratory_rate; 15; count/min; 15; breaths/min",
    })
    void convertsUnitsAndKeepsTheRawOnes(String metric, String rawValue, String rawUnit, double value, String unit) {
        ObjectNode payload = pointPayload(metric, 0, rawUnit, "2026-11-27T09:00:00Z");
        payload.put("value", new java.math.BigDecimal(rawValue)); // exactly the digits given
        DataPoint p = onePoint(dataPoint(payload));
        assertThat(p.value).isCloseTo(value, within(1e-5));
        assertThat(p.unit).isEqualTo(unit);
        assertThat(p.rawValue).isEqualTo(rawValue);
        assertThat(p.rawUnit).isEqualTo(rawUnit);
    }

    @Test
    void unitlessSpo2FractionIsPercent() {
        DataPoint p = onePoint(dataPoint(pointPayload("spo2", 0.97, null, "2026-11-27T09:00:00Z")));
        assertThat(p.value).isCloseTo(97, within(1e-9));
        assertThat(p.unit).isEqualTo("%");
        assertThat(p.rawUnit).isNull();
    }

    // ---------------------------------------------------------------- dead letters

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // not JSON, or not an object
            "``                                                           | MALFORMED_JSON | empty record",
            "not json                                                     | MALFORMED_JSON | not valid JSON",
            "[1, 2, 3]                                                    | MALFORMED_JSON | must be a JSON object, got array",
            "42                                                           | MALFORMED_JSON | got number",
            "`\"canonical\"`                                              | MALFORMED_JSON | got string",
            "{\"vendor\": \"canonical\"                                   | MALFORMED_JSON | not valid JSON",
            "{\"vendor\": NaN}                                            | MALFORMED_JSON | not valid JSON",
            "{} {}                                                        | MALFORMED_JSON | not valid JSON",
            // envelope
            "{}                                                           | MISSING_FIELD  | missing field vendor",
            "{\"vendor\": null}                                           | MISSING_FIELD  | missing field vendor",
            "{\"vendor\": 7}                                              | INVALID_FIELD  | field vendor must be a string, got number",
            "{\"vendor\": \"canonical\"}                                  | MISSING_FIELD  | missing field kind",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\"}        | MISSING_FIELD  | missing field user_id",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"  \"} | INVALID_FIELD | field user_id is blank",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\"} | MISSING_FIELD | missing field device_id",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": [\"d\"]} | INVALID_FIELD | field device_id must be a string, got array",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\"} | MISSING_FIELD | missing field payload",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": \"x\"} | INVALID_FIELD | field payload must be an object, got string",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"yesterday\"} | INVALID_FIELD | received_at is not an ISO-8601 date-time",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03\"} | INVALID_FIELD | received_at must be an instant with an offset",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": 1764237603000} | INVALID_FIELD | received_at must be an ISO-8601 instant, got number",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\", \"time_zone\": \"Mars/Olympus_Mons\"} | INVALID_FIELD | field time_zone is not a time zone",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\", \"time_zone\": 1} | INVALID_FIELD | field time_zone must be a string",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\", \"sync_id\": {}} | INVALID_FIELD | field sync_id must be a string or an integer",
            // dispatch
            "{\"vendor\": \"acme\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | UNKNOWN_VENDOR | unknown vendor 'acme'",
            "{\"vendor\": \"acme\", \"kind\": \"device_status\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | UNKNOWN_VENDOR | unknown vendor 'acme'",
            "{\"vendor\": \"canonical\", \"kind\": \"heart_beat\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | UNKNOWN_KIND | unknown kind 'heart_beat' for vendor canonical",
            "{\"vendor\": \"dexcom\", \"kind\": \"egvs\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | MISSING_FIELD | missing field payload.records",
            "{\"vendor\": \"apple_health\", \"kind\": \"record\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | MISSING_FIELD | missing field payload.type",
            "{\"vendor\": \"nightscout\", \"kind\": \"entries\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | INVALID_FIELD | payload of nightscout/entries must be an array, got object",
            "{\"vendor\": \"fitbit\", \"kind\": \"sleep_logs\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": {}, \"received_at\": \"2026-11-27T10:00:03Z\"} | UNKNOWN_KIND | unknown kind 'sleep_logs' for vendor fitbit",
            "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\", \"payload\": [], \"received_at\": \"2026-11-27T10:00:03Z\"} | INVALID_FIELD | payload of canonical/data_point must be an object",
    })
    void deadLetters(String json, String reason, String message) {
        ParseResult r = parser.parse(record(json));
        assertDeadLetter(r, reason, message);
        DeadLetter d = r.deadLetter();
        assertThat(d.topic).isEqualTo(Envelopes.TOPIC);
        assertThat(d.partition).isEqualTo(3);
        assertThat(d.offset).isEqualTo(42);
        assertThat(d.timestamp).isEqualTo(Envelopes.BROKER_TIME);
        assertThat(d.raw).isEqualTo(json);
        assertThat(d.id).hasSize(32);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}                                                                      | MISSING_FIELD | missing field payload.metric",
            "{\"metric\": \"pulse\", \"value\": 1, \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | unknown metric 'pulse'",
            "{\"metric\": 5}                                                         | INVALID_FIELD | field payload.metric must be a string",
            "{\"metric\": \"heart_rate\", \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\"} | MISSING_FIELD | missing field payload.value",
            "{\"metric\": \"heart_rate\", \"value\": \"72\", \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | field payload.value must be a number, got string",
            "{\"metric\": \"heart_rate\", \"value\": true, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | field payload.value must be a number, got boolean",
            "{\"metric\": \"heart_rate\", \"value\": 1e400, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | field payload.value is not a finite number",
            "{\"metric\": \"heart_rate\", \"value\": -1e999999, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | field payload.value is not a finite number",
            "{\"metric\": \"glucose\", \"value\": 1e308, \"unit\": \"mmol/L\", \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | overflows in conversion",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"furlongs/fortnight\", \"start_time\": \"2026-11-27T09:00:00Z\"} | UNSUPPORTED_UNIT | 'furlongs/fortnight' is not a unit of heart_rate",
            "{\"metric\": \"glucose\", \"value\": 104, \"start_time\": \"2026-11-27T09:00:00Z\"} | MISSING_FIELD | glucose needs a unit",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": 1, \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | field payload.unit must be a string",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\"}          | MISSING_FIELD | missing field payload.start_time",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": \"noon\"} | INVALID_FIELD | field payload.start_time is not an ISO-8601 date-time",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": true} | INVALID_FIELD | field payload.start_time must be an ISO-8601 date-time or epoch millis",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": 1764237600.5} | INVALID_FIELD | field payload.start_time must be an ISO-8601 date-time or epoch millis",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": 1764237600} | INVALID_FIELD | field payload.start_time is outside",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": 99999999999999999999999} | INVALID_FIELD | field payload.start_time is outside",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": \"+999999999-12-31T23:59:59Z\"} | INVALID_FIELD | field payload.start_time is outside",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\", \"end_time\": \"2026-11-27T08:59:59Z\"} | INVALID_FIELD | payload.end_time 2026-11-27T08:59:59Z is before payload.start_time",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\", \"user_entered\": \"yes\"} | INVALID_FIELD | field payload.user_entered must be a boolean",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\", \"device_model\": 3} | INVALID_FIELD | field payload.device_model must be a string",
            "{\"metric\": \"heart_rate\", \"value\": 72, \"unit\": \"bpm\", \"start_time\": \"2026-11-27T09:00:00Z\", \"category\": \"x\"} | INVALID_FIELD | payload.category is only for categorical metrics",
            "{\"metric\": \"sleep_stage\", \"start_time\": \"2026-11-27T09:00:00Z\"} | MISSING_FIELD | missing field payload.category",
            "{\"metric\": \"sleep_stage\", \"value\": 2, \"start_time\": \"2026-11-27T09:00:00Z\"} | INVALID_FIELD | sleep_stage is categorical: send payload.category",
            "{\"metric\": \"sleep_stage\", \"category\": \"rem\", \"unit\": \"h\", \"start_time\": \"2026-11-27T09:00:00Z\"} | UNSUPPORTED_UNIT | sleep_stage is categorical and takes no unit",
    })
    void dataPointDeadLetters(String payload, String reason, String message) {
        String json = "{\"vendor\": \"canonical\", \"kind\": \"data_point\", \"user_id\": \"u\", \"device_id\": \"d\","
                + " \"received_at\": \"2026-11-27T10:00:03Z\", \"payload\": " + payload + "}";
        ParseResult r = parser.parse(record(json));
        assertDeadLetter(r, reason, message);
        assertThat(r.deadLetter().vendor).isEqualTo("canonical");
        assertThat(r.deadLetter().kind).isEqualTo("data_point");
    }

    @Test
    void missingReceivedAtWithoutTimestampIsMissingField() {
        ObjectNode env = dataPoint(pointPayload("heart_rate", 60, "bpm", "2026-11-27T09:00:00Z"));
        env.remove("received_at");
        ParseResult r = parser.parse(new RawRecord(com.vitasense.records.Json.toBytes(env), "t", 0, 1, Long.MIN_VALUE));
        assertDeadLetter(r, "MISSING_FIELD", "missing field received_at");
    }

    @Test
    void nullRecordAndNullBytesAreDeadLetters() {
        assertDeadLetter(parser.parse(null), "MALFORMED_JSON", "empty record");
        ParseResult r = parser.parse(record((byte[]) null));
        assertDeadLetter(r, "MALFORMED_JSON", "empty record");
        assertThat(r.deadLetter().raw).isNull();
    }

    @Test
    void aParserBugBecomesAParserErrorDeadLetter() {
        VendorParser broken = new VendorParser() {
            @Override
            public String vendor() {
                return "canonical";
            }

            @Override
            public ParseResult parse(Envelope envelope) {
                throw new IllegalStateException("boom");
            }
        };
        EnvelopeParser withBug = new EnvelopeParser(VendorRegistry.defaults().with(broken));
        ParseResult r = withBug.parse(record(dataPoint(pointPayload("heart_rate", 60, "bpm", "2026-11-27T09:00:00Z"))));
        assertDeadLetter(r, "PARSER_ERROR", "IllegalStateException: boom");
    }

    /** The stand-in a file reader emits for the unreadable rest of a damaged file. */
    @Test
    void damagedFileRecordIsADamagedFileDeadLetter() {
        RawRecord damaged = RawRecord.damaged("damaged file file:/exports/export.xml: malformed export.xml: XML document"
                + " structures must start and end within the same entity. (line 142, column 80)", "file:/exports/export.xml",
                0, 9, 1_700_000_000_000L);
        ParseResult r = parser.parse(damaged);
        assertThat(r.isDeadLetter()).isTrue();
        DeadLetter d = r.deadLetter();
        assertThat(d.reason).isEqualTo("DAMAGED_FILE");
        assertThat(d.error).isEqualTo(damaged.readError);
        assertThat(d.topic).isEqualTo("file:/exports/export.xml");
        assertThat(d.offset).isEqualTo(9);
        assertThat(d.raw).isNull();
        assertThat(parser.parse(damaged).deadLetter().id).as("deterministic").isEqualTo(d.id);
    }

    @Test
    void deadLetterOfBinaryGarbageKeepsTheBytesAsText() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0, 1, '{'};
        ParseResult r = parser.parse(record(bytes));
        assertDeadLetter(r, "MALFORMED_JSON", "not valid JSON");
        assertThat(r.deadLetter().raw).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        assertThat(r.deadLetter().vendor).isNull();
    }

    @Test
    void hugeVendorNameIsQuotedShortInTheMessage() {
        ObjectNode env = dataPoint(pointPayload("heart_rate", 60, "bpm", "2026-11-27T09:00:00Z"));
        env.put("vendor", "x".repeat(100_000));
        ParseResult r = parser.parse(record(env));
        assertDeadLetter(r, "UNKNOWN_VENDOR", "unknown vendor 'xxx");
        assertThat(r.deadLetter().error).hasSizeLessThan(400);
        assertThat(r.deadLetter().vendor).hasSize(100);
    }

    static void assertDeadLetter(ParseResult r, String reason, String message) {
        assertThat(r.points()).as("points").isEmpty();
        assertThat(r.deviceEvents()).as("device events").isEmpty();
        assertThat(r.references()).as("references").isEmpty();
        assertThat(r.deadLetters()).as("dead letters").hasSize(1);
        assertThat(r.isDeadLetter()).isTrue();
        assertThat(r.deadLetter().reason).as("reason of %s", r.deadLetter()).isEqualTo(reason);
        assertThat(r.deadLetter().error).contains(message);
    }

    // ---------------------------------------------------------------- device events

    @Test
    void syncStartedFromAnyKnownVendor() {
        ObjectNode payload = object();
        payload.put("sync_id", "s-1");
        payload.put("time", "2026-11-27T09:59:00Z");
        ParseResult r = parser.parse(record(envelope("dexcom", "sync_started", payload)));
        DeviceEvent expected = new DeviceEvent();
        expected.type = "SYNC_STARTED";
        expected.userId = USER;
        expected.deviceId = DEVICE;
        expected.vendor = "dexcom";
        expected.eventTime = Instant.parse("2026-11-27T09:59:00Z");
        expected.syncId = "s-1";
        expected.id = Ids.hash("device_event", "SYNC_STARTED", USER, DEVICE, "2026-11-27T09:59:00Z", "s-1");
        assertThat(r.deadLetters()).isEmpty();
        assertThat(r.points()).isEmpty();
        assertThat(r.deviceEvents()).containsExactly(expected);
    }

    @Test
    void syncFailedWithoutTimeUsesReceivedAtAndTheEnvelopeSyncId() {
        ObjectNode payload = object();
        payload.put("error", "token expired");
        ParseResult r = parser.parse(record(envelope("oura", "sync_failed", payload)));
        assertThat(r.deviceEvents()).singleElement().satisfies(e -> {
            assertThat(e.type).isEqualTo("SYNC_FAILED");
            assertThat(e.eventTime).isEqualTo(Instant.parse(Envelopes.RECEIVED_AT));
            assertThat(e.syncId).isEqualTo("s-991");
            assertThat(e.error).isEqualTo("token expired");
            assertThat(e.vendor).isEqualTo("oura");
        });
    }

    @Test
    void syncCompletedWithLocalTimeUsesTheProfileZone() {
        ObjectNode payload = object();
        payload.put("sync_id", "s-2");
        payload.put("time", "2026-11-27T11:00:00");
        ParseResult r = parser.parse(record(envelope("canonical", "sync_completed", payload)));
        assertThat(r.deviceEvents()).singleElement().satisfies(e -> {
            assertThat(e.type).isEqualTo("SYNC_COMPLETED");
            assertThat(e.eventTime).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        });
    }

    @Test
    void syncWithoutAnySyncIdIsMissingField() {
        ObjectNode env = envelope("whoop", "sync_started", object());
        env.remove("sync_id");
        assertDeadLetter(parser.parse(record(env)), "MISSING_FIELD", "missing field payload.sync_id");
    }

    @Test
    void deviceStatus() {
        ObjectNode payload = object();
        payload.put("battery_level", 87);
        payload.put("firmware", "1.4.2");
        payload.put("connected", true);
        payload.put("device_model", "Oura Ring Gen3");
        payload.put("time", "2026-11-27T09:30:00Z");
        ParseResult r = parser.parse(record(envelope("oura", "device_status", payload)));
        DeviceEvent expected = new DeviceEvent();
        expected.type = "DEVICE_STATUS";
        expected.userId = USER;
        expected.deviceId = DEVICE;
        expected.vendor = "oura";
        expected.deviceModel = "Oura Ring Gen3";
        expected.eventTime = Instant.parse("2026-11-27T09:30:00Z");
        expected.batteryLevel = 87.0;
        expected.firmware = "1.4.2";
        expected.connected = true;
        expected.syncId = "s-991";
        expected.id = Ids.hash("device_event", "DEVICE_STATUS", USER, DEVICE, "2026-11-27T09:30:00Z", "s-991");
        assertThat(r.deviceEvents()).containsExactly(expected);
        assertThat(r.deadLetters()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"battery_level\": 150}      | INVALID_FIELD | battery_level must be within 0..100",
            "{\"battery_level\": -1}       | INVALID_FIELD | battery_level must be within 0..100",
            "{\"battery_level\": \"high\"} | INVALID_FIELD | payload.battery_level must be a number",
            "{\"connected\": \"yes\"}      | INVALID_FIELD | payload.connected must be a boolean",
            "{\"time\": \"soon\"}          | INVALID_FIELD | payload.time is not an ISO-8601 date-time",
            "[]                            | INVALID_FIELD | payload of device_status must be an object",
    })
    void badDeviceStatus(String payload, String reason, String message) {
        String json = "{\"vendor\": \"fitbit\", \"kind\": \"device_status\", \"user_id\": \"u\", \"device_id\": \"d\","
                + " \"received_at\": \"2026-11-27T10:00:03Z\", \"payload\": " + payload + "}";
        assertDeadLetter(parser.parse(record(json)), reason, message);
    }

    // ---------------------------------------------------------------- references

    @Test
    void calibrationBecomesAReferenceInCanonicalUnits() {
        ObjectNode payload = object();
        payload.put("metric", "glucose");
        payload.put("value", 6.1);
        payload.put("unit", "mmol/L");
        payload.put("time", "2026-11-27T08:15:00");
        payload.put("source", "fingerstick");
        ParseResult r = parser.parse(record(envelope("canonical", "calibration", payload)));
        ReferenceMeasurement expected = new ReferenceMeasurement();
        expected.userId = USER;
        expected.deviceId = DEVICE;
        expected.vendor = "canonical";
        expected.metric = "glucose";
        expected.value = 6.1 * 18.0156;
        expected.unit = "mg/dL";
        expected.rawValue = "6.1";
        expected.rawUnit = "mmol/L";
        expected.time = Instant.parse("2026-11-27T07:15:00Z");
        expected.source = "fingerstick";
        expected.id = Ids.hash("reference", USER, DEVICE, "glucose", "2026-11-27T07:15:00Z", "fingerstick");
        assertThat(r.deadLetters()).isEmpty();
        assertThat(r.points()).isEmpty();
        assertThat(r.references()).containsExactly(expected);
    }

    @Test
    void calibrationDefaultsToManualSource() {
        ObjectNode payload = object();
        payload.put("metric", "body_temperature");
        payload.put("value", 98.6);
        payload.put("unit", "degF");
        payload.put("time", "2026-11-27T08:15:00Z");
        ReferenceMeasurement ref = parser.parse(record(envelope("canonical", "calibration", payload))).references().get(0);
        assertThat(ref.source).isEqualTo("manual");
        assertThat(ref.value).isCloseTo(37.0, within(1e-9));
        assertThat(ref.unit).isEqualTo("degC");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"metric\": \"glucose\", \"value\": 6.1, \"unit\": \"mmol/L\"}                 | MISSING_FIELD | missing field payload.time",
            "{\"metric\": \"glucose\", \"unit\": \"mmol/L\", \"time\": \"2026-11-27T08:00:00Z\"} | MISSING_FIELD | missing field payload.value",
            "{\"metric\": \"glucose\", \"value\": 6.1, \"unit\": \"mol\", \"time\": \"2026-11-27T08:00:00Z\"} | UNSUPPORTED_UNIT | 'mol' is not a unit of glucose",
            "{\"metric\": \"sleep_stage\", \"value\": 1, \"time\": \"2026-11-27T08:00:00Z\"} | INVALID_FIELD | sleep_stage is categorical and cannot be calibrated",
            "{\"metric\": \"mood\", \"value\": 1, \"time\": \"2026-11-27T08:00:00Z\"}        | INVALID_FIELD | unknown metric 'mood'",
    })
    void badCalibration(String payload, String reason, String message) {
        String json = "{\"vendor\": \"canonical\", \"kind\": \"calibration\", \"user_id\": \"u\", \"device_id\": \"d\","
                + " \"received_at\": \"2026-11-27T10:00:03Z\", \"payload\": " + payload + "}";
        assertDeadLetter(parser.parse(record(json)), reason, message);
    }

    // ---------------------------------------------------------------- ids

    @Test
    void idsAreDeterministic() {
        ObjectNode env = dataPoint(pointPayload("heart_rate", 60, "bpm", "2026-11-27T09:00:00Z"));
        DataPoint first = onePoint(env);
        DataPoint again = onePoint(env.deepCopy());
        assertThat(again).isEqualTo(first);
        assertThat(again.id).isEqualTo(first.id);

        // Arrival time is not identity: a replay received later keeps the id.
        ObjectNode later = env.deepCopy();
        later.put("received_at", "2026-11-28T00:00:00Z");
        assertThat(onePoint(later).id).isEqualTo(first.id);
        // A revised value keeps the id (it is the same reading) but not the content hash.
        ObjectNode revised = env.deepCopy();
        ((ObjectNode) revised.get("payload")).put("value", 61);
        DataPoint revisedPoint = onePoint(revised);
        assertThat(revisedPoint.id).isEqualTo(first.id);
        assertThat(revisedPoint.contentHash()).isNotEqualTo(first.contentHash());

        ObjectNode otherStart = env.deepCopy();
        ((ObjectNode) otherStart.get("payload")).put("start_time", "2026-11-27T09:00:01Z");
        ObjectNode otherSource = env.deepCopy();
        ((ObjectNode) otherSource.get("payload")).put("source_record_id", "r-2");
        ObjectNode otherDevice = env.deepCopy();
        otherDevice.put("device_id", "other");
        assertThat(Set.of(first.id, onePoint(otherStart).id, onePoint(otherSource).id, onePoint(otherDevice).id))
                .hasSize(4);
    }

    @Test
    void deadLetterIdsAreDeterministic() {
        DeadLetter a = parser.parse(record("garbage")).deadLetter();
        DeadLetter b = parser.parse(record("garbage")).deadLetter();
        assertThat(a).isEqualTo(b);
        assertThat(a.id).isEqualTo(b.id);
    }
}
