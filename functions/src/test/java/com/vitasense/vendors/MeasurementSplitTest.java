package com.vitasense.vendors;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
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
    void readingsGoToTheMainOutputReferencesToTheirsWithTheirTimestamps() throws Exception {
        DataPoint reading = new DataPoint();
        reading.id = "p-1";
        reading.startTime = T;
        ReferenceMeasurement fingerstick = new ReferenceMeasurement();
        fingerstick.id = "r-1";
        fingerstick.time = T.plusSeconds(60);
        try (var harness = new OneInputStreamOperatorTestHarness<ParsedMeasurement, DataPoint>(
                new ProcessOperator<>(new MeasurementSplit()))) {
            harness.open();
            harness.processElement(ParsedMeasurement.of(reading), T.toEpochMilli());
            harness.processElement(ParsedMeasurement.of(fingerstick), fingerstick.time.toEpochMilli());
            harness.processWatermark(new Watermark(fingerstick.time.toEpochMilli()));

            assertThat(harness.extractOutputValues()).containsExactly(reading);
            assertThat(harness.getSideOutput(MeasurementSplit.REFERENCES)).singleElement().satisfies(r -> {
                assertThat(r.getValue()).isEqualTo(fingerstick);
                assertThat(r.getTimestamp()).isEqualTo(fingerstick.time.toEpochMilli());
            });
            // The watermark follows the reading on the main output; downstream of the job graph's
            // side-output edge, it follows the reference the same way (one operator, one order).
            assertThat(harness.getOutput()).last().isInstanceOf(Watermark.class);
        }
    }
}
