package com.vitasense.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateAlertsOptionsTest {
    @TempDir
    Path dir;

    private static EvaluateAlerts.Options options(String... args) {
        return EvaluateAlerts.Options.from(Settings.parse(args, Map.of()));
    }

    @Test
    void inputAndLabelsAreRequiredAndMustExist() throws IOException {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");
        Path labels = Files.writeString(dir.resolve("labels.json"), "{\"episodes\": []}");
        EvaluateAlerts.Options o = options("--input", input.toString(), "--labels", labels.toString(), "--tolerance", "5m");
        assertThat(o.tolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options("--input", input.toString(), "--labels", labels.toString()).tolerance())
                .isEqualTo(EvaluateAlerts.DEFAULT_TOLERANCE);

        assertThatThrownBy(() -> options("--labels", labels.toString())).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("missing setting --input");
        assertThatThrownBy(() -> options("--input", dir.resolve("nope.jsonl").toString(), "--labels", labels.toString()))
                .hasMessageContaining("invalid --input").hasMessageContaining("no such readable file");
        assertThatThrownBy(() -> options("--input", input.toString(), "--labels", dir.resolve("nope.json").toString()))
                .hasMessageContaining("invalid --labels");
        assertThatThrownBy(() -> options("--input", input.toString(), "--labels", labels.toString(), "--tolerance", "soon"))
                .hasMessageContaining("--tolerance");
        assertThatThrownBy(() -> options("--input", input.toString(), "--labels", labels.toString(), "--lables", "x"))
                .hasMessage("unknown setting --lables");
    }
}
