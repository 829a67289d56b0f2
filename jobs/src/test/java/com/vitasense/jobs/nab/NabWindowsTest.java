package com.vitasense.jobs.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabWindowsTest {
    @TempDir
    Path dir;

    private NabWindows load(String json) throws IOException {
        Path file = dir.resolve("combined_windows.json");
        Files.writeString(file, json);
        return NabWindows.load(file);
    }

    private static List<LocalDateTime> everyFiveMinutes(String start, int rows) {
        List<LocalDateTime> ts = new ArrayList<>();
        LocalDateTime t = NabWindows.parseTimestamp(start);
        for (int i = 0; i < rows; i++) ts.add(t.plusMinutes(5L * i));
        return ts;
    }

    @Test
    void windowsBecomeInclusiveRowRanges() throws IOException {
        NabWindows w = load("""
                {"cat/a.csv": [["2014-04-10 00:10:00.000000", "2014-04-10 00:30:00.000000"],
                               ["2014-04-10 01:02:00", "2014-04-10 01:12:00"]],
                 "cat/empty.csv": []}""");
        List<LocalDateTime> ts = everyFiveMinutes("2014-04-10 00:00:00", 30);
        // 00:10 is row 2, 00:30 row 6; 01:02 falls between rows, so rows 13 (01:05) to 14 (01:10).
        assertThat(w.rows("cat/a.csv", ts)).containsExactly(new NabScorer.Window(2, 6), new NabScorer.Window(13, 14));
        assertThat(w.rows("cat/empty.csv", ts)).isEmpty();
        assertThat(w.files()).containsExactly("cat/a.csv", "cat/empty.csv");
    }

    @Test
    void rowsAreScannedInFileOrderAsNabFeedsThem() throws IOException {
        // machine_temperature_system_failure steps back an hour once; a window after the step still
        // covers the rows that follow in the file.
        NabWindows w = load("{\"x.csv\": [[\"2014-01-07 02:10:00\", \"2014-01-07 02:20:00\"]]}");
        List<LocalDateTime> ts = new ArrayList<>(everyFiveMinutes("2014-01-07 02:30:00", 6));
        ts.addAll(everyFiveMinutes("2014-01-07 02:00:00", 12));
        // rows 0-5 are 02:30..02:55, then 02:00 (row 6), 02:05, 02:10 (row 8) ... 02:20 (row 10)
        assertThat(w.rows("x.csv", ts)).containsExactly(new NabScorer.Window(8, 10));
    }

    @Test
    void labelsThatMatchNoRowOrNoFileAreErrors() throws IOException {
        NabWindows w = load("{\"x.csv\": [[\"2020-01-01 00:00:00\", \"2020-01-01 01:00:00\"]]}");
        List<LocalDateTime> ts = everyFiveMinutes("2014-04-10 00:00:00", 10);
        assertThatThrownBy(() -> w.rows("x.csv", ts)).hasMessageContaining("covers no row");
        assertThatThrownBy(() -> w.rows("y.csv", ts)).hasMessageContaining("no labels for y.csv");
        assertThatThrownBy(() -> load("{\"x.csv\": [[\"2020-01-01 00:00:00\"]]}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> load("{\"x.csv\": [[\"soon\", \"later\"]]}")).isInstanceOf(IOException.class);
    }
}
