package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WatermarkHoldbackTest {
    @Test
    void recordsPassInOrderAndWatermarksFollowByTheDelay() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<String, String>(
                new WatermarkHoldback<>(Duration.ofMinutes(5)))) {
            harness.open();
            harness.processElement("08:00", 1_000L);
            harness.processWatermark(new Watermark(600_000L));
            harness.processElement("08:01", 2_000L);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));

            assertThat(harness.getOutput()).containsExactly(
                    new StreamRecord<>("08:00", 1_000L), new Watermark(300_000L),
                    new StreamRecord<>("08:01", 2_000L), new Watermark(Long.MAX_VALUE));
        }
    }

    @Test
    void theEarliestWatermarkDoesNotWrapAround() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<String, String>(
                new WatermarkHoldback<>(Duration.ofMinutes(5)))) {
            harness.open();
            harness.processWatermark(new Watermark(Long.MIN_VALUE + 1));
            assertThat(harness.getOutput()).containsExactly(new Watermark(Long.MIN_VALUE));
        }
    }

    @Test
    void aNegativeDelayIsRejected() {
        assertThatThrownBy(() -> new WatermarkHoldback<String>(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
