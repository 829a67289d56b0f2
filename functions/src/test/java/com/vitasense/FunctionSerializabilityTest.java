package com.vitasense;

import com.vitasense.patterns.AlertLifecycle;
import com.vitasense.patterns.AlertRules;
import com.vitasense.patterns.ConnectivityWatchdog;
import com.vitasense.patterns.DevicePattern;
import com.vitasense.patterns.DevicePatterns;
import com.vitasense.patterns.NoiseBaseline;
import com.vitasense.patterns.SyncAdvisor;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.calibration.CalibrationCorrection;
import com.vitasense.calibration.CalibrationKeys;
import com.vitasense.calibration.CalibrationRules;
import com.vitasense.calibration.UserCalibratingMarks;
import com.vitasense.quality.PlausibilityCheck;
import com.vitasense.quality.PlausibilityRanges;
import com.vitasense.quality.ReadingAdmission;
import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.RawRecord;
import com.vitasense.vendors.EnvelopeParser;
import com.vitasense.vendors.RawRecordParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Flink ships functions to the task managers by Java serialization; they must survive it intact. */
class FunctionSerializabilityTest {
    @Test
    void functionsSurviveJavaSerialization() throws Exception {
        assertThat(InstantiationUtil.clone(new RawRecordParser())).isNotNull();
        assertThat(InstantiationUtil.clone(new ReadingAdmission(Duration.ofHours(6)))).isNotNull();
        assertThat(InstantiationUtil.clone(ReadingAdmission.keySelector())).isNotNull();
        assertThat(InstantiationUtil.clone(new CalibrationCorrection(CalibrationRules.defaults()))).isNotNull();
        assertThat(InstantiationUtil.clone(CalibrationKeys.points())).isNotNull();
        assertThat(InstantiationUtil.clone(CalibrationKeys.references())).isNotNull();
        assertThat(InstantiationUtil.clone(new UserCalibratingMarks())).isNotNull();
        assertThat(InstantiationUtil.clone(new com.vitasense.calibration.ReferenceDevices(CalibrationRules.defaults()))).isNotNull();
        assertThat(InstantiationUtil.clone(com.vitasense.calibration.ReferenceDevices.keySelector())).isNotNull();
        assertThat(InstantiationUtil.clone(new com.vitasense.calibration.ReferenceDeviceMetrics(CalibrationRules.defaults())))
                .isNotNull();

        PlausibilityCheck check = InstantiationUtil.clone(new PlausibilityCheck(PlausibilityRanges.defaults()
                .withOverrides(Map.of("heart_rate", PlausibilityRanges.Range.closed(30, 200)))));
        DataPoint p = new DataPoint();
        p.metric = "heart_rate";
        p.value = 25.0;
        p.startTime = Instant.parse("2026-11-27T10:00:00Z");
        assertThat(check.map(p).hasFlag(QualityFlag.OUT_OF_RANGE)).isTrue();

        EnvelopeParser parser = InstantiationUtil.clone(new EnvelopeParser());
        RawRecord garbage = new RawRecord("x".getBytes(StandardCharsets.UTF_8), "t", 0, 0, 0);
        assertThat(parser.parse(garbage).deadLetter().reason).isEqualTo("MALFORMED_JSON");
        AlertRules rules = AlertRules.defaults();
        for (DevicePattern pattern : DevicePatterns.all(rules)) {
            DevicePattern back = InstantiationUtil.clone(pattern);
            // The pattern ships compiled, conditions included.
            assertThat(InstantiationUtil.clone(NFACompiler.compileFactory(back.pattern(), true))).as(pattern.type().name()).isNotNull();
            assertThat(InstantiationUtil.clone(back.process())).as(pattern.type().name()).isNotNull();
        }
        assertThat(InstantiationUtil.clone(new AlertLifecycle(rules))).isNotNull();
        assertThat(InstantiationUtil.clone(new ConnectivityWatchdog(rules))).isNotNull();
        assertThat(InstantiationUtil.clone(new NoiseBaseline(rules))).isNotNull();
        assertThat(InstantiationUtil.clone(new SyncAdvisor(rules))).isNotNull();

        assertThat(parser.registry().vendors()).containsExactly("apple_health", "canonical", "dexcom", "fitbit",
                "libre", "nightscout", "oura", "whoop");
    }
}
