package com.vitasense.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every key family of the quality rules' configuration, per metric and per device model, and what is refused. */
class QualityRulesTest {
    private static QualityRules with(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        return QualityRules.defaults().withProperties(p);
    }

    @Test
    void rangesPerMetricAndPerDeviceModel() {
        QualityRules r = with("range.heart_rate", "30..220", "range.glucose@Dexcom G7", "40..400");
        assertThat(r.ranges().rangeFor("heart_rate", null)).isEqualTo(PlausibilityRanges.Range.closed(30, 220));
        assertThat(r.ranges().rangeFor("glucose", "Dexcom G7")).isEqualTo(PlausibilityRanges.Range.closed(40, 400));
        // Models match whatever their spelling's case; other models keep the metric's range.
        assertThat(r.ranges().rangeFor("glucose", "DEXCOM g7")).isEqualTo(PlausibilityRanges.Range.closed(40, 400));
        assertThat(r.ranges().rangeFor("glucose", "Libre 3")).isEqualTo(PlausibilityRanges.Range.aboveUpTo(0, 1000));
    }

    @Test
    void jumpLimitsPerMetricAndPerDeviceModel() {
        QualityRules r = with("jump.heart_rate", "40+30", "jump.glucose@dexcom g6", "10+2", "jump.strain", "1+0.5");
        assertThat(r.jumpLimit("heart_rate")).isEqualTo(new QualityRules.JumpLimit(40, 30));
        assertThat(r.jumpLimit("strain", "any model")).isEqualTo(new QualityRules.JumpLimit(1, 0.5));
        assertThat(r.jumpLimit("glucose", "Dexcom G6")).isEqualTo(new QualityRules.JumpLimit(10, 2));
        assertThat(r.jumpLimit("glucose", "Dexcom G7")).isEqualTo(QualityRules.defaults().jumpLimit("glucose"));
        assertThat(r.jumpLimit("glucose")).isEqualTo(QualityRules.defaults().jumpLimit("glucose"));
        assertThat(r.jumpLimit("steps", "Dexcom G6")).isNull();
    }

    @Test
    void intervalsPerVendorMetricAndPerDeviceModel() {
        QualityRules r = with("interval.canonical.glucose", "5m", "interval.libre.glucose@Libre 3", "1m");
        assertThat(r.expectedInterval("canonical", "glucose")).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.expectedInterval("libre", "glucose", "libre 3")).isEqualTo(Duration.ofMinutes(1));
        assertThat(r.expectedInterval("libre", "glucose", "Libre 2")).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.expectedInterval("libre", "glucose")).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.expectedInterval("apple_health", "heart_rate", "Apple Watch")).isNull();
    }

    @Test
    void agreementAndTheSeriesWideSettings() {
        QualityRules r = with("agreement.heart_rate", "2m,10,0.1", "agreement.steps", "5m, 100, 0", "max-fill-intervals", "5",
                "clock-skew", "10m", "max-backfill", "30d", "state-retention", "2d");
        assertThat(r.agreement("heart_rate")).isEqualTo(new QualityRules.Agreement(Duration.ofMinutes(2), 10, 0.1));
        assertThat(r.agreement("steps")).isEqualTo(new QualityRules.Agreement(Duration.ofMinutes(5), 100, 0));
        assertThat(r.longestAgreementWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.maxFillIntervals()).isEqualTo(5);
        assertThat(r.clockSkew()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.maxBackfill()).isEqualTo(Duration.ofDays(30));
        assertThat(r.stateRetention()).isEqualTo(Duration.ofDays(2));
        // Untouched settings keep their defaults.
        assertThat(r.agreement("glucose")).isEqualTo(QualityRules.defaults().agreement("glucose"));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        QualityRules d = QualityRules.defaults();
        assertThat(d.maxFillIntervals()).isEqualTo(3);
        assertThat(d.clockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.maxBackfill()).isEqualTo(Duration.ofDays(365));
        assertThat(d.stateRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(d.expectedInterval("dexcom", "glucose")).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.agreement("heart_rate")).isEqualTo(new QualityRules.Agreement(Duration.ofMinutes(1), 15, 0.2));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "rnage.glucose         | 1..2      | unknown setting; the keys are range.<metric>[@<model>]",
            "max-fill-intervals@x  | 3         | unknown setting",
            "range.glucose         | high      | expected min..max such as 30..220",
            "range.glucose         | 1..x      | 'x' is not a number",
            "range.glucose         | 9..1      | invalid range 9.0..1.0",
            "range.glucose@        | 1..2      | no device model after '@'",
            "range.                | 1..2      | no metric after 'range.'",
            "jump.glucose          | 20        | expected base+perMinute such as 20+100",
            "jump.glucose@Libre 3  | 20+-1     | must be finite and not negative",
            "jump.glucose          | a+1       | 'a' is not a number",
            "interval.glucose      | 5m        | expected interval.<vendor>.<metric>[@<device model>]",
            "interval.dexcom.glucose | 0m      | must be positive",
            "interval.dexcom.glucose@G7 | fast | expected a duration such as 5m",
            "agreement.heart_rate  | 1m,15     | expected window,absolute,relative such as 1m,15,0.2",
            "agreement.heart_rate  | 0s,15,0.2 | window must be positive",
            "agreement.heart_rate  | 1m,-1,0.2 | must not be negative",
            "agreement.heart_rate@Oura | 1m,15,0.2 | it has no per-model setting",
            "max-fill-intervals    | -1        | must not be negative",
            "max-fill-intervals    | many      | 'many' is not a whole number",
            "clock-skew            | PT-5M     | must not be negative",
            "max-backfill          | 0d        | must be positive",
            "state-retention       | 7 days    | expected a duration such as 5m"})
    void rejectsUnknownKeysAndInvalidValuesNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> with(key, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("quality rule '" + key + "=" + value + "': ")
                .hasMessageContaining(message);
    }
}
