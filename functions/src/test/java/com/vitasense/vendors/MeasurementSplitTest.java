package com.vitasense.vendors;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.ReferenceMeasurement;
import java.time.Instant;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MeasurementSplitTest {
    private static final Instant T = Instant.parse("2026-11-27T09:00:00Z");

    @Test
    void readingsGoToTheMainOutputReferencesAndEventsToTheirsWithTheirTimestamps() throws Exception {
        DataPoint reading = new DataPoint();
        reading.id = "p-1";
        reading.startTime = T;
        ReferenceMeasurement fingerstick = new ReferenceMeasurement();
        fingerstick.id = "r-1";
        fingerstick.time = T.plusSeconds(60);
        DeviceEvent battery = new DeviceEvent();
        battery.id = "e-1";
        battery.eventTime = T.plusSeconds(90);
        try (var harness = new OneInputStreamOperatorTestHarness<ParsedMeasurement, DataPoint>(
                new ProcessOperator<>(new MeasurementSplit()))) {
            harness.open();
            harness.processElement(ParsedMeasurement.of(reading), T.toEpochMilli());
            harness.processElement(ParsedMeasurement.of(fingerstick), fingerstick.time.toEpochMilli());
            harness.processElement(ParsedMeasurement.of(battery), battery.eventTime.toEpochMilli());
            harness.processWatermark(new Watermark(fingerstick.time.toEpochMilli()));

            assertThat(harness.extractOutputValues()).containsExactly(reading);
            assertThat(harness.getSideOutput(MeasurementSplit.REFERENCES)).singleElement().satisfies(r -> {
                assertThat(r.getValue()).isEqualTo(fingerstick);
                assertThat(r.getTimestamp()).isEqualTo(fingerstick.time.toEpochMilli());
            });
            assertThat(harness.getSideOutput(MeasurementSplit.DEVICE_EVENTS)).singleElement().satisfies(r -> {
                assertThat(r.getValue()).isEqualTo(battery);
                assertThat(r.getTimestamp()).isEqualTo(battery.eventTime.toEpochMilli());
            });
            // The watermark follows the reading on the main output; downstream of the job graph's
            // side-output edges, it follows the reference and the event the same way (one operator, one order).
            assertThat(harness.getOutput()).last().isInstanceOf(Watermark.class);
        }
    }
}
