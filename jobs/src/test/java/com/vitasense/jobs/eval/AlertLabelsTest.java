package com.vitasense.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertLabelsTest {
    @TempDir
    Path dir;

    @Test
    void aLabelSetSurvivesTheFile() throws IOException {
        Instant t = Instant.parse("2026-11-26T06:00:00Z");
        AlertLabels.LabelSet set = new AlertLabels.LabelSet("faults", 42, t, t.plusSeconds(86_400), List.of("cgm-1", "ring-1"),
                List.of(new AlertLabel("cgm-1", "SPIKE", "glucose", t, t.plusSeconds(300)),
                        new AlertLabel("ring-1", "BATTERY_LOW", null, t, t.plusSeconds(7200))));
        Path file = dir.resolve("labels.json");
        AlertLabels.write(file, set);
        assertThat(AlertLabels.read(file)).isEqualTo(set);
        assertThat(Files.readString(file)).contains("\"metric\" : null");
    }

    @Test
    void anUnusableFileFailsWithOneLineNamingTheEpisode() throws IOException {
        Path notJson = Files.writeString(dir.resolve("a.json"), "{\"episodes\": [");
        assertThatThrownBy(() -> AlertLabels.read(notJson)).isInstanceOf(IOException.class).hasMessageContaining("is not JSON");
        Path noEpisodes = Files.writeString(dir.resolve("b.json"), "[]");
        assertThatThrownBy(() -> AlertLabels.read(noEpisodes)).hasMessageContaining("\"episodes\" array");
        Path badType = Files.writeString(dir.resolve("c.json"), "{\"episodes\": [{\"device_id\": \"d\", \"alert_type\": \"NOPE\","
                + " \"start\": \"2026-11-26T06:00:00Z\", \"end\": \"2026-11-26T07:00:00Z\"}]}");
        assertThatThrownBy(() -> AlertLabels.read(badType)).hasMessage(badType + ": episodes[0]: unknown alert_type \"NOPE\"");
        Path badTime = Files.writeString(dir.resolve("d.json"), "{\"episodes\": [{\"device_id\": \"d\", \"alert_type\": \"SPIKE\","
                + " \"start\": \"yesterday\", \"end\": \"2026-11-26T07:00:00Z\"}]}");
        assertThatThrownBy(() -> AlertLabels.read(badTime)).hasMessageContaining("episodes[0]: start \"yesterday\" is not an ISO-8601 instant");
        Path backwards = Files.writeString(dir.resolve("e.json"), "{\"episodes\": [{\"device_id\": \"d\", \"alert_type\": \"SPIKE\","
                + " \"start\": \"2026-11-26T08:00:00Z\", \"end\": \"2026-11-26T07:00:00Z\"}]}");
        assertThatThrownBy(() -> AlertLabels.read(backwards)).hasMessageContaining("is before start");
    }
}
