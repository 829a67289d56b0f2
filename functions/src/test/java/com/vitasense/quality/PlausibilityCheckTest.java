package com.vitasense.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.units.Metric;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlausibilityCheckTest {
    private final PlausibilityCheck check = new PlausibilityCheck();

    @ParameterizedTest(name = "{0} = {1} -> out of range: {2}")
    @CsvSource({
            "heart_rate, 20, false", "heart_rate, 250, false", "heart_rate, 19.9, true", "heart_rate, 251, true",
            "resting_heart_rate, 25, false", "resting_heart_rate, 151, true",
            "hrv_rmssd, 1, false", "hrv_rmssd, 0.5, true", "hrv_rmssd, 300, false", "hrv_rmssd, 301, true",
            "hrv_sdnn, 0, true", "hrv_sdnn, 120, false",
            "steps, 0, false", "steps, 100000, false", "steps, -1, true", "steps, 100001, true",
            "glucose, 0, true", "glucose, 0.1, false", "glucose, 1000, false", "glucose, 1000.1, true",
            "glucose, 39, false",
            "spo2, 50, false", "spo2, 49, true", "spo2, 100, false", "spo2, 100.5, true",
            "skin_temperature, 20, false", "skin_temperature, 19, true", "skin_temperature, 46, true",
            "body_temperature, 36.6, false", "body_temperature, 29.9, true", "body_temperature, 45.1, true",
            "temperature_deviation, -5, false", "temperature_deviation, 5, false", "temperature_deviation, -5.1, true",
            "respiratory_rate, 4, false", "respiratory_rate, 3, true", "respiratory_rate, 61, true",
            "recovery_score, 0, false", "recovery_score, 101, true",
            "readiness_score, 100, false", "readiness_score, -1, true",
            "strain, 21, false", "strain, 21.1, true",
            "body_mass, 1, false", "body_mass, 0.5, true", "body_mass, 500, false", "body_mass, 501, true",
            "battery_level, 0, false", "battery_level, 100, false", "battery_level, 101, true",
            "heart_rate, NaN, true",
            "heart_rate, Infinity, true",
            "not_a_metric, 1e9, false",
    })
    void flagsOutOfRange(String metric, double value, boolean outOfRange) {
        DataPoint in = point(metric, value);
        DataPoint out = check.map(in);
        assertThat(out.hasFlag(QualityFlag.OUT_OF_RANGE)).isEqualTo(outOfRange);
        // Never dropped, never otherwise changed, and the input is not mutated.
        assertThat(Double.compare(out.value, value)).isZero();
        assertThat(in.hasFlag(QualityFlag.OUT_OF_RANGE)).isFalse();
    }

    @Test
    void keepsExistingFlags() {
        DataPoint in = point("heart_rate", 400).withFlag(QualityFlag.USER_ENTERED);
        assertThat(check.map(in).flags()).containsExactly(QualityFlag.OUT_OF_RANGE, QualityFlag.USER_ENTERED);
    }

    @Test
    void categoricalPointsAreNotChecked() {
        DataPoint p = point("sleep_stage", 0);
        p.value = null;
        p.category = "deep";
        assertThat(check.map(p)).isSameAs(p);
        assertThat(p.qualityFlags).isZero();
    }

    @Test
    void everyNumericMetricHasADefaultRange() {
        assertThat(PlausibilityRanges.defaults().metricRanges().keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Metric.values()).filter(m -> !m.isCategorical()).map(Metric::key).toList());
    }

    @Test
    void overridesAndDeviceModelRanges() {
        PlausibilityRanges ranges = PlausibilityRanges.defaults()
                .withOverrides(Map.of("heart_rate", PlausibilityRanges.Range.closed(30, 220)))
                .withModelRange("Dexcom G7", "glucose", PlausibilityRanges.Range.closed(40, 400));
        PlausibilityCheck custom = new PlausibilityCheck(ranges);
        assertThat(custom.map(point("heart_rate", 25)).hasFlag(QualityFlag.OUT_OF_RANGE)).isTrue();
        assertThat(custom.map(point("heart_rate", 221)).hasFlag(QualityFlag.OUT_OF_RANGE)).isTrue();
        assertThat(custom.map(point("spo2", 49)).hasFlag(QualityFlag.OUT_OF_RANGE)).isTrue();

        DataPoint g7 = point("glucose", 450);
        g7.deviceModel = "Dexcom G7";
        assertThat(custom.map(g7).hasFlag(QualityFlag.OUT_OF_RANGE)).isTrue();
        DataPoint other = point("glucose", 450);
        other.deviceModel = "Libre 3";
        assertThat(custom.map(other).hasFlag(QualityFlag.OUT_OF_RANGE)).isFalse();
        // The defaults are untouched by a derived configuration.
        assertThat(PlausibilityRanges.defaults().rangeFor("heart_rate", null))
                .isEqualTo(PlausibilityRanges.Range.closed(20, 250));
        assertThatThrownBy(() -> PlausibilityRanges.Range.closed(5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    static DataPoint point(String metric, double value) {
        DataPoint p = new DataPoint();
        p.id = "id-" + metric;
        p.revision = 1;
        p.userId = "u";
        p.deviceId = "d";
        p.metric = metric;
        p.value = value;
        p.startTime = Instant.parse("2026-11-27T10:00:00Z");
        p.endTime = p.startTime;
        return p;
    }
}
