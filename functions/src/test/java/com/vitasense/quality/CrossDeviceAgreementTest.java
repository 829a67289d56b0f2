package com.vitasense.quality;

import static com.vitasense.quality.QualityTestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrossDeviceAgreementTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, DataPoint, DataPoint> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CrossDeviceAgreement(QualityRules.defaults())),
                CrossDeviceAgreement.keySelector(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static DataPoint hr(String device, int seconds, double bpm) {
        return point("u-1", device, "canonical", "heart_rate", bpm, "bpm", T0.plusSeconds(seconds));
    }

    private void process(DataPoint p) throws Exception {
        harness.processElement(new StreamRecord<>(p, p.eventTimeMillis()));
    }

    private List<String> outputs() {
        return harness.extractOutputValues().stream().map(p -> p.deviceId + " " + p.value + " " + p.flags())
                .collect(Collectors.toList());
    }

    @Test
    void disagreeingDevicesAreBothFlaggedAndReported() throws Exception {
        process(hr("watch-1", 0, 70));
        process(hr("ring-1", 20, 100));
        process(hr("watch-1", 30, 72));
        harness.processWatermark(T0.plusSeconds(30).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty(); // held for the one-minute window
        harness.processWatermark(T0.plusSeconds(120).toEpochMilli());
        assertThat(outputs()).containsExactly(
                "watch-1 70.0 [DEVICE_DISAGREEMENT]", "ring-1 100.0 [DEVICE_DISAGREEMENT]", "watch-1 72.0 [DEVICE_DISAGREEMENT]");
        assertThat(harness.getSideOutput(QualityOutputs.ISSUES)).extracting(r -> r.getValue().deviceId + " vs "
                + r.getValue().reason.split(" disagrees with ")[1].split(" ")[0]).containsExactly(
                "watch-1 vs ring-1", "ring-1 vs watch-1", "watch-1 vs ring-1");
    }

    @Test
    void agreeingOrDistantReadingsAreNotFlagged() throws Exception {
        process(hr("watch-1", 0, 70));
        process(hr("ring-1", 10, 80));    // within 15 bpm
        process(hr("ring-1", 200, 140));  // more than a minute away from any watch reading
        harness.processWatermark(T0.plusSeconds(600).toEpochMilli());
        assertThat(outputs()).containsExactly("watch-1 70.0 []", "ring-1 80.0 []", "ring-1 140.0 []");
        assertThat(harness.getSideOutput(QualityOutputs.ISSUES)).isNull();
    }

    @Test
    void implausibleAndFilledInValuesAreNotCompared() throws Exception {
        process(hr("watch-1", 0, 70));
        DataPoint filled = hr("ring-1", 5, 130);
        filled.withFlag(QualityFlag.INTERPOLATED);
        process(filled);
        harness.processWatermark(T0.plusSeconds(600).toEpochMilli());
        assertThat(outputs()).containsExactly("watch-1 70.0 []", "ring-1 130.0 [INTERPOLATED]");
    }

    @Test
    void metricsWithoutAgreementPassStraightThrough() throws Exception {
        process(point("u-1", "watch-1", "canonical", "steps", 10, "count", T0));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void stateIsBoundedWhileReadingsComeAndGoneOnceTheKeyIsQuiet() throws Exception {
        for (int i = 0; i < 100; i++) {
            process(hr(i % 2 == 0 ? "watch-1" : "ring-1", 30 * i, 70));
            harness.processWatermark(T0.plusSeconds(30 * i).toEpochMilli() - 1);
            // Pending readings, recent buckets, the lowest bucket: only what the window needs.
            assertThat(harness.numKeyedStateEntries()).isLessThanOrEqualTo(3);
        }
        harness.processWatermark(T0.plusSeconds(30 * 100 + 120).toEpochMilli());
        assertThat(harness.extractOutputValues()).hasSize(100);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aQuietKeyLosesItsLastBucketToTheCleanupTimer() throws Exception {
        process(hr("watch-1", 0, 70));
        process(hr("ring-1", 10, 72));
        // Both readings are out (their own timers fired at 60 s and 70 s), but a reading up to a
        // window after them could still pair with them: their bucket stays, with its cleanup timer.
        harness.processWatermark(T0.plusSeconds(100).toEpochMilli());
        assertThat(outputs()).containsExactly("watch-1 70.0 []", "ring-1 72.0 []");
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Bucket [0 s, 60 s) goes at 180 s, when a reading timer would have dropped it.
        harness.processWatermark(T0.plusSeconds(180).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aHistoryHeldUntilTheEndIsJudgedAsWhenStreamed() throws Exception {
        // Three hours of a watch every minute and a ring every five, the ring off once at 95 min.
        List<DataPoint> history = new java.util.ArrayList<>();
        for (int m = 0; m < 180; m++) {
            history.add(hr("watch-1", 60 * m, 70 + m % 7));
            if (m % 5 == 0) history.add(hr("ring-1", 60 * m + 20, 71 + m % 7 + (m == 95 ? 40 : 0)));
        }
        // As a stream: the watermark follows the readings.
        for (DataPoint p : history) {
            process(p.copy());
            harness.processWatermark(p.eventTimeMillis() - 1);
        }
        harness.processWatermark(Long.MAX_VALUE);
        List<String> streamed = outputs();
        List<String> streamedIssues = issues();
        harness.close();

        // As a batch backfill: everything held until the watermark jumps to the end.
        setUp();
        for (DataPoint p : history) process(p.copy());
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(outputs()).containsExactlyInAnyOrderElementsOf(streamed).hasSize(history.size());
        assertThat(issues()).containsExactlyInAnyOrderElementsOf(streamedIssues)
                .containsExactlyInAnyOrder("watch-1 95 vs ring-1", "ring-1 95 vs watch-1", "watch-1 96 vs ring-1");
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private List<String> issues() {
        var issues = harness.getSideOutput(QualityOutputs.ISSUES);
        if (issues == null) return List.of();
        return issues.stream().map(r -> r.getValue().deviceId + " "
                + (r.getValue().eventTime.getEpochSecond() - T0.getEpochSecond()) / 60 + " vs "
                + r.getValue().reason.split(" disagrees with ")[1].split(" ")[0]).collect(Collectors.toList());
    }
}
