package com.vitasense;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.calibration.CalibrationStatus;
import com.vitasense.calibration.ReferencePair;
import com.vitasense.patterns.ConnectivityWatchdog;
import com.vitasense.patterns.NoiseBaseline;
import com.vitasense.patterns.OpenAlert;
import com.vitasense.patterns.SyncAdvisor;
import com.vitasense.quality.DetectorState;
import com.vitasense.quality.OutlierDetector;
import com.vitasense.quality.SeenReading;
import com.vitasense.quality.SeriesState;
import com.vitasense.records.AlertCondition;
import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.Json;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.QualityRule;
import com.vitasense.records.RawRecord;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.records.SyncSession;
import com.vitasense.records.TimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record that crosses an operator boundary or lives in state is a Flink POJO, serialized
 * without Kryo, and keeps every field through a serializer round trip.
 */
class RecordSerializationTest {
    private static final Instant T = Instant.parse("2026-11-27T09:55:00Z");

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(DataPoint.class, dataPoint()),
                Arguments.of(RawRecord.class, new RawRecord("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "device-data-raw",
                        2, 99L, T.toEpochMilli())),
                Arguments.of(DeadLetter.class, DeadLetter.of(new RawRecord(new byte[] {1, 2}, "t", 0, 7, 5),
                        DeadLetterReason.MALFORMED_JSON, "not valid JSON", "dexcom", "egvs")),
                Arguments.of(DeviceEvent.class, deviceEvent()),
                Arguments.of(DeviceEvent.class, sensorError()),
                Arguments.of(DeviceUpdate.class, DeviceUpdate.from(deviceEvent())),
                Arguments.of(ReferenceMeasurement.class, reference()),
                Arguments.of(ReferenceMeasurement.class, calibrationParameters()),
                Arguments.of(ParsedMeasurement.class, ParsedMeasurement.of(dataPoint())),
                Arguments.of(ParsedMeasurement.class, ParsedMeasurement.of(reference())),
                Arguments.of(ParsedMeasurement.class, ParsedMeasurement.of(deviceEvent())),
                Arguments.of(SeenReading.class, new SeenReading(-1234567890123L, 3, T.toEpochMilli())),
                Arguments.of(QualityIssue.class, qualityIssue()),
                Arguments.of(DeviceCompleteness.class, new DeviceCompleteness("cgm-1", "glucose", T, "u-17", 12, 11)),
                Arguments.of(SeriesState.class, seriesState()),
                Arguments.of(DetectorState.class, detectorState()),
                Arguments.of(Calibration.class, calibration()),
                Arguments.of(CalibrationEvent.class, calibrationEvent()),
                Arguments.of(ReferencePair.class, new ReferencePair("r-1", T.toEpochMilli(), 98.0, T.toEpochMilli() - 60_000,
                        112.0, 104.5, "dexcom_calibration", true)),
                Arguments.of(CalibrationStatus.class, calibrationStatus()),
                Arguments.of(DeviceUpdate.class, DeviceUpdate.status("cgm-1", "u-17", "dexcom", "offline", T)),
                Arguments.of(DeviceSignal.class, deviceSignal()),
                Arguments.of(AlertCondition.class, alertCondition()),
                Arguments.of(DeviceAlert.class, deviceAlert()),
                Arguments.of(SyncSession.class, syncSession()));
    }

    /** State of the pattern stage: POJOs too (no equality of their own, so checked for type only). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stateTypes")
    void patternStateIsPojo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i)).as(pojo.getPojoFieldAt(i).getField().getName()).isNotInstanceOf(GenericTypeInfo.class);
        }
    }

    static Stream<Class<?>> stateTypes() {
        return Stream.of(OpenAlert.class, NoiseBaseline.NoiseState.class, ConnectivityWatchdog.WatchState.class,
                SyncAdvisor.AdvisorState.class);
    }

    static DeviceSignal deviceSignal() {
        DeviceSignal s = DeviceSignal.from(dataPoint());
        s.noise = 2.5;
        s.reference = 12.0;
        s.detail = "detail";
        return s;
    }

    static AlertCondition alertCondition() {
        AlertCondition c = new AlertCondition();
        c.userId = "u-17";
        c.deviceId = "cgm-1";
        c.vendor = "dexcom";
        c.deviceModel = "g7";
        c.alertType = "CONNECTIVITY_LOST";
        c.metric = "glucose";
        c.severity = "URGENT";
        c.phase = AlertCondition.Phase.EPISODE.name();
        c.eventTime = T;
        c.startedAt = T.minusSeconds(2400);
        c.endedAt = T;
        c.quietMillis = 1_800_000L;
        c.watchdog = true;
        c.details = "{\"gap_s\":2400}";
        return c;
    }

    static DeviceAlert deviceAlert() {
        DeviceAlert a = new DeviceAlert();
        a.startedAt = T.minusSeconds(2400);
        a.id = DeviceAlert.idOf("cgm-1", "FLATLINE", "glucose", a.startedAt);
        a.userId = "u-17";
        a.deviceId = "cgm-1";
        a.alertType = "FLATLINE";
        a.metric = "glucose";
        a.severity = "WARNING";
        a.status = DeviceAlert.CLEARED;
        a.clearedAt = T;
        a.details = "{\"readings\":9}";
        return a;
    }

    static SyncSession syncSession() {
        SyncSession s = new SyncSession();
        s.id = SyncSession.idOf("cgm-1", "s-991");
        s.userId = "u-17";
        s.deviceId = "cgm-1";
        s.syncId = "s-991";
        s.status = SyncSession.FAILED;
        s.startedAt = T.minusSeconds(60);
        s.finishedAt = T;
        s.error = "timeout";
        s.readings = 12;
        s.recommendedIntervalSeconds = 3600;
        s.details = "{}";
        return s;
    }

    static Calibration calibration() {
        Calibration c = new Calibration();
        c.id = Calibration.id("cgm-1", "glucose", T);
        c.userId = "u-17";
        c.deviceId = "cgm-1";
        c.metric = "glucose";
        c.scale = 1.05;
        c.offset = -7.5;
        c.validFrom = T;
        c.validTo = T.plusSeconds(3600);
        c.source = "dexcom_calibration,manual";
        c.fitQuality = 0.97;
        c.pairs = 3;
        return c;
    }

    static CalibrationEvent calibrationEvent() {
        CalibrationEvent e = CalibrationEvent.of(CalibrationEvent.Type.DRIFT_DETECTED, "u-17", "cgm-1", "glucose", T);
        e.calibrationId = "cal-1";
        e.mard = 16.5;
        e.bias = -12.25;
        e.details = "{\"reason\":\"MARD 16.50 % above 15.0 %\"}";
        return e;
    }

    static CalibrationStatus calibrationStatus() {
        CalibrationStatus s = new CalibrationStatus();
        s.userId = "u-17";
        s.deviceId = "cgm-1";
        s.metric = "glucose";
        s.deviceModel = "Dexcom G5";
        s.current = calibration();
        s.lastReadingTime = T.toEpochMilli();
        s.sessionStart = T.toEpochMilli() - 3_600_000;
        s.warmupUntil = T.toEpochMilli() + 3_600_000;
        s.scheduleAnchor = T.toEpochMilli();
        s.dueReported = true;
        s.overdueReported = false;
        s.drifting = true;
        s.recommended = true;
        s.lastActivity = T.toEpochMilli();
        return s;
    }

    @Test
    void calibrationEventJsonHasTheTopicsFieldNames() throws Exception {
        JsonNode tree = Json.mapper().readTree(Json.toBytes(calibrationEvent()));
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "event_type", "user_id", "device_id", "metric", "event_time",
                "calibration_id", "mard", "bias", "details");
        assertThat(tree.get("event_time").asText()).isEqualTo("2026-11-27T09:55:00Z");
        assertThat(Json.mapper().readValue(Json.toBytes(calibrationEvent()), CalibrationEvent.class)).isEqualTo(calibrationEvent());
    }

    private static QualityIssue qualityIssue() {
        return QualityIssue.about(dataPoint(), QualityRule.IMPOSSIBLE_JUMP, QualityIssue.Severity.WARNING,
                "glucose changed by +90", "").withExpected(50.0, 150.0);
    }

    private static SeriesState seriesState() {
        SeriesState s = new SeriesState();
        s.lastTime = T.toEpochMilli();
        s.lastValue = 104.5;
        s.lastUsable = true;
        s.anchorTime = T.toEpochMilli() - 300_000;
        s.anchorValue = 101.0;
        s.consecutiveJumps = 2;
        s.firstSeen = T.toEpochMilli() - 86_400_000;
        s.userId = "u-17";
        s.deviceId = "cgm-1";
        s.vendor = "dexcom";
        s.deviceModel = "Dexcom G7";
        s.metric = "glucose";
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    <T> void isAPojoAndRoundTripsWithGenericTypesDisabled(Class<T> type, T sample) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<T> pojo = (PojoTypeInfo<T>) info;
        List<String> genericFields = new ArrayList<>();
        for (int i = 0; i < pojo.getArity(); i++) {
            if (pojo.getTypeAt(i) instanceof GenericTypeInfo) genericFields.add(pojo.getPojoFieldAt(i).getField().getName());
        }
        assertThat(genericFields).as("fields that would need Kryo").isEmpty();

        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config);

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(sample, out);
        T back = serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(back).isEqualTo(sample);
        assertThat(serializer.copy(sample)).isEqualTo(sample);
        // Null-able fields survive as null too.
        T empty = type.getDeclaredConstructor().newInstance();
        DataOutputSerializer out2 = new DataOutputSerializer(64);
        serializer.serialize(empty, out2);
        assertThat(serializer.deserialize(new DataInputDeserializer(out2.getSharedBuffer(), 0, out2.length())))
                .isEqualTo(empty);
    }

    @Test
    void dataPointJsonRoundTripKeepsEveryField() throws Exception {
        DataPoint p = dataPoint();
        byte[] bytes = Json.toBytes(p);
        JsonNode tree = Json.mapper().readTree(bytes);

        assertThat(tree.get("quality_flags").isArray()).isTrue();
        assertThat(tree.get("quality_flags")).extracting(JsonNode::asText).containsExactly("LATE", "USER_ENTERED");
        assertThat(tree.get("start_time").asText()).isEqualTo("2026-11-27T09:55:00Z");
        assertThat(tree.get("user_id").asText()).isEqualTo("u-17");
        assertThat(tree.get("raw_value").asText()).isEqualTo("5.8");
        assertThat(tree.has("qualityFlags")).isFalse();
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "revision", "user_id", "device_id", "vendor", "device_model", "metric",
                "value", "category", "unit", "raw_value", "raw_unit", "start_time", "end_time", "time_source",
                "quality_flags", "quality_score", "anomaly_score", "calibration_id", "source_record_id", "ingested_at");

        DataPoint back = Json.mapper().readValue(bytes, DataPoint.class);
        assertThat(back).isEqualTo(p);
        assertThat(back.flags()).containsExactly(QualityFlag.LATE, QualityFlag.USER_ENTERED);
    }

    static DataPoint dataPoint() {
        DataPoint p = new DataPoint();
        p.id = "0123456789abcdef0123456789abcdef";
        p.revision = 2;
        p.userId = "u-17";
        p.deviceId = "dexcom-g7-8XK2";
        p.vendor = "dexcom";
        p.deviceModel = "G7";
        p.metric = "glucose";
        p.value = 104.49048;
        p.category = "n/a";
        p.unit = "mg/dL";
        p.rawValue = "5.8";
        p.rawUnit = "mmol/L";
        p.startTime = T;
        p.endTime = T.plusSeconds(300);
        p.timeSource = TimeSource.PROFILE_TIME_ZONE.name();
        p.withFlag(QualityFlag.LATE).withFlag(QualityFlag.USER_ENTERED);
        p.qualityScore = 0.75;
        p.calibrationId = "cal-1";
        p.sourceRecordId = "r-1";
        p.ingestedAt = T.plusSeconds(303);
        return p;
    }

    /** A detector state with every array filled and an alarm behind it. */
    static DetectorState detectorState() {
        OutlierDetector detector = OutlierDetector.generic();
        DetectorState state = new DetectorState();
        for (int i = 0; i < 2_000; i++) {
            detector.score(state, T.toEpochMilli() + i * 60_000L, i == 1_900 ? 500.0 : Math.sin(i / 10.0));
        }
        return state;
    }

    static DeviceEvent deviceEvent() {
        DeviceEvent e = new DeviceEvent();
        e.id = "e-1";
        e.type = DeviceEvent.Type.SYNC_COMPLETED.name();
        e.userId = "u-17";
        e.deviceId = "d-1";
        e.vendor = "oura";
        e.deviceModel = "Gen3";
        e.eventTime = T;
        e.batteryLevel = 55.0;
        e.firmware = "1.2";
        e.connected = Boolean.TRUE;
        e.syncId = "s-1";
        e.error = "none";
        e.batteryState = "medium";
        e.charging = Boolean.FALSE;
        e.inCharger = Boolean.TRUE;
        e.lastSync = T.minusSeconds(60);
        e.vendorDeviceId = "2731912345";
        e.calibrating = Boolean.TRUE;
        e.timeSource = TimeSource.PROFILE_TIME_ZONE.name();
        return e;
    }

    static DeviceEvent sensorError() {
        DeviceEvent e = new DeviceEvent();
        e.id = "e-2";
        e.type = DeviceEvent.Type.SENSOR_ERROR.name();
        e.userId = "u-17";
        e.deviceId = "ns-1";
        e.vendor = "nightscout";
        e.eventTime = T;
        e.errorCode = "9";
        e.error = "absolute deviation";
        e.timeSource = TimeSource.VENDOR_OFFSET.name();
        return e;
    }

    static ReferenceMeasurement reference() {
        ReferenceMeasurement r = new ReferenceMeasurement();
        r.id = "ref-1";
        r.userId = "u-17";
        r.deviceId = "d-1";
        r.vendor = "canonical";
        r.metric = "glucose";
        r.value = 110.0;
        r.unit = "mg/dL";
        r.rawValue = "110";
        r.rawUnit = "mg/dL";
        r.time = T;
        r.source = "manual";
        return r;
    }

    /** A Nightscout cal entry: parameters and no value. */
    static ReferenceMeasurement calibrationParameters() {
        ReferenceMeasurement r = new ReferenceMeasurement();
        r.id = "ref-2";
        r.userId = "u-17";
        r.deviceId = "ns-1";
        r.vendor = "nightscout";
        r.metric = "glucose";
        r.unit = "mg/dL";
        r.time = T;
        r.source = "nightscout_cal";
        r.slope = 870.5;
        r.intercept = 31200.0;
        r.scale = 1.0;
        return r;
    }

    @Test
    void deviceUpdateTakesTheVendorsLastSync() {
        DeviceEvent status = new DeviceEvent();
        status.type = DeviceEvent.Type.DEVICE_STATUS.name();
        status.deviceId = "d-1";
        status.eventTime = T;
        status.lastSync = T.minusSeconds(30);
        assertThat(DeviceUpdate.from(status).lastSync).isEqualTo(T.minusSeconds(30));

        DeviceEvent completed = deviceEvent();
        assertThat(DeviceUpdate.from(completed).lastSync).as("a sync session ending after the vendor's upload")
                .isEqualTo(T);
        completed.lastSync = T.plusSeconds(5);
        assertThat(DeviceUpdate.from(completed).lastSync).isEqualTo(T.plusSeconds(5));

        assertThat(DeviceUpdate.from(sensorError()).lastSync).isNull();
        assertThat(DeviceUpdate.from(sensorError()).lastSeen).as("an error is not a reading").isNull();
    }

    /** Battery state, charging and the sensor error each carry the event time of their report. */
    @Test
    void deviceUpdateKeepsTheStatusValuesWithTheirEventTime() {
        DeviceUpdate status = DeviceUpdate.from(deviceEvent());
        assertThat(status.batteryState).isEqualTo("medium");
        assertThat(status.batteryStateAt).isEqualTo(T);
        assertThat(status.charging).isFalse();
        assertThat(status.inCharger).isTrue();
        assertThat(status.chargingAt).isEqualTo(T);
        assertThat(status.sensorErrorCode).as("not an error event").isNull();
        assertThat(status.sensorErrorAt).isNull();

        DeviceUpdate error = DeviceUpdate.from(sensorError());
        assertThat(error.sensorErrorCode).isEqualTo("9");
        assertThat(error.sensorError).isEqualTo("absolute deviation");
        assertThat(error.sensorErrorAt).isEqualTo(T);
        assertThat(error.batteryStateAt).isNull();
        assertThat(error.chargingAt).as("no charging report").isNull();
    }
}
