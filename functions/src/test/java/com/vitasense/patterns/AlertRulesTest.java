package com.vitasense.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Alert thresholds: ecosystem defaults, overrides per key and per device model, typos rejected. */
class AlertRulesTest {

    @Test
    void defaultsAndOverrides() {
        AlertRules d = AlertRules.defaults();
        assertThat(d.number("battery.low")).isEqualTo(20);
        assertThat(d.number("battery.critical")).isEqualTo(5);
        assertThat(d.staleAfter("g7", false)).isEqualTo(Duration.ofMinutes(15));
        assertThat(d.staleAfter("g7", true)).isEqualTo(Duration.ofMinutes(30));
        Properties p = new Properties();
        p.setProperty("connectivity.warn@libre-3", "20m");
        p.setProperty("connectivity.urgent@libre-3", "45m");
        p.setProperty("battery.low", "25");
        AlertRules r = d.withProperties(p);
        assertThat(r.staleAfter("libre-3", false)).isEqualTo(Duration.ofMinutes(20));
        assertThat(r.staleAfter("libre-3", true)).isEqualTo(Duration.ofMinutes(45));
        assertThat(r.staleAfter("g7", false)).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.number("battery.low")).isEqualTo(25);
    }

    @Test
    void unknownKeysAndBadValuesFailNamingTheKey() {
        Properties typo = new Properties();
        typo.setProperty("battery.lwo", "25");
        assertThatThrownBy(() -> AlertRules.defaults().withProperties(typo)).hasMessageContaining("battery.lwo");
        Properties bad = new Properties();
        bad.setProperty("sync.timeout", "ten minutes");
        assertThatThrownBy(() -> AlertRules.defaults().withProperties(bad)).hasMessageContaining("sync.timeout");
    }
}
