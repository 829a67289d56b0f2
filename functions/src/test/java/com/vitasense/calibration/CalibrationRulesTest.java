package com.vitasense.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CalibrationRulesTest {
    @Test
    void defaultsFollowCgmPractice() {
        CalibrationRules r = CalibrationRules.defaults();
        assertThat(r.calibrates("glucose")).isTrue();
        assertThat(r.calibrates("heart_rate")).isFalse();
        assertThat(r.tolerance("glucose")).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.schedule("Dexcom G5")).isEqualTo(new CalibrationRules.Schedule(Duration.ofHours(12), Duration.ofHours(24)));
        assertThat(r.schedule("Dexcom G7")).as("factory calibrated").isNull();
        assertThat(r.schedule(null)).isNull();
        assertThat(r.warmup("Dexcom G7")).isEqualTo(Duration.ofMinutes(30));
        assertThat(r.warmup("FreeStyle Libre")).isEqualTo(Duration.ofHours(1));
        assertThat(r.warmup("Apple Watch")).isZero();
        assertThat(r.maxMard("glucose")).isEqualTo(15.0);
        assertThat(r.maxBias("glucose")).isEqualTo(10.0);
    }

    @Test
    void propertiesOverrideAndOtherKeysAreLeftToTheirOwners() {
        Properties p = new Properties();
        p.setProperty("calibration.metrics", "glucose, heart_rate");
        p.setProperty("calibration.tolerance.heart_rate", "1m");
        p.setProperty("calibration.schedule@Dexcom G7", "24h,36h");
        p.setProperty("calibration.schedule@Dexcom G5", "none");
        p.setProperty("calibration.warmup@Polar H10", "5m");
        p.setProperty("calibration.max-mard.glucose", "12");
        p.setProperty("calibration.scale-limits", "0.8..1.2");
        p.setProperty("range.glucose", "0..900");
        CalibrationRules r = CalibrationRules.defaults().withProperties(p);
        assertThat(r.calibrates("heart_rate")).isTrue();
        assertThat(r.tolerance("heart_rate")).isEqualTo(Duration.ofMinutes(1));
        assertThat(r.tolerance("glucose")).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.schedule("dexcom g7")).isEqualTo(new CalibrationRules.Schedule(Duration.ofHours(24), Duration.ofHours(36)));
        assertThat(r.schedule("Dexcom G5")).isNull();
        assertThat(r.warmup("Polar H10")).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.maxMard("glucose")).isEqualTo(12.0);
        assertThat(r.minScale()).isEqualTo(0.8);
        assertThat(r.hasReferenceDevices()).isFalse();
        Properties q = new Properties();
        q.setProperty("calibration.metrics", "glucose,heart_rate");
        q.setProperty("calibration.reference-device.heart_rate", "Polar H10, Garmin HRM-Pro");
        CalibrationRules withDevices = r.withProperties(q);
        assertThat(withDevices.isReferenceDevice("heart_rate", "polar h10")).isTrue();
        assertThat(withDevices.isReferenceDevice("heart_rate", "Apple Watch")).isFalse();
        assertThat(withDevices.isReferenceDevice("glucose", "Polar H10")).isFalse();
        assertThat(withDevices.referenceInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anUnreadableSettingNamesItsKey() {
        Properties p = new Properties();
        p.setProperty("calibration.windw", "7d");
        assertThatThrownBy(() -> CalibrationRules.defaults().withProperties(p))
                .hasMessageContaining("calibration.windw").hasMessageContaining("unknown");
        Properties q = new Properties();
        q.setProperty("calibration.schedule@Dexcom G5", "24h,12h");
        assertThatThrownBy(() -> CalibrationRules.defaults().withProperties(q)).hasMessageContaining("overdue before due");
        Properties r = new Properties();
        r.setProperty("calibration.reference-device.heart_rate", "Polar H10");
        assertThatThrownBy(() -> CalibrationRules.defaults().withProperties(r)).hasMessageContaining("needs heart_rate in calibration.metrics");
        Properties s = new Properties();
        s.setProperty("calibration.state-retention", "1d");
        assertThatThrownBy(() -> CalibrationRules.defaults().withProperties(s)).hasMessageContaining("shorter than");
    }
}
