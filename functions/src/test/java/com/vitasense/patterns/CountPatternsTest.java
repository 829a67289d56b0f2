package com.vitasense.patterns;

import static com.vitasense.patterns.Signals.event;
import static com.vitasense.patterns.Signals.issue;
import static com.vitasense.patterns.Signals.reading;
import static com.vitasense.patterns.Signals.shuffled;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DeviceEvent;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The count-within-a-window patterns: SENSOR_ERROR, QUALITY_DEGRADED, CALIBRATION_DRIFT, SYNC_FAILING, SYNC_CONFLICT. */
class CountPatternsTest {
    private static final AlertRules RULES = AlertRules.defaults();

    @Test
    void repeatedSensorErrorsOrSentinelReadings() throws Exception {
        var in = shuffled(List.of(
                event("a", DeviceEvent.Type.SENSOR_ERROR, 0, "9"), event("a", DeviceEvent.Type.SENSOR_ERROR, 5, "9"),
                reading("a", "glucose", 10, 400, QualityFlag.SENSOR_LIMIT_HIGH), reading("a", "glucose", 15, 120),
                // Three errors over two hours are not "repeated".
                event("b", DeviceEvent.Type.SENSOR_ERROR, 0, "12"), event("b", DeviceEvent.Type.SENSOR_ERROR, 60, "12"),
                event("b", DeviceEvent.Type.SENSOR_ERROR, 120, "12")));
        assertThat(PatternRunner.run(new SensorErrorPattern(RULES), in))
                .containsExactly("a SENSOR_ERROR HOLDS WARNING at 10 from 0");
    }

    @Test
    void qualityDegradedAtFiveIssuesWithinAnHourRevisionConflictsNotCounted() throws Exception {
        List<DeviceSignal> in = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) in.add(issue("a", 10 * i, QualityRule.OUT_OF_RANGE));
        for (int i = 0; i < 4; i++) in.add(issue("b", 10 * i, QualityRule.OUTLIER));
        in.add(issue("b", 45, QualityRule.REVISION_CONFLICT));
        assertThat(PatternRunner.run(new QualityDegradedPattern(RULES), shuffled(in)))
                .containsExactly("a QUALITY_DEGRADED HOLDS WARNING at 40 from 0");
        assertThat(PatternRunner.run(new SyncConflictPattern(RULES), shuffled(in)))
                .containsExactly("b SYNC_CONFLICT/glucose HOLDS INFO at 45 from 45");
    }

    @Test
    void driftPersistingAcrossReferences() throws Exception {
        var in = shuffled(List.of(
                DeviceSignal.calibrationDrift("u-a", "a", "glucose", Signals.at(0), 18.0, -12.0),
                DeviceSignal.calibrationDrift("u-a", "a", "glucose", Signals.at(24 * 60), 21.0, -15.0),
                // One drift, and two five days apart: no persisting drift.
                DeviceSignal.calibrationDrift("u-b", "b", "glucose", Signals.at(0), 30.0, 20.0),
                DeviceSignal.calibrationDrift("u-c", "c", "glucose", Signals.at(0), 30.0, 20.0),
                DeviceSignal.calibrationDrift("u-c", "c", "glucose", Signals.at(5 * 24 * 60), 30.0, 20.0)));
        assertThat(PatternRunner.run(new CalibrationDriftPattern(RULES), in))
                .containsExactly("a CALIBRATION_DRIFT/glucose HOLDS WARNING at 1440 from 0");
    }

    @Test
    void driftIsReportedAtTheReferenceThatFindsItAndAtTheNextStillBeyond() {
        assertThat(CalibrationDriftPattern.reportsDrift("DRIFT_DETECTED")).isTrue();
        assertThat(CalibrationDriftPattern.reportsDrift("RECALIBRATION_RECOMMENDED")).isTrue();
        assertThat(CalibrationDriftPattern.reportsDrift("DRIFT_RESOLVED")).isFalse();
        assertThat(CalibrationDriftPattern.reportsDrift("CALIBRATION_APPLIED")).isFalse();
    }

    @Test
    void syncFailingAtThreeFailuresWithinAnHour() throws Exception {
        var in = shuffled(List.of(
                event("a", DeviceEvent.Type.SYNC_FAILED, 0, "s1"), event("a", DeviceEvent.Type.SYNC_COMPLETED, 10, "s2"),
                event("a", DeviceEvent.Type.SYNC_FAILED, 20, "s3"), event("a", DeviceEvent.Type.SYNC_FAILED, 40, "s4"),
                event("b", DeviceEvent.Type.SYNC_FAILED, 0, "s1"), event("b", DeviceEvent.Type.SYNC_FAILED, 50, "s2"),
                event("b", DeviceEvent.Type.SYNC_FAILED, 70, "s3")));
        assertThat(PatternRunner.run(new SyncFailingPattern(RULES), in))
                .containsExactly("a SYNC_FAILING HOLDS URGENT at 40 from 0");
    }
}
