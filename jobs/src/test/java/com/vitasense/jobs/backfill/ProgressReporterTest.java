package com.vitasense.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressReporterTest {

    @Test
    void showsRateShareAndTimeLeft() {
        long tenSeconds = TimeUnit.SECONDS.toNanos(10);
        assertThat(ProgressReporter.line(50_000, 15_000_000, 0, 0, tenSeconds, new InputSize(60_000_000, true, 3)))
                .isEqualTo("backfill progress: 50000 records read (25.0% of 60.0 MB, 5000 records/s, ETA 30s),"
                        + " 0 points written (0 points/s)");
        assertThat(ProgressReporter.line(1_000, 0, 900, 89.6, tenSeconds, new InputSize(400_000, false, 0)))
                .isEqualTo("backfill progress: 1000 records read (0.3% of 400000 records, 100 records/s, ETA 1h06m),"
                        + " 900 points written (90 points/s)");
        assertThat(ProgressReporter.line(1_000, 0, 0, 0, tenSeconds, InputSize.unknown(true)))
                .isEqualTo("backfill progress: 1000 records read (100 records/s), 0 points written (0 points/s)");
    }

    @Test
    void measuresFilesAsTheyAreReadDecompressedAndSkipsHiddenOnes(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("2026/11"));
        Files.writeString(dir.resolve("2026/plain.jsonl"), "{\"a\":1}\n{\"b\":2}\n");           // 16 bytes
        try (JsonLinesEnvelopeWriter w = new JsonLinesEnvelopeWriter(dir.resolve("2026/11/packed.jsonl.gz"))) {
            for (int i = 0; i < 10_000; i++) w.write("", "{\"reading\":" + (i % 10) + "}");     // 14 bytes each
        }
        Files.writeString(dir.resolve("2026/.partial.jsonl"), "{\"ignored\":true}\n");
        Files.writeString(dir.resolve("_SUCCESS"), "ignored\n");

        assertThat(InputSize.files(dir.toString(), "--from-file")).isEqualTo(new InputSize(16 + 140_000, true, 2));
        assertThat(InputSize.files(dir.resolve("2026/plain.jsonl").toUri().toString(), "--from-file")).isEqualTo(new InputSize(16, true, 1));
    }
}
