package com.vitasense.quality;

import static com.vitasense.quality.QualityTestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.ReferenceMeasurement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class ReadingWatermarksTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final long MINUTE = 60_000;

    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    @Test
    void trailsTheNewestReadingByTheOutOfOrderness() {
        ReadingWatermarks.Generator g = new ReadingWatermarks.Generator(5 * MINUTE, 5 * MINUTE);
        g.onEvent(ParsedMeasurement.of(hr(T0, T0.plusSeconds(5))), 0, output);
        g.onEvent(ParsedMeasurement.of(hr(T0.minusSeconds(600), T0)), 0, output);
        g.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(T0.toEpochMilli() - 5 * MINUTE - 1);
    }

    @Test
    void aReadingDatedAfterItsReceiptCountsOnlyUpToReceiptPlusSkew() {
        ReadingWatermarks.Generator g = new ReadingWatermarks.Generator(5 * MINUTE, 5 * MINUTE);
        g.onEvent(ParsedMeasurement.of(hr(T0.plusSeconds(365L * 24 * 3600), T0)), 0, output);
        g.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(T0.toEpochMilli() + 5 * MINUTE - 5 * MINUTE - 1);
    }

    @Test
    void referencesDoNotMoveTheWatermark() {
        ReadingWatermarks.Generator g = new ReadingWatermarks.Generator(5 * MINUTE, 5 * MINUTE);
        g.onEvent(ParsedMeasurement.of(hr(T0, T0)), 0, output);
        ReferenceMeasurement fingerstick = new ReferenceMeasurement();
        fingerstick.time = T0.plusSeconds(3600);
        g.onEvent(ParsedMeasurement.of(fingerstick), 0, output);
        g.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(T0.toEpochMilli() - 5 * MINUTE - 1);
    }

    private static DataPoint hr(Instant time, Instant received) {
        DataPoint p = point("u-1", "watch-1", "canonical", "heart_rate", 60, "bpm", time);
        p.ingestedAt = received;
        return p;
    }
}
