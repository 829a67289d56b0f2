package com.vitasense.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DataPoint;
import com.vitasense.records.Ids;
import com.vitasense.records.Json;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.records.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CalibrationCorrectionTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private KeyedTwoInputStreamOperatorTestHarness<String, DataPoint, ReferenceMeasurement, DataPoint> harness;

    private void open(String... settings) throws Exception {
        Properties p = new Properties();
        for (int i = 0; i < settings.length; i += 2) p.setProperty(settings[i], settings[i + 1]);
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new CalibrationCorrection(CalibrationRules.defaults().withProperties(p))),
                CalibrationKeys.points(), CalibrationKeys.references(), Types.STRING);
        harness.open();
        // As in the job: the reference input never holds the watermark back.
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) harness.close();
    }

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    static DataPoint glucose(String device, String model, int minutes, double value) {
        DataPoint p = new DataPoint();
        Instant t = at(minutes);
        p.id = Ids.hash("point", "u-1", device, "glucose", t.toString());
        p.revision = 1;
        p.userId = "u-1";
        p.deviceId = device;
        p.vendor = "dexcom";
        p.deviceModel = model;
        p.metric = "glucose";
        p.value = value;
        p.unit = "mg/dL";
        p.rawValue = Double.toString(value);
        p.rawUnit = "mg/dL";
        p.startTime = t;
        p.endTime = t;
        p.timeSource = TimeSource.VENDOR_OFFSET.name();
        p.ingestedAt = t.plusSeconds(5);
        return p;
    }

    static DataPoint glucose(int minutes, double value) {
        return glucose("cgm-1", "Simulated CGM", minutes, value);
    }

    static ReferenceMeasurement fingerstick(int minutes, double value) {
        ReferenceMeasurement r = new ReferenceMeasurement();
        r.userId = "u-1";
        r.deviceId = "cgm-1";
        r.vendor = "dexcom";
        r.metric = "glucose";
        r.value = value;
        r.unit = "mg/dL";
        r.rawValue = Double.toString(value);
        r.rawUnit = "mg/dL";
        r.time = at(minutes);
        r.source = "dexcom_calibration";
        r.id = Ids.hash("reference", r.userId, r.deviceId, r.metric, r.time.toString(), r.source);
        return r;
    }

    private void reading(DataPoint p) throws Exception {
        harness.processElement1(new StreamRecord<>(p, p.eventTimeMillis()));
    }

    private void reference(ReferenceMeasurement r) throws Exception {
        harness.processElement2(new StreamRecord<>(r, r.time.toEpochMilli()));
    }

    private void watermark(int minutes) throws Exception {
        harness.processWatermark1(new Watermark(at(minutes).toEpochMilli()));
    }

    /** "HH:mm value [flags] calibration-id-or-none raw" per point. */
    private List<String> points() {
        return harness.extractOutputValues().stream()
                .map(p -> p.startTime.toString().substring(11, 16) + " " + round(p.value) + " " + p.flags() + " "
                        + (p.calibrationId == null ? "-" : "cal") + " raw=" + p.rawValue)
                .collect(Collectors.toList());
    }

    private List<CalibrationEvent> events() {
        var out = harness.getSideOutput(CalibrationOutputs.EVENTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private List<String> eventTypes() {
        return events().stream().map(e -> e.eventType + "@" + e.eventTime.toString().substring(11, 16)).toList();
    }

    private List<Calibration> versions() {
        var out = harness.getSideOutput(CalibrationOutputs.VERSIONS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static String round(Double v) {
        return v == null ? "null" : String.format("%.1f", v);
    }

    @Test
    void aReferenceCorrectsReadingsFromItsOwnTimeOnOnceTheWatermarkPassesThem() throws Exception {
        open();
        for (int m = 0; m <= 30; m += 5) reading(glucose(m, 120 + m));
        reference(fingerstick(12, 100)); // nearest reading: 10:10 (130), 2 min away
        assertThat(harness.extractOutputValues()).as("nothing before the watermark").isEmpty();
        assertThat(harness.numEventTimeTimers()).isPositive();

        watermark(14); // readings up to 10:09 are past their tolerance
        assertThat(points()).containsExactly("10:00 120.0 [] - raw=120.0", "10:05 125.0 [] - raw=125.0");

        watermark(60);
        assertThat(points()).containsExactly(
                "10:00 120.0 [] - raw=120.0",
                "10:05 125.0 [] - raw=125.0",
                "10:10 130.0 [] - raw=130.0",
                "10:15 105.0 [CALIBRATED] cal raw=135.0",
                "10:20 110.0 [CALIBRATED] cal raw=140.0",
                "10:25 115.0 [CALIBRATED] cal raw=145.0",
                "10:30 120.0 [CALIBRATED] cal raw=150.0");
        Calibration v = versions().get(0);
        assertThat(versions()).hasSize(1);
        assertThat(v.id).isEqualTo(Calibration.id("cgm-1", "glucose", at(12)));
        assertThat(v.scale).isEqualTo(1.0);
        assertThat(v.offset).isEqualTo(-30.0);
        assertThat(v.validFrom).isEqualTo(at(12));
        assertThat(v.validTo).isNull();
        assertThat(v.source).isEqualTo("dexcom_calibration");
        assertThat(v.pairs).isEqualTo(1);
        assertThat(harness.extractOutputValues().get(3).calibrationId).isEqualTo(v.id);

        CalibrationEvent applied = events().get(events().size() - 1);
        assertThat(applied.eventType).isEqualTo("CALIBRATION_APPLIED");
        assertThat(applied.id).isEqualTo(CalibrationEvent.id("cgm-1", "glucose", CalibrationEvent.Type.CALIBRATION_APPLIED, at(12)));
        assertThat(applied.calibrationId).isEqualTo(v.id);
        assertThat(applied.mard).isEqualTo(30.0);
        assertThat(applied.bias).isEqualTo(30.0);
        var details = Json.mapper().readTree(applied.details);
        assertThat(details.get("references").get(0).get("reading_time").asText()).isEqualTo("2026-11-27T10:10:00Z");
        assertThat(details.get("references").get(0).get("device_value").asDouble()).isEqualTo(130.0);
        assertThat(eventTypes()).containsExactly("CALIBRATION_APPLIED@10:12");
    }

    @Test
    void theNextReferenceClosesTheVersionAndMoreReferencesFitAScale() throws Exception {
        open();
        for (int m = 0; m <= 120; m += 5) reading(glucose(m, m < 60 ? 100 : 200));
        reference(fingerstick(20, 90));   // device 100 -> 90: offset -10
        reference(fingerstick(100, 220)); // device 200 -> 220: scale 1.3 over both pairs
        watermark(200);
        List<Calibration> v = versions();
        assertThat(v).hasSize(3);
        assertThat(v.get(0).validTo).isNull();
        assertThat(v.get(1).id).isEqualTo(v.get(0).id);
        assertThat(v.get(1).validTo).isEqualTo(at(100));
        assertThat(v.get(2).validFrom).isEqualTo(at(100));
        assertThat(v.get(2).scale).isEqualTo(1.3);
        assertThat(v.get(2).offset).isCloseTo(-40.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(v.get(2).pairs).isEqualTo(2);
        assertThat(v.get(2).fitQuality).isEqualTo(1.0);
        assertThat(points()).contains("10:15 100.0 [] - raw=100.0", "10:20 90.0 [CALIBRATED] cal raw=100.0",
                "11:35 190.0 [CALIBRATED] cal raw=200.0", "11:40 220.0 [CALIBRATED] cal raw=200.0");
    }

    @Test
    void aReferenceWithoutAReadingInReachIsUnpaired() throws Exception {
        open();
        reading(glucose(0, 100));
        reading(glucose(30, 100));
        reference(fingerstick(15, 90));
        watermark(60);
        assertThat(eventTypes()).containsExactly("REFERENCE_UNPAIRED@10:15");
        assertThat(versions()).isEmpty();
        assertThat(points()).containsExactly("10:00 100.0 [] - raw=100.0", "10:30 100.0 [] - raw=100.0");
    }

    @Test
    void sensorLimitsAndImplausibleValuesAreNeitherPairedNorCorrected() throws Exception {
        open();
        reading(glucose(0, 100));
        DataPoint limit = glucose(5, 400).withFlag(QualityFlag.SENSOR_LIMIT_HIGH);
        reading(limit);
        reading(glucose(10, 104));
        reference(fingerstick(5, 94)); // the limit at 10:05 is not a measurement: 10:00 (earlier of the tie) pairs
        watermark(60);
        assertThat(points()).containsExactly("10:00 100.0 [] - raw=100.0",
                "10:05 400.0 [SENSOR_LIMIT_HIGH] - raw=400.0", "10:10 98.0 [CALIBRATED] cal raw=104.0");
        assertThat(versions().get(0).offset).isEqualTo(-6.0);
    }

    @Test
    void aLateReferenceCorrectsOnlyReadingsNotYetWrittenAndSaysSo() throws Exception {
        open();
        for (int m = 0; m <= 40; m += 5) reading(glucose(m, 150));
        watermark(22); // written: up to 10:15 (10:15 + 5 min tolerance <= 10:22)
        assertThat(points()).hasSize(4);
        reference(fingerstick(12, 120)); // its time is behind the watermark
        watermark(60);
        // 10:00-10:15 were written before the reference arrived and stay as they were.
        assertThat(points()).containsExactly(
                "10:00 150.0 [] - raw=150.0", "10:05 150.0 [] - raw=150.0", "10:10 150.0 [] - raw=150.0",
                "10:15 150.0 [] - raw=150.0", "10:20 120.0 [CALIBRATED] cal raw=150.0",
                "10:25 120.0 [CALIBRATED] cal raw=150.0", "10:30 120.0 [CALIBRATED] cal raw=150.0",
                "10:35 120.0 [CALIBRATED] cal raw=150.0", "10:40 120.0 [CALIBRATED] cal raw=150.0");
        Calibration v = versions().get(0);
        assertThat(v.validFrom).as("the first reading not yet written").isEqualTo(at(17).plusMillis(1));
        assertThat(v.id).as("the same id a backfill gives it").isEqualTo(Calibration.id("cgm-1", "glucose", at(12)));
        CalibrationEvent late = events().stream().filter(e -> e.eventType.equals("LATE_REFERENCE")).findFirst().orElseThrow();
        assertThat(late.eventTime).isEqualTo(at(12));
        assertThat(late.calibrationId).isEqualTo(v.id);
        var details = Json.mapper().readTree(late.details);
        assertThat(details.get("valid_from").asText()).isEqualTo("2026-11-27T10:17:00.001Z");
        assertThat(details.get("reason").asText()).contains("not rewritten");
        assertThat(eventTypes()).contains("CALIBRATION_APPLIED@10:12", "LATE_REFERENCE@10:12");
    }

    @Test
    void arrivalOrderDoesNotChangeTheResult() throws Exception {
        List<DataPoint> readings = new ArrayList<>();
        for (int m = 0; m <= 180; m += 5) readings.add(glucose(m, 100 + (m % 60)));
        List<ReferenceMeasurement> refs = List.of(fingerstick(22, 115), fingerstick(61, 90), fingerstick(123, 130));

        open();
        // Streaming: references before their time passes, readings in order, watermarks in between.
        int r = 0;
        for (DataPoint p : readings) {
            while (r < refs.size() && refs.get(r).time.isBefore(p.startTime)) reference(refs.get(r++));
            reading(p);
            harness.processWatermark1(new Watermark(p.eventTimeMillis() - 60_000));
        }
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        List<String> streamed = points();
        List<CalibrationEvent> streamedEvents = events();
        List<Calibration> streamedVersions = versions();
        harness.close();

        open();
        // Batch: everything first, readings reversed, references last, then the final watermark.
        for (int i = readings.size() - 1; i >= 0; i--) reading(readings.get(i));
        for (ReferenceMeasurement ref : refs) reference(ref);
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        assertThat(points()).isEqualTo(streamed);
        assertThat(events()).isEqualTo(streamedEvents);
        assertThat(versions()).isEqualTo(streamedVersions);
        assertThat(streamedVersions).hasSize(5);
    }

    @Test
    void growingErrorsAreDriftThenARecalibrationRecommendation() throws Exception {
        open();
        // The device reads 110, 130, 150 while the fingersticks say 100: the error outgrows each correction.
        for (int h = 0; h < 4; h++) {
            for (int m = 0; m < 60; m += 5) reading(glucose(60 * h + m, 110 + 20 * h));
            reference(fingerstick(60 * h + 2, 100));
        }
        watermark(300);
        assertThat(eventTypes()).containsExactly(
                "CALIBRATION_APPLIED@10:02",
                "CALIBRATION_APPLIED@11:02", "DRIFT_DETECTED@11:02",
                "CALIBRATION_APPLIED@12:02", "RECALIBRATION_RECOMMENDED@12:02",
                "CALIBRATION_APPLIED@13:02");
        CalibrationEvent drift = events().get(2);
        // Published 110 (no version yet) and 120 (130 - 10) against 100: +10 % and +20 %.
        assertThat(drift.mard).isEqualTo(15.0);
        assertThat(drift.bias).isEqualTo(15.0);
        assertThat(Json.mapper().readTree(drift.details).get("reason").asText()).contains("bias +15.00 % beyond +-10.0 %");
        CalibrationEvent recommended = events().get(4);
        assertThat(recommended.mard).isEqualTo(20.0);
        var estimate = Json.mapper().readTree(recommended.details).get("estimated_correction");
        assertThat(estimate.get("offset").asDouble()).isEqualTo(-30.0);
        assertThat(estimate.get("applied_as").asText()).isEqualTo(recommended.calibrationId);
    }

    @Test
    void aSensorThatNeedsCalibratingIsDueThenOverdueAfterItsWarmup() throws Exception {
        open();
        // A Dexcom G5: 2 h warm-up, due 12 h and overdue 24 h after the last calibration.
        for (int h = 0; h <= 28; h++) reading(glucose("cgm-1", "Dexcom G5", 60 * h, 100));
        reference(fingerstick(60 * 20, 100)); // a calibration at 06:00 the next day restarts the clock
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        assertThat(eventTypes()).containsExactly("WARMUP@10:00", "CALIBRATION_DUE@00:00",
                "CALIBRATION_APPLIED@06:00");
        CalibrationEvent due = events().get(1);
        assertThat(due.eventTime).isEqualTo(at(60 * 14));
        assertThat(Json.mapper().readTree(due.details).get("counted_from").asText()).isEqualTo(at(120).toString());
    }

    @Test
    void overdueWithoutAnyCalibration() throws Exception {
        open();
        for (int h = 0; h <= 27; h++) reading(glucose("cgm-1", "Dexcom G5", 60 * h, 100));
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        assertThat(eventTypes()).containsExactly("WARMUP@10:00", "CALIBRATION_DUE@00:00", "CALIBRATION_OVERDUE@12:00");
    }

    @Test
    void aNightscoutCalEntryRestartsFromIdentity() throws Exception {
        open();
        for (int m = 0; m <= 60; m += 5) reading(glucose(m, 120));
        reference(fingerstick(10, 100));
        ReferenceMeasurement cal = fingerstick(30, 0);
        cal.value = null;
        cal.slope = 850.0;
        cal.intercept = 32000.0;
        cal.scale = 1.0;
        cal.source = "nightscout_cal";
        cal.id = "cal-1";
        reference(cal);
        watermark(120);
        assertThat(eventTypes()).containsExactly("CALIBRATION_APPLIED@10:10", "DEVICE_CALIBRATED@10:30",
                "CALIBRATION_APPLIED@10:30");
        Calibration identity = versions().get(versions().size() - 1);
        assertThat(identity.scale).isEqualTo(1.0);
        assertThat(identity.offset).isEqualTo(0.0);
        assertThat(identity.source).isEqualTo("nightscout_cal");
        assertThat(identity.pairs).isZero();
        assertThat(points()).contains("10:25 100.0 [CALIBRATED] cal raw=120.0", "10:30 120.0 [CALIBRATED] cal raw=120.0");
    }

    @Test
    void otherMetricsPassAtOnceAndTheirReferencesAreIgnored() throws Exception {
        open();
        DataPoint hr = glucose(0, 60);
        hr.metric = "heart_rate";
        reading(hr);
        assertThat(harness.extractOutputValues()).containsExactly(hr);
        ReferenceMeasurement r = fingerstick(0, 62);
        r.metric = "heart_rate";
        reference(r);
        assertThat(eventTypes()).containsExactly("REFERENCE_IGNORED@10:00");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aLateReadingGetsTheVersionOfItsTime() throws Exception {
        open();
        for (int m = 0; m <= 60; m += 5) reading(glucose(m, 120));
        reference(fingerstick(20, 100));
        watermark(90);
        reading(glucose(17, 130)); // late, before the version
        reading(glucose(42, 130)); // late, within it
        List<String> out = points();
        assertThat(out.subList(out.size() - 2, out.size()))
                .containsExactly("10:17 130.0 [] - raw=130.0", "10:42 110.0 [CALIBRATED] cal raw=130.0");
    }

    @Test
    void stateAndTimersAreGoneOnceTheSeriesIsQuietForTheRetention() throws Exception {
        open("calibration.state-retention", "7d");
        for (int m = 0; m <= 60; m += 5) reading(glucose(m, 120));
        reference(fingerstick(20, 100));
        watermark(120);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark1(new Watermark(at(60).plus(java.time.Duration.ofDays(8)).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aWarmupIsMarkedAndItsReferencesAreNotCountedForDrift() throws Exception {
        open();
        // A Dexcom G7 (30 min warm-up) that reads 40 % high from the start.
        for (int m = 0; m <= 120; m += 5) reading(glucose("cgm-1", "Dexcom G7", m, 140));
        reference(fingerstick(10, 100)); // in the warm-up
        reference(fingerstick(20, 100)); // in the warm-up
        reference(fingerstick(60, 100));
        watermark(180);
        assertThat(eventTypes()).containsExactly("WARMUP@10:00", "CALIBRATION_APPLIED@10:10",
                "CALIBRATION_APPLIED@10:20", "CALIBRATION_APPLIED@11:00");
        CalibrationEvent warmup = events().get(0);
        assertThat(Json.mapper().readTree(warmup.details).get("warmup_until").asText()).isEqualTo("2026-11-27T10:30:00Z");
        assertThat(events().get(1).mard).as("warm-up pairs are not accuracy").isNull();
        // The one pair after the warm-up: corrected to 100 already, so no error.
        assertThat(events().get(3).mard).isEqualTo(0.0);
        assertThat(points()).contains("10:10 100.0 [CALIBRATED] cal raw=140.0");
    }

    @Test
    void aReSentReferenceChangesNothing() throws Exception {
        open();
        for (int m = 0; m <= 60; m += 5) reading(glucose(m, 120));
        reference(fingerstick(20, 100));
        reference(fingerstick(20, 100)); // the same page twice before its time passes
        watermark(40);
        reference(fingerstick(20, 100)); // and once more after
        watermark(120);
        assertThat(eventTypes()).containsExactly("CALIBRATION_APPLIED@10:20");
        assertThat(versions()).hasSize(1);
        assertThat(versions().get(0).pairs).isEqualTo(1);
        var details = Json.mapper().readTree(events().get(0).details);
        assertThat(details.get("references")).hasSize(1);
    }

    @Test
    void aReferenceLessThanAToleranceBehindTheWatermarkIsStillOnTime() throws Exception {
        open();
        for (int m = 0; m <= 30; m += 5) reading(glucose(m, 120 + m));
        watermark(15); // past the reference's time, not past its time plus the tolerance
        reference(fingerstick(12, 100));
        watermark(60);
        assertThat(eventTypes()).containsExactly("CALIBRATION_APPLIED@10:12");
        assertThat(versions().get(0).validFrom).isEqualTo(at(12));
        assertThat(points()).contains("10:10 130.0 [] - raw=130.0", "10:15 105.0 [CALIBRATED] cal raw=135.0");
    }
}
