package com.vitasense.jobs.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.Settings;
import com.vitasense.quality.OutlierDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NAB evaluation end to end over the repository's {@code data/nab}: the score must not fall
 * below what the detector measured when it was last tuned, and every output file must be the
 * detector's own verdict, row for row.
 */
class NabCommandTest {
    /** Measured with {@code ./vitasense nab} on data/nab; see README.md. */
    static final double MEASURED_STANDARD = 66.3;
    static final double MEASURED_LOW_FP = 54.3;
    static final double MEASURED_LOW_FN = 72.7;
    /** Room for harmless changes (one borderline detection moves the score by about 1.5). */
    static final double MARGIN = 1.0;

    static Path nab;
    static Path out;
    static NabCommand.Result result;
    static String printed;

    @BeforeAll
    static void runOverTheRepositorysNabData(@TempDir Path tmp) throws IOException {
        nab = repositoryRoot().resolve("data/nab");
        out = tmp.resolve("nab-out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        result = NabCommand.run(new NabCommand.Options(nab.resolve("data"), out,
                nab.resolve("labels/combined_windows.json"), null), new PrintStream(log, true, StandardCharsets.UTF_8));
        printed = log.toString(StandardCharsets.UTF_8);
    }

    /** Surefire runs in the module directory; the data lives at the top of the repository. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("data/nab/labels/combined_windows.json"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above %s holding data/nab", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    @Test
    void scoresAtLeastWhatWasMeasured() {
        assertThat(result.files()).hasSize(23);
        assertThat(result.windows()).isEqualTo(28);
        assertThat(result.score("standard")).isGreaterThanOrEqualTo(MEASURED_STANDARD - MARGIN);
        assertThat(result.score("reward_low_FP_rate")).isGreaterThanOrEqualTo(MEASURED_LOW_FP - MARGIN);
        assertThat(result.score("reward_low_FN_rate")).isGreaterThanOrEqualTo(MEASURED_LOW_FN - MARGIN);
        // Well clear of the published windowed-Gaussian baseline (39.6 on the full corpus).
        assertThat(result.score("standard")).isGreaterThan(50.0);
    }

    @Test
    void printsEachFileAndTheThreeProfiles() {
        assertThat(printed).contains("realKnownCause/machine_temperature_system_failure.csv", "tp=", "fp=", "fn=");
        assertThat(printed).containsPattern("standard\\s+\\d+\\.\\d");
        assertThat(printed).containsPattern("reward_low_FP_rate\\s+\\d+\\.\\d");
        assertThat(printed).containsPattern("reward_low_FN_rate\\s+\\d+\\.\\d");
        assertThat(printed).contains(String.format(Locale.ROOT, "%.1f", result.score("standard")));
    }

    @Test
    void everyOutputRowIsTheInputRowWithTheDetectorsScoreAndFlag() throws IOException {
        OutlierDetector detector = result.detector();
        assertThat(detector).isSameAs(OutlierDetector.generic());
        List<Path> inputs = NabCommand.csvFiles(nab.resolve("data"));
        assertThat(inputs).hasSize(23);
        int flagged = 0;
        for (Path input : inputs) {
            String key = NabCommand.key(nab.resolve("data"), input);
            List<String> in = Files.readAllLines(input);
            List<String> lines = Files.readAllLines(out.resolve(key));
            assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,flag");
            assertThat(lines).as(key).hasSameSizeAs(in);
            for (int i = 1; i < lines.size(); i++) {
                String[] cols = lines.get(i).split(",", -1);
                assertThat(cols).as("%s line %d", key, i + 1).hasSize(4);
                assertThat(cols[0] + "," + cols[1]).isEqualTo(in.get(i));
                double score = Double.parseDouble(cols[2]);
                assertThat(score).isBetween(0.0, 1.0);
                assertThat(cols[3]).isIn("0", "1");
                assertThat(cols[3].equals("1")).as("%s line %d: flag == (score >= threshold)", key, i + 1)
                        .isEqualTo(score >= detector.threshold());
                if (i <= detector.warmupPoints()) assertThat(score).as("warm-up").isZero();
                if (cols[3].equals("1")) flagged++;
            }
        }
        assertThat(flagged).isEqualTo(result.files().stream().mapToInt(NabCommand.FileResult::outliers).sum());
    }

    @Test
    void profilesCanComeFromNabsProfilesJson() throws IOException {
        List<NabScorer.Profile> profiles = NabCommand.loadProfiles(nab.resolve("profiles.json"));
        assertThat(profiles).containsExactlyElementsOf(NabScorer.Profile.all());
    }

    @Test
    void settingsAreCheckedBeforeAnythingRuns(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> NabCommand.Options.from(Settings.parse(new String[] {"--out", "x"}, Map.of())))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--data");
        assertThatThrownBy(() -> NabCommand.Options.from(Settings.parse(
                new String[] {"--data", "d", "--out", "o", "--lables", "l"}, Map.of())))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("unknown setting --lables");
        NabCommand.Options ok = NabCommand.Options.from(Settings.parse(
                new String[] {"--data", "d", "--out", "o", "--labels", "l.json"}, Map.of()));
        assertThat(ok.labels()).isEqualTo(Path.of("l.json"));
        assertThat(ok.maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(5)); // the streaming job's default
        assertThat(NabCommand.Options.from(Settings.parse(new String[] {"--data", "d", "--out", "o",
                "--max-out-of-orderness", "1m"}, Map.of())).maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(1));

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> NabCommand.run(new NabCommand.Options(empty, tmp.resolve("o"), null, null), quiet))
                .isInstanceOf(IOException.class).hasMessageContaining("no .csv files");

        Path data = Files.createDirectories(tmp.resolve("data/cat"));
        Files.writeString(data.resolve("a.csv"), "timestamp,value\n2014-01-01 00:00:00,1.5\n2014-01-01 00:05:00,oops\n");
        assertThatThrownBy(() -> NabCommand.run(new NabCommand.Options(tmp.resolve("data"), tmp.resolve("o"), null, null),
                quiet)).isInstanceOf(IOException.class).hasMessageContaining("a.csv:3");
    }

    @Test
    void withoutLabelsItOnlyScoresPoints(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data/mine"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        LocalDateTime t = LocalDateTime.of(2014, 1, 1, 0, 0);
        for (int i = 0; i < 400; i++) {
            csv.append(t.plusMinutes(5L * i).format(NabWindows.TIMESTAMP)).append(',').append(i == 300 ? 500 : 10 + i % 3)
                    .append('\n');
        }
        Files.writeString(data.resolve("series.csv"), csv);
        NabCommand.Result r = NabCommand.run(new NabCommand.Options(tmp.resolve("data"), tmp.resolve("o"), null, null),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(r.scores()).isEmpty();
        assertThat(r.files()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo("mine/series.csv");
            assertThat(f.outliers()).isEqualTo(1);
        });
        List<String> lines = Files.readAllLines(tmp.resolve("o/mine/series.csv"));
        assertThat(lines.get(301)).endsWith(",1");
    }
}
