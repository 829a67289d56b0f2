package com.vitasense.quality;

import static com.vitasense.quality.QualityTestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceMetricQualityTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, DataPoint, DataPoint> harness;

    @BeforeEach
    void setUp() throws Exception {
        Properties p = new Properties();
        p.setProperty("state-retention", "1d");
        harness = open(QualityRules.defaults().withProperties(p));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, DataPoint, DataPoint> open(QualityRules rules)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DeviceMetricQuality(rules)),
                ReadingAdmission.keySelector(), Types.STRING);
        h.open();
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    private static DataPoint glucose(int minutes, double value) {
        return point("u-1", "cgm-1", "dexcom", "glucose", value, "mg/dL", at(minutes));
    }

    private void process(DataPoint p) throws Exception {
        harness.processElement(new StreamRecord<>(p, p.eventTimeMillis()));
    }

    private List<String> outputs() {
        return harness.extractOutputValues().stream()
                .map(p -> p.startTime.toString().substring(11, 16) + " " + p.value + " " + p.flags())
                .collect(Collectors.toList());
    }

    private List<String> issues() {
        var out = harness.getSideOutput(QualityOutputs.ISSUES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue)
                .map(i -> i.rule + " " + i.severity + " " + i.observedValue).collect(Collectors.toList());
    }

    private List<DeviceCompleteness> completeness() {
        var out = harness.getSideOutput(QualityOutputs.COMPLETENESS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void ofTheVersionsOfOneReadingOnlyTheLastRevisionIsChecked() throws Exception {
        process(glucose(0, 100));
        DataPoint first = glucose(5, 300);
        DataPoint corrected = glucose(5, 112);
        corrected.revision = 2;
        // Either arrival order: a batch backfill hands versions of one time over in no fixed order.
        process(corrected);
        process(first);
        harness.processWatermark(at(5).toEpochMilli());
        // The implausible first version is neither written nor reported: it was superseded before
        // the watermark reached it, and one reading counts once.
        assertThat(outputs()).containsExactly("10:00 100.0 []", "10:05 112.0 []");
        assertThat(harness.extractOutputValues().get(1).revision).isEqualTo(2);
        assertThat(issues()).isEmpty();
    }

    @Test
    void holdsReadingsUntilTheWatermarkAndChecksThemInEventTimeOrder() throws Exception {
        process(glucose(10, 120));
        process(glucose(0, 100));
        process(glucose(5, 110));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(at(10).toEpochMilli());
        assertThat(outputs()).containsExactly("10:00 100.0 []", "10:05 110.0 []", "10:10 120.0 []");
        assertThat(issues()).isEmpty();
    }

    @Test
    void fillsShortGapsAndReportsLongOnes() throws Exception {
        process(glucose(0, 100));
        process(glucose(15, 130));   // two readings missing: filled
        process(glucose(60, 140));   // eight missing: reported
        harness.processWatermark(at(60).toEpochMilli());
        assertThat(outputs()).containsExactly(
                "10:00 100.0 []",
                "10:05 110.0 [INTERPOLATED]", "10:10 120.0 [INTERPOLATED]",
                "10:15 130.0 []",
                "11:00 140.0 []");
        assertThat(issues()).containsExactly("DATA_GAP INFO 140.0");
        assertThat(harness.extractOutputValues().get(1).id).isNotEqualTo(harness.extractOutputValues().get(0).id);
    }

    @Test
    void neverInterpolatesAcrossSensorLimits() throws Exception {
        process(glucose(0, 100));
        DataPoint high = glucose(10, 400);
        high.withFlag(QualityFlag.SENSOR_LIMIT_HIGH);
        process(high);
        process(glucose(20, 300));
        harness.processWatermark(at(20).toEpochMilli());
        assertThat(outputs()).containsExactly("10:00 100.0 []", "10:10 400.0 [SENSOR_LIMIT_HIGH]", "10:20 300.0 []");
        assertThat(issues()).containsExactly("DATA_GAP INFO 400.0", "DATA_GAP INFO 300.0");
    }

    @Test
    void flagsOutOfRangeAndImpossibleJumpsButKeepsEverything() throws Exception {
        process(glucose(0, 100));
        process(glucose(5, 1200));  // implausible
        process(glucose(6, 900));   // +800 in 6 min from the last accepted value: beyond 20 + 100/min
        process(glucose(10, 190));  // +90 in 10 min: fast, but within the plausible rate
        process(glucose(15, 185));
        harness.processWatermark(at(15).toEpochMilli());
        assertThat(outputs()).containsExactly("10:00 100.0 []", "10:05 1200.0 [OUT_OF_RANGE]",
                "10:06 900.0 [IMPOSSIBLE_JUMP]", "10:10 190.0 []", "10:15 185.0 []");
        assertThat(issues()).containsExactly("OUT_OF_RANGE WARNING 1200.0", "IMPOSSIBLE_JUMP WARNING 900.0");
        List<QualityIssue> found = harness.getSideOutput(QualityOutputs.ISSUES).stream().map(StreamRecord::getValue)
                .collect(Collectors.toList());
        assertThat(found.get(0).expectedMin).isEqualTo(0.0);
        assertThat(found.get(0).expectedMax).isEqualTo(1000.0);
        assertThat(found.get(1).expectedMin).isEqualTo(100.0 - 620);
        assertThat(found.get(1).expectedMax).isEqualTo(100.0 + 620);
        assertThat(found.get(1).reason)
                .isEqualTo("glucose changed by +800.0 mg/dL in 360 s from 100.0; at most 620.0 is plausible");
    }

    @Test
    void aSustainedNewLevelIsAcceptedAfterThreeJumps() throws Exception {
        // Readings a minute apart: 100 -> 600 is beyond 20 + 100 mg/dL per minute for three minutes.
        process(glucose(0, 100));
        for (int i = 1; i <= 4; i++) process(glucose(i, 600));
        harness.processWatermark(at(4).toEpochMilli());
        assertThat(outputs()).containsExactly("10:00 100.0 []", "10:01 600.0 [IMPOSSIBLE_JUMP]",
                "10:02 600.0 [IMPOSSIBLE_JUMP]", "10:03 600.0 [IMPOSSIBLE_JUMP]", "10:04 600.0 []");
    }

    @Test
    void flagsTimestampsInTheFutureAndLongBeforeTheSeriesWasFirstSeen() throws Exception {
        DataPoint future = glucose(0, 100);
        future.ingestedAt = at(-10);
        process(future);
        // Not held for the watermark: it would wait until its (false) time comes.
        assertThat(harness.extractOutputValues()).hasSize(1);
        DataPoint ancient = glucose(5, 100);
        ancient.startTime = T0.minus(Duration.ofDays(400));
        ancient.endTime = ancient.startTime;
        ancient.ingestedAt = at(6);
        process(ancient);
        harness.processWatermark(at(5).toEpochMilli());
        assertThat(issues()).containsExactly("FUTURE_TIMESTAMP WARNING 100.0", "BEFORE_FIRST_SEEN WARNING 100.0");
        assertThat(harness.extractOutputValues()).allSatisfy(p -> assertThat(p.hasFlag(QualityFlag.TIMESTAMP_SUSPECT)).isTrue());
    }

    @Test
    void lateReadingIsCheckedAloneAndPassedOnAtOnce() throws Exception {
        process(glucose(0, 100));
        process(glucose(5, 110));
        harness.processWatermark(at(5).toEpochMilli());
        DataPoint late = glucose(3, 2000);
        late.withFlag(QualityFlag.LATE);
        process(late);
        assertThat(outputs()).containsExactly("10:00 100.0 []", "10:05 110.0 []", "10:03 2000.0 [OUT_OF_RANGE, LATE]");
    }

    @Test
    void reportsCompletenessWhenTheHourClosesAndAgainForALateReading() throws Exception {
        for (int m = 0; m < 60; m += 5) {
            if (m != 30) process(glucose(m, 100 + m / 5));
        }
        process(glucose(60, 112));
        harness.processWatermark(at(60).toEpochMilli());
        assertThat(completeness()).extracting(c -> c.hour + " " + c.received + "/" + c.expected)
                .containsExactly(T0 + " 11/12");

        process(glucose(30, 106)); // late, into the closed hour
        assertThat(completeness()).extracting(c -> c.hour + " " + c.received + "/" + c.expected)
                .containsExactly(T0 + " 11/12", T0 + " 12/12");
    }

    @Test
    void metricsWithoutAnIntervalHaveNoGapsOrCompleteness() throws Exception {
        process(point("u-1", "watch-1", "apple_health", "heart_rate", 60, "bpm", at(0)));
        process(point("u-1", "watch-1", "apple_health", "heart_rate", 62, "bpm", at(90)));
        harness.processWatermark(at(90).toEpochMilli());
        assertThat(issues()).isEmpty();
        assertThat(completeness()).isEmpty();
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void stateAndTimersAreGoneAfterTheRetention() throws Exception {
        process(glucose(0, 100));
        process(glucose(5, 110));
        harness.processWatermark(at(5).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(at(5).plus(Duration.ofDays(3)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aGrossOutlierAfterTheWarmUpIsFlaggedScoredAndReported() throws Exception {
        // A watch's heart rate every minute, steady within the sensor's noise, long past the
        // heart-rate detector's warm-up; then one reading far off, which neither the plausible range
        // (20-250 bpm) nor the jump limit (50 + 60 bpm/min) catches: the detector's business alone.
        OutlierDetector detector = OutlierDetector.forMetric("heart_rate");
        int steady = detector.warmupPoints() + 30;
        int[] wiggle = {0, 1, -1, 2, -2, 1, 0, -1};
        for (int m = 0; m < steady; m++) process(heartRate(m, 70 + wiggle[m % wiggle.length]));
        process(heartRate(steady, 125));
        harness.processWatermark(at(steady).toEpochMilli());

        List<DataPoint> out = harness.extractOutputValues();
        assertThat(out).hasSize(steady + 1);
        DataPoint outlier = out.get(steady);
        assertThat(outlier.value).isEqualTo(125.0);
        assertThat(outlier.flags()).containsExactly(QualityFlag.OUTLIER);
        assertThat(outlier.anomalyScore).isBetween(detector.threshold(), 1.0);
        // Every reading is scored; the steady ones after the warm-up stay below the threshold, unflagged.
        for (DataPoint p : out.subList(detector.warmupPoints(), steady)) {
            assertThat(p.anomalyScore).as("%s", p.startTime).isNotNull().isLessThan(detector.threshold());
            assertThat(p.flags()).as("%s", p.startTime).isEmpty();
        }

        assertThat(harness.getSideOutput(QualityOutputs.ISSUES)).hasSize(1);
        QualityIssue issue = harness.getSideOutput(QualityOutputs.ISSUES).peek().getValue();
        assertThat(issue.rule).isEqualTo("OUTLIER");
        assertThat(issue.severity).isEqualTo("WARNING");
        assertThat(issue.deviceId).isEqualTo("watch-1");
        assertThat(issue.metric).isEqualTo("heart_rate");
        assertThat(issue.eventTime).isEqualTo(at(steady));
        assertThat(issue.dataPointId).isEqualTo(outlier.id);
        assertThat(issue.observedValue).isEqualTo(125.0);
        assertThat(issue.reason).isEqualTo(String.format(
                "heart_rate 125.0 bpm is unusual for this device (anomaly score %.3f, threshold %.3f)",
                outlier.anomalyScore, detector.threshold()));
    }

    @Test
    void aDeviceModelsOwnJumpLimitAndIntervalDecideForItsReadings() throws Exception {
        harness.close();
        Properties p = new Properties();
        // Spelt in another case than the devices report it: models match case-insensitively.
        p.setProperty("jump.glucose@dexcom g6", "10+2");
        p.setProperty("interval.dexcom.glucose@DEXCOM G6", "1m");
        harness = open(QualityRules.defaults().withProperties(p));
        // The same readings from two models: +30 mg/dL in 5 minutes, readings 5 minutes apart.
        for (String model : List.of("Dexcom G6", "Dexcom G7")) {
            String device = model.endsWith("G6") ? "cgm-g6" : "cgm-g7";
            for (int[] reading : new int[][] {{0, 100}, {5, 130}}) {
                DataPoint r = point("u-1", device, "dexcom", "glucose", reading[1], "mg/dL", at(reading[0]));
                r.deviceModel = model;
                process(r);
            }
        }
        harness.processWatermark(at(5).toEpochMilli());
        assertThat(harness.extractOutputValues()).extracting(r -> r.deviceId + " " + r.value + " " + r.flags())
                .containsExactlyInAnyOrder("cgm-g6 100.0 []", "cgm-g6 130.0 [IMPOSSIBLE_JUMP]",
                        "cgm-g7 100.0 []", "cgm-g7 130.0 []");
        // The G6 is expected every minute (four readings missing: more than max-fill-intervals),
        // the G7 every five, as the vendor's default says.
        assertThat(harness.getSideOutput(QualityOutputs.ISSUES)).extracting(r -> r.getValue().deviceId + " "
                + r.getValue().rule + " " + r.getValue().reason).containsExactlyInAnyOrder(
                "cgm-g6 DATA_GAP no reading for 5 min before this one (expected every 1 min; 4 missing)",
                "cgm-g6 IMPOSSIBLE_JUMP glucose changed by +30.0 mg/dL in 300 s from 100.0; at most 20.0 is plausible");
    }

    private static DataPoint heartRate(int minutes, double bpm) {
        return point("u-1", "watch-1", "apple_health", "heart_rate", bpm, "bpm", at(minutes));
    }
}
