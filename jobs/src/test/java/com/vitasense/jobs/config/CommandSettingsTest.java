package com.vitasense.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The setting types the tool commands (simulate, import-apple, bench-apple-export) add. */
class CommandSettingsTest {

    private static Settings settings(String... args) {
        return Settings.parse(args, Map.of("VITASENSE_KAFKA_BOOTSTRAP", "env-broker:9092"));
    }

    @Test
    void typedValuesParseAndNameTheFlagWhenTheyDoNot() {
        Settings s = settings("--start", "2026-11-26T00:00:00Z", "--time-zone", "Asia/Tokyo", "--count", "5000000000");
        assertThat(s.instant("start", null)).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(s.timeZone("time-zone", null)).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(s.longInteger("count", 0, 1, Long.MAX_VALUE)).isEqualTo(5_000_000_000L);

        assertThatThrownBy(() -> settings("--start", "yesterday").instant("start", null))
                .hasMessage("invalid --start 'yesterday': expected an ISO-8601 instant such as 2026-11-27T00:00:00Z");
        assertThatThrownBy(() -> settings("--time-zone", "Mars/Base").timeZone("time-zone", null))
                .hasMessage("invalid --time-zone 'Mars/Base': expected a time zone such as Europe/Berlin or UTC");
        assertThatThrownBy(() -> settings("--count", "0").longInteger("count", 0, 1, 10))
                .hasMessageContaining("must be between 1 and 10");
        assertThatThrownBy(() -> settings("--file", "/no/such/export.xml").existingFile("file"))
                .hasMessage("invalid --file '/no/such/export.xml': no such readable file");
        assertThatThrownBy(() -> settings().existingFile("file")).hasMessageStartingWith("missing setting --file");
    }

    @Test
    void aFlagIsOnlyWhatTheCommandLineSays() {
        Settings s = settings("--out", "x.jsonl");
        assertThat(s.isFlag("out")).isTrue();
        assertThat(s.isFlag("kafka-bootstrap")).as("set in the environment only").isFalse();
        assertThat(s.isSet("kafka-bootstrap")).isTrue();
        assertThat(Path.of(s.string("out", null))).isEqualTo(Path.of("x.jsonl"));
    }
}
