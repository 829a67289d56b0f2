package com.vitasense.vendors;

import static com.vitasense.vendors.Envelopes.dataPoint;
import static com.vitasense.vendors.Envelopes.envelope;
import static com.vitasense.vendors.Envelopes.object;
import static com.vitasense.vendors.Envelopes.pointPayload;
import static com.vitasense.vendors.Envelopes.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.RawRecord;
import com.vitasense.records.ReferenceMeasurement;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RawRecordParserTest {
    private OneInputStreamOperatorTestHarness<RawRecord, ParsedMeasurement> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new RawRecordParser()));
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void routesEveryOutcomeToItsOutput() throws Exception {
        ObjectNode status = object();
        status.put("battery_level", 15);
        ObjectNode calibration = object();
        calibration.put("metric", "glucose");
        calibration.put("value", 112);
        calibration.put("unit", "mg/dL");
        calibration.put("time", "2026-11-27T09:00:00Z");

        harness.processElement(record(dataPoint(pointPayload("heart_rate", 61, "bpm", "2026-11-27T09:55:00Z"))), 1L);
        harness.processElement(record(envelope("dexcom", "device_status", status)), 2L);
        harness.processElement(record(envelope("canonical", "calibration", calibration)), 3L);
        harness.processElement(record("{\"not\": \"an envelope\""), 4L);
        harness.processElement(record(new byte[] {(byte) 0xc3, (byte) 0x28}), 5L);
        harness.processElement(record(envelope("whoop", "recovery", object())), 6L);

        List<ParsedMeasurement> parsed = harness.extractOutputValues();
        // Readings, device events and references in one stream, in parse order (see ParsedMeasurement).
        assertThat(parsed).hasSize(3);
        assertThat(parsed.get(0).reference).isNull();
        assertThat(parsed.get(0).point).satisfies(p -> {
            assertThat(p.metric).isEqualTo("heart_rate");
            assertThat(p.value).isEqualTo(61.0);
            assertThat(p.startTime).isEqualTo(Instant.parse("2026-11-27T09:55:00Z"));
        });
        // The stream record keeps the input's (broker) timestamp; event time is assigned downstream.
        assertThat(harness.extractOutputStreamRecords()).extracting(StreamRecord::getTimestamp)
                .containsExactly(1L, 2L, 3L);

        assertThat(parsed.get(1).event).satisfies(e -> {
            assertThat(e.type).isEqualTo(DeviceEvent.Type.DEVICE_STATUS.name());
            assertThat(e.batteryLevel).isEqualTo(15.0);
            assertThat(e.vendor).isEqualTo("dexcom");
        });
        assertThat(parsed.get(2).point).isNull();
        assertThat(parsed.get(2).reference).satisfies(r -> {
            assertThat(r.metric).isEqualTo("glucose");
            assertThat(r.value).isEqualTo(112.0);
        });
        assertThat(values(RawRecordParser.DEAD_LETTERS)).extracting(d -> d.reason)
                .containsExactly("MALFORMED_JSON", "MALFORMED_JSON", "MISSING_FIELD");
        assertThat(values(RawRecordParser.DEAD_LETTERS)).extracting(d -> d.offset).containsOnly(42L);
    }

    /** A partial envelope: its good points go on, and its one dead letter names what it skipped. */
    @Test
    void partialEnvelopeKeepsItsPointsAndReportsWhatItSkipped() throws Exception {
        harness.processElement(VendorFixtures.record("oura/sleep.json"), 7L);

        assertThat(harness.extractOutputValues()).hasSize(23)
                .filteredOn(m -> m.point != null).hasSize(22);
        assertThat(values(RawRecordParser.DEAD_LETTERS)).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("NO_MEASUREMENT");
            assertThat(d.error).startsWith("no measurement in 7 item(s) of this record, its other output was kept: ");
            assertThat(d.raw).contains("\"type\": \"deleted\"");
        });
    }

    @Test
    void referencesBecomeDeadLettersWhenNothingConsumesThem() throws Exception {
        ObjectNode calibration = object();
        calibration.put("metric", "glucose");
        calibration.put("value", 112);
        calibration.put("unit", "mg/dL");
        calibration.put("time", "2026-11-27T09:00:00Z");
        try (var withoutReferences = new OneInputStreamOperatorTestHarness<RawRecord, ParsedMeasurement>(
                new ProcessOperator<>(new RawRecordParser(new EnvelopeParser(), false)))) {
            withoutReferences.open();
            withoutReferences.processElement(record(envelope("canonical", "calibration", calibration)), 1L);

            assertThat(withoutReferences.extractOutputValues()).isEmpty();
            assertThat(withoutReferences.getSideOutput(RawRecordParser.DEAD_LETTERS)).singleElement()
                    .satisfies(r -> {
                        assertThat(r.getValue().reason).isEqualTo("NOT_YET_SUPPORTED");
                        assertThat(r.getValue().kind).isEqualTo("calibration");
                        assertThat(r.getValue().offset).isEqualTo(42L);
                    });
        }
    }

    @Test
    void sideOutputTagsHaveExplicitTypes() {
        assertThat(RawRecordParser.DEAD_LETTERS.getTypeInfo().getTypeClass()).isEqualTo(DeadLetter.class);
        assertThat(MeasurementSplit.DEVICE_EVENTS.getTypeInfo().getTypeClass()).isEqualTo(DeviceEvent.class);
        assertThat(MeasurementSplit.REFERENCES.getTypeInfo().getTypeClass()).isEqualTo(ReferenceMeasurement.class);
        assertThat(List.of(MeasurementSplit.DEVICE_EVENTS.getId(), MeasurementSplit.REFERENCES.getId()))
                .doesNotHaveDuplicates();
    }

    private <T> List<T> values(OutputTag<T> tag) {
        Queue<StreamRecord<T>> out = harness.getSideOutput(tag);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
