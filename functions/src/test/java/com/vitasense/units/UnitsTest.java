package com.vitasense.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
    private static final double EPS = 1e-9;

    @Test
    void registryHasEveryDesignMetricWithItsCanonicalUnit() {
        assertThat(Arrays.stream(Metric.values()).map(Metric::key)).containsAll(List.of("heart_rate",
                "resting_heart_rate", "hrv_rmssd", "hrv_sdnn", "steps", "glucose", "spo2", "skin_temperature",
                "body_temperature", "temperature_deviation", "respiratory_rate", "sleep_stage", "recovery_score",
                "readiness_score", "strain", "body_mass", "battery_level"));
        assertThat(Metric.HEART_RATE.canonicalUnit()).isEqualTo("bpm");
        assertThat(Metric.RESTING_HEART_RATE.canonicalUnit()).isEqualTo("bpm");
        assertThat(Metric.HRV_RMSSD.canonicalUnit()).isEqualTo("ms");
        assertThat(Metric.HRV_SDNN.canonicalUnit()).isEqualTo("ms");
        assertThat(Metric.STEPS.canonicalUnit()).isEqualTo("count");
        assertThat(Metric.GLUCOSE.canonicalUnit()).isEqualTo("mg/dL");
        assertThat(Metric.SPO2.canonicalUnit()).isEqualTo("%");
        assertThat(Metric.SKIN_TEMPERATURE.canonicalUnit()).isEqualTo("degC");
        assertThat(Metric.BODY_TEMPERATURE.canonicalUnit()).isEqualTo("degC");
        assertThat(Metric.TEMPERATURE_DEVIATION.canonicalUnit()).isEqualTo("degC");
        assertThat(Metric.RESPIRATORY_RATE.canonicalUnit()).isEqualTo("breaths/min");
        assertThat(Metric.SLEEP_STAGE.canonicalUnit()).isNull();
        assertThat(Metric.SLEEP_STAGE.isCategorical()).isTrue();
        assertThat(Metric.RECOVERY_SCORE.canonicalUnit()).isEqualTo("%");
        assertThat(Metric.READINESS_SCORE.canonicalUnit()).isEqualTo("score");
        assertThat(Metric.STRAIN.canonicalUnit()).isEqualTo("score");
        assertThat(Metric.BODY_MASS.canonicalUnit()).isEqualTo("kg");
        assertThat(Metric.BATTERY_LEVEL.canonicalUnit()).isEqualTo("%");
        assertThat(Metric.SLEEP_DURATION.canonicalUnit()).isEqualTo("s");
        assertThat(Metric.find("heart_rate")).contains(Metric.HEART_RATE);
        assertThat(Metric.find("Heart_Rate")).isEmpty();
        assertThat(Metric.find(null)).isEmpty();
    }

    @ParameterizedTest(name = "{1} {2} of {0} -> {3} {4}")
    @CsvSource(delimiter = ';', value = {
            "heart_rate; 72; bpm; 72; bpm",
            "heart_rate; 72; count/min; 72; bpm",
            "heart_rate; 72; Beats/Min; 72; bpm",
            "heart_rate; 1.2; count/s; 72; bpm",
            "resting_heart_rate; 55; /min; 55; bpm",
            "respiratory_rate; 14; count/min; 14; breaths/min",
            "respiratory_rate; 14; breaths/min; 14; breaths/min",
            "hrv_rmssd; 0.042; s; 42; ms",
            "hrv_sdnn; 42; ms; 42; ms",
            "sleep_duration; 7.5; h; 27000; s",
            "sleep_duration; 90; min; 5400; s",
            "sleep_duration; 60; s; 60; s",
            "steps; 1200; steps; 1200; count",
            "steps; 1200; count; 1200; count",
            "glucose; 5.8; mmol/L; 104.49048; mg/dL",
            "glucose; 5.8; MMOL/l; 104.49048; mg/dL",
            "glucose; 5.8; mmol<180.1558800000541>/L; 104.49048; mg/dL",
            "glucose; 104; mg/dL; 104; mg/dL",
            "glucose; 104; mg/dl; 104; mg/dL",
            "spo2; 0.97; fraction; 97; %",
            "spo2; 97; %; 97; %",
            "battery_level; 0.5; fraction; 50; %",
            "body_temperature; 98.6; degF; 37; degC",
            "body_temperature; 37; degC; 37; degC",
            "skin_temperature; 310.15; K; 37; degC",
            "temperature_deviation; 0.9; degF; 0.5; degC",
            "temperature_deviation; -0.3; degC; -0.3; degC",
            "body_mass; 154.32358352941; lb; 70; kg",
            "body_mass; 70000; g; 70; kg",
            "body_mass; 70; KG; 70; kg",
            "readiness_score; 81; score; 81; score",
            "strain; 14.2; score; 14.2; score",
    })
    void convertsToCanonicalUnits(String metric, double value, String unit, double expected, String expectedUnit)
            throws Exception {
        Units.Normalized n = Units.normalize(metric, value, unit);
        assertThat(n.value()).isCloseTo(expected, within(1e-6));
        assertThat(n.unit()).isEqualTo(expectedUnit);
    }

    @Test
    void glucoseUsesTheOneDocumentedFactor() throws Exception {
        assertThat(Units.GLUCOSE_MG_DL_PER_MMOL_L).isEqualTo(18.0156);
        assertThat(Units.normalize(Metric.GLUCOSE, 10, "mmol/L").value()).isCloseTo(180.156, within(EPS));
        assertThat(Units.normalize(Metric.GLUCOSE, 10, "mmol<180.1558800000541>/L").value())
                .isCloseTo(180.156, within(EPS));
    }

    @Test
    void unitlessNumbersOnlyWhereUnambiguous() throws Exception {
        assertThat(Units.normalize(Metric.SPO2, 0.95, null).value()).isCloseTo(95, within(EPS));
        assertThat(Units.normalize(Metric.SPO2, 1.0, "").value()).isCloseTo(100, within(EPS));
        assertThat(Units.normalize(Metric.SPO2, 96, null).value()).isCloseTo(96, within(EPS));
        assertThat(Units.normalize(Metric.STEPS, 10, null)).isEqualTo(new Units.Normalized(10, "count"));
        assertThat(Units.normalize(Metric.BATTERY_LEVEL, 1, null)).isEqualTo(new Units.Normalized(1, "%"));
        assertThat(Units.normalize(Metric.READINESS_SCORE, 80, " ")).isEqualTo(new Units.Normalized(80, "score"));
        assertThatThrownBy(() -> Units.normalize(Metric.GLUCOSE, 100, null))
                .isInstanceOf(UnsupportedUnitException.class).hasMessageContaining("glucose needs a unit");
    }

    @Test
    void unknownUnitsFailExplicitly() {
        assertThatThrownBy(() -> Units.normalize(Metric.HEART_RATE, 72, "furlongs"))
                .isInstanceOfSatisfying(UnsupportedUnitException.class, e -> {
                    assertThat(e.metric()).isEqualTo("heart_rate");
                    assertThat(e.unit()).isEqualTo("furlongs");
                })
                .hasMessageContaining("'furlongs' is not a unit of heart_rate").hasMessageContaining("bpm");
        // Units of another quantity are not accepted just because they exist.
        assertThatThrownBy(() -> Units.normalize(Metric.GLUCOSE, 5, "kg")).isInstanceOf(UnsupportedUnitException.class);
        // A molar unit for another substance is not glucose.
        assertThatThrownBy(() -> Units.normalize(Metric.GLUCOSE, 5, "mmol<58.44>/L"))
                .isInstanceOf(UnsupportedUnitException.class);
        assertThatThrownBy(() -> Units.normalize(Metric.SLEEP_STAGE, 1, null))
                .isInstanceOf(UnsupportedUnitException.class).hasMessageContaining("categorical");
        assertThatThrownBy(() -> Units.normalize("pulse", 1, "bpm")).isInstanceOf(IllegalArgumentException.class);
    }
}
