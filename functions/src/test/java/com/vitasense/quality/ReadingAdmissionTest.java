package com.vitasense.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadingAdmissionTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long RETENTION = 48 * HOUR;

    private ReadingAdmission admission;
    private KeyedOneInputStreamOperatorTestHarness<String, DataPoint, DataPoint> harness;

    @BeforeEach
    void setUp() throws Exception {
        admission = new ReadingAdmission();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(admission),
                ReadingAdmission.keySelector(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void exactRepeatIsDroppedAndCounted() throws Exception {
        DataPoint p = point("r-1", T0, 100);
        process(p);
        process(p.copy());
        process(p.copy());
        assertThat(harness.extractOutputValues()).containsExactly(p);
        assertThat(admission.exactRepeatsDropped()).isEqualTo(2);
    }

    @Test
    void changedContentCountsTheRevisionUp() throws Exception {
        DataPoint v1 = point("r-1", T0, 100);
        DataPoint v2 = received(point("r-1", T0, 104), 60);
        DataPoint v3 = received(point("r-1", T0, 104), 120);
        v3.deviceModel = "Dexcom G7";
        process(v1);
        process(v2);
        process(v2.copy()); // exact repeat of the latest version
        process(v3);
        List<DataPoint> out = harness.extractOutputValues();
        assertThat(out).extracting(d -> d.revision).containsExactly(1, 2, 3);
        assertThat(out).extracting(d -> d.value).containsExactly(100.0, 104.0, 104.0);
        assertThat(out).allSatisfy(d -> assertThat(d.id).isEqualTo("r-1"));
        assertThat(admission.exactRepeatsDropped()).isEqualTo(1);
        assertThat(harness.getSideOutput(QualityOutputs.ISSUES)).extracting(r -> r.getValue().rule + " " + r.getValue().reason)
                .containsExactly(
                        "REVISION_CONFLICT re-sent with different content: revision 2 replaces revision 1",
                        "REVISION_CONFLICT re-sent with different content: revision 3 replaces revision 2");
        // The input is not mutated: its revision stays as it came.
        assertThat(v2.revision).isEqualTo(1);
    }

    @Test
    void inBatchModeVersionsAreNumberedInOrderOfReceiptWhateverOrderTheyArriveIn() throws Exception {
        holdUntilWatermark();
        // A batch backfill hands records of one key and time over in no particular order.
        DataPoint v1 = received(point("r-1", T0, 100), 0);
        DataPoint v2 = received(point("r-1", T0, 104), 3600);
        DataPoint v3 = received(point("r-1", T0, 99), 7200);
        process(v3);
        process(v1);
        process(v2);
        process(v1.copy());
        assertThat(harness.extractOutputValues()).as("held until the watermark passes").isEmpty();
        release(T0);
        assertThat(harness.extractOutputValues()).extracting(d -> d.revision + ":" + d.value)
                .containsExactly("1:100.0", "2:104.0", "3:99.0");
        assertThat(admission.exactRepeatsDropped()).isEqualTo(1);

        // A version received after the watermark passed the reading is late, and comes next.
        release(T0.plusSeconds(60));
        process(received(point("r-1", T0, 101), 9000));
        assertThat(harness.extractOutputValues()).last().satisfies(d -> {
            assertThat(d.revision).isEqualTo(4);
            assertThat(d.hasFlag(QualityFlag.LATE)).isTrue();
        });
    }

    @Test
    void inBatchModeAReadingDatedAfterItsReceiptIsJudgedAtOnce() throws Exception {
        holdUntilWatermark();
        DataPoint future = point("ahead", T0.plusSeconds(86_400), 100);
        future.ingestedAt = T0;
        process(future);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> assertThat(d.hasFlag(QualityFlag.LATE)).isFalse());
    }

    @Test
    void differentIdsAreIndependent() throws Exception {
        process(point("r-1", T0, 100));
        process(point("r-2", T0.plusSeconds(300), 100));
        assertThat(harness.extractOutputValues()).extracting(d -> d.revision).containsExactly(1, 1);
    }

    @Test
    void pointBelowTheWatermarkIsFlaggedLateButKept() throws Exception {
        harness.processWatermark(T0.toEpochMilli() + 10 * MINUTE);
        process(point("late", T0, 100));
        process(point("on-time", T0.plusSeconds(20 * 60), 100));
        List<DataPoint> out = harness.extractOutputValues();
        assertThat(out).extracting(d -> d.id).containsExactly("late", "on-time");
        assertThat(out.get(0).hasFlag(QualityFlag.LATE)).isTrue();
        assertThat(out.get(1).hasFlag(QualityFlag.LATE)).isFalse();
    }

    @Test
    void cleanupTimersAreCoalescedPerMinute() throws Exception {
        process(point("a", T0.plusSeconds(10), 1));
        process(point("b", T0.plusSeconds(40), 1)); // expiry in the same minute: the same timer
        process(point("c", T0.plusSeconds(70), 1));
        release(T0.plusSeconds(70));
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        assertThat(harness.numKeyedStateEntries()).isPositive();
    }

    @Test
    void stateAndTimersAreGoneAfterRetention() throws Exception {
        DataPoint first = point("a", T0, 1);
        process(first);
        process(point("b", T0.plusSeconds(3600), 1));
        release(T0.plusSeconds(3600));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        // Past the first reading's retention only: the second is still remembered.
        harness.processWatermark(T0.toEpochMilli() + RETENTION + MINUTE);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        process(point("b", T0.plusSeconds(3600), 1));
        assertThat(admission.exactRepeatsDropped()).isEqualTo(1);

        harness.processWatermark(T0.toEpochMilli() + HOUR + RETENTION + MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // A repeat after retention is written again with the same id (sinks upsert), flagged late,
        // and not remembered: state stays empty.
        harness.getOutput().clear();
        process(first.copy());
        assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> {
            assertThat(d.id).isEqualTo("a");
            assertThat(d.revision).isEqualTo(1);
            assertThat(d.hasFlag(QualityFlag.LATE)).isTrue();
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void eachCleanupTimerForgetsExactlyTheReadingsItWasSetFor() throws Exception {
        for (int m = 0; m < 100; m++) process(point("r-" + m, T0.plusSeconds(60L * m), m));
        release(T0.plusSeconds(60L * 99));
        // Past the retention of the first 40 readings only.
        harness.processWatermark(T0.toEpochMilli() + RETENTION + 39 * MINUTE);
        assertThat(harness.numEventTimeTimers()).isEqualTo(60);
        harness.getOutput().clear();
        for (int m = 0; m < 100; m++) process(point("r-" + m, T0.plusSeconds(60L * m), m));
        // The forgotten 40 are written again (late, same ids); the remembered 60 are repeats.
        assertThat(harness.extractOutputValues()).hasSize(40).allSatisfy(d -> assertThat(d.hasFlag(QualityFlag.LATE)).isTrue());
        assertThat(admission.exactRepeatsDropped()).isEqualTo(60);

        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void retentionIsConfigurable() throws Exception {
        harness.close();
        admission = new ReadingAdmission(Duration.ofMinutes(10));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(admission),
                ReadingAdmission.keySelector(), Types.STRING);
        harness.open();
        process(point("a", T0, 1));
        harness.processWatermark(T0.toEpochMilli() + 10 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keyIsDeviceAndMetric() throws Exception {
        DataPoint p = point("a", T0, 1);
        assertThat(ReadingAdmission.key(p)).isEqualTo("dev-1|glucose");
        assertThat(ReadingAdmission.keySelector().getKey(p)).isEqualTo("dev-1|glucose");
    }

    @Test
    void cleanupTimeRoundsUpToTheMinuteAndSaturates() {
        assertThat(ReadingAdmission.cleanupTime(0, MINUTE)).isEqualTo(MINUTE);
        assertThat(ReadingAdmission.cleanupTime(1, MINUTE)).isEqualTo(2 * MINUTE);
        assertThat(ReadingAdmission.cleanupTime(-1, MINUTE)).isEqualTo(MINUTE);
        assertThat(ReadingAdmission.cleanupTime(Long.MAX_VALUE - 5, RETENTION)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new ReadingAdmission(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private void process(DataPoint p) throws Exception {
        harness.processElement(p, p.eventTimeMillis());
    }

    /** Replaces the harness with one of batch mode's admission, which waits for the watermark. */
    private void holdUntilWatermark() throws Exception {
        harness.close();
        admission = new ReadingAdmission(Duration.ofHours(48), Duration.ofMinutes(5), true);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(admission),
                ReadingAdmission.keySelector(), Types.STRING);
        harness.open();
    }

    /** Moves the watermark to {@code t}: every reading up to it is judged. */
    private void release(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    /** {@code p} as received {@code seconds} after its usual receipt: a later version sent by the vendor. */
    private static DataPoint received(DataPoint p, long seconds) {
        p.ingestedAt = p.ingestedAt.plusSeconds(seconds);
        return p;
    }

    static DataPoint point(String id, Instant start, double value) {
        DataPoint p = new DataPoint();
        p.id = id;
        p.revision = 1;
        p.userId = "u";
        p.deviceId = "dev-1";
        p.vendor = "canonical";
        p.metric = "glucose";
        p.value = value;
        p.unit = "mg/dL";
        p.rawValue = Double.toString(value);
        p.rawUnit = "mg/dL";
        p.startTime = start;
        p.endTime = start;
        p.timeSource = "VENDOR_OFFSET";
        p.ingestedAt = start.plusSeconds(5);
        return p;
    }
}
