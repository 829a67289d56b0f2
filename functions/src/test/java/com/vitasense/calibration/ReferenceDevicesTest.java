package com.vitasense.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReferenceDevicesTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, DataPoint, ReferenceMeasurement> harness;

    @BeforeEach
    void setUp() throws Exception {
        Properties p = new Properties();
        p.setProperty("calibration.metrics", "glucose,heart_rate");
        p.setProperty("calibration.reference-device.heart_rate", "Polar H10");
        p.setProperty("calibration.state-retention", "7d");
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReferenceDevices(CalibrationRules.defaults().withProperties(p))),
                ReferenceDevices.keySelector(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void hr(String device, String model, int minutes, double bpm, QualityFlag... flags) throws Exception {
        DataPoint p = CalibrationCorrectionTest.glucose(device, model, minutes, bpm);
        p.metric = "heart_rate";
        p.unit = "bpm";
        for (QualityFlag f : flags) p.withFlag(f);
        harness.processElement(new StreamRecord<>(p, p.eventTimeMillis()));
    }

    private List<String> references() {
        return harness.extractOutputValues().stream()
                .map(r -> r.deviceId + " " + r.value + " @" + r.time.toString().substring(11, 16) + " " + r.source).toList();
    }

    @Test
    void theFirstChestStrapReadingOfEachHourIsAReferenceForTheUsersOtherDevices() throws Exception {
        hr("watch-1", "Apple Watch", 0, 70);
        hr("ring-1", "Oura Ring Gen3", 1, 68);
        hr("strap-1", "Polar H10", 2, 72);
        hr("watch-1", "Apple Watch", 3, 71);
        hr("strap-1", "Polar H10", 4, 73); // same hour: no second reference
        hr("strap-1", "Polar H10", 61, 90, QualityFlag.OUTLIER); // not a trustworthy reading
        hr("strap-1", "Polar H10", 62, 91);
        assertThat(references()).containsExactly(
                "ring-1 72.0 @10:02 device:strap-1", "watch-1 72.0 @10:02 device:strap-1",
                // The ring was last seen more than an interval before: no longer a target.
                "watch-1 91.0 @11:02 device:strap-1");
        assertThat(harness.extractOutputValues().get(0).id).isNotEqualTo(harness.extractOutputValues().get(1).id);
    }

    @Test
    void stateIsDroppedAfterTheRetention() throws Exception {
        hr("watch-1", "Apple Watch", 0, 70);
        hr("strap-1", "Polar H10", 2, 72);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(new Watermark(T0.plusSeconds(8 * 86_400).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
