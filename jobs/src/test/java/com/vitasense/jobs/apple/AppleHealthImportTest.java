package com.vitasense.jobs.apple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.io.DamagedInputException;
import com.vitasense.jobs.io.EnvelopeOutput;
import com.vitasense.jobs.io.EnvelopeReader;
import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import com.vitasense.records.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppleHealthImportTest {

    @TempDir
    Path dir;

    private Path generated(long bytes) throws IOException {
        Path file = dir.resolve("export.xml");
        AppleExportGenerator.write(file, bytes, 7);
        return file;
    }

    private AppleHealthImport.Summary importTo(Path export, Path out) throws IOException {
        try (InputStream in = AppleExportFiles.open(export); JsonLinesEnvelopeWriter w = new JsonLinesEnvelopeWriter(out)) {
            return AppleHealthImport.run(in, "u-1", ZoneId.of("Europe/Berlin"), w);
        }
    }

    @Test
    void generatedExportImportsCompletelyWithEveryKindAndSkippedElement() throws IOException {
        Path export = dir.resolve("export.xml");
        AppleExportGenerator.Generated g = AppleExportGenerator.write(export, 400_000, 7);
        assertThat(g.bytes()).isBetween(400_000L, 700_000L);
        Path out = dir.resolve("envelopes.jsonl");

        AppleHealthImport.Summary s = importTo(export, out);

        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(s.records()).isEqualTo(g.records());
        assertThat(s.workouts()).isEqualTo(g.workouts()).isPositive();
        assertThat(lines).hasSize((int) s.envelopes());
        assertThat(s.skipped()).containsKeys("ActivitySummary", "Correlation", "ExportDate", "Me",
                "Record/HeartRateVariabilityMetadataList", "Workout/WorkoutEvent", "Workout/WorkoutRoute");
        assertThat(s.byDevice()).containsOnlyKeys("apple-69a6b92660bf-watch6-1-janes-apple-watch", "apple-69a6b92660bf-iphone14-2-janes-iphone",
                "apple-69a6b92660bf-contour-next-one-contour", "apple-69a6b92660bf-health", "apple-69a6b92660bf-withings");
        for (String line : lines) {
            JsonNode e = Json.mapper().readTree(line);
            assertThat(e.get("vendor").asText()).isEqualTo("apple_health");
            assertThat(e.get("kind").asText()).isIn("record", "workout");
            assertThat(e.get("received_at").asText()).endsWith("Z");
            assertThat(e.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        }
        assertThat(lines).anyMatch(l -> l.contains("\"unit\":\"mmol<180.1558800000541>/L\""))
                .anyMatch(l -> l.contains("\"statistics\":[{\"type\":\"HKQuantityTypeIdentifierHeartRate\""));
    }

    @Test
    void generatorIsDeterministicForASeed() throws IOException {
        Path a = dir.resolve("a.xml");
        Path b = dir.resolve("b.xml");
        AppleExportGenerator.write(a, 200_000, 3);
        AppleExportGenerator.write(b, 200_000, 3);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    }

    @Test
    void zipAndGzipExportsGiveTheSameEnvelopes() throws IOException {
        Path export = generated(150_000);
        Path zip = dir.resolve("export.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("apple_health_export/export_cda.xml"));
            z.write("<ClinicalDocument/>".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("apple_health_export/export.xml"));
            Files.copy(export, z);
        }
        Path gz = dir.resolve("export.xml.gz");
        try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(export, o);
        }
        importTo(export, dir.resolve("plain.jsonl"));
        importTo(zip, dir.resolve("zip.jsonl"));
        importTo(gz, dir.resolve("gz.jsonl.gz"));
        assertThat(Files.mismatch(dir.resolve("plain.jsonl"), dir.resolve("zip.jsonl"))).isEqualTo(-1L);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("gz.jsonl.gz")))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(dir.resolve("plain.jsonl")));
        }
    }

    /** The backfill's reader counts the skipped elements exactly as import-apple reports them. */
    @Test
    void backfillReaderSummarizesSkippedElementsLikeImportApple() throws IOException {
        Path export = generated(150_000);
        AppleHealthImport.Summary imported = importTo(export, dir.resolve("imported.jsonl"));
        long envelopes = 0;
        try (EnvelopeReader r = AppleExportEnvelopes.factory("u-1", ZoneId.of("Europe/Berlin"))
                .open(Files.newInputStream(export))) {
            while (r.next() != null) envelopes++;
            assertThat(envelopes).isEqualTo(imported.envelopes());
            assertThat(r.summary()).isEqualTo("read " + imported.records() + " records and " + imported.workouts()
                    + " workouts from the Apple Health export; 0 without a readable date; skipped elements: "
                    + AppleHealthImport.Summary.joined(imported.skipped()));
        }
    }

    /** A gzip export cut short is damage, like a truncated XML: what came before it is kept. */
    @Test
    void truncatedGzipExportIsDamageAfterItsFirstSamples() throws IOException {
        Path gz = dir.resolve("export.xml.gz");
        try (OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(generated(150_000), o);
        }
        byte[] bytes = Files.readAllBytes(gz);
        Path cut = Files.write(dir.resolve("cut.xml.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        long[] envelopes = {0};
        try (EnvelopeReader r = AppleExportEnvelopes.factory("u-1", null).open(Files.newInputStream(cut))) {
            assertThatThrownBy(() -> {
                while (r.next() != null) envelopes[0]++;
            }).isInstanceOf(DamagedInputException.class)
                    // The XML parser meets the early end of the decompressed stream first.
                    .hasMessageStartingWith("malformed export.xml: Premature end of file. (line ");
            assertThat(envelopes[0]).isPositive().isEqualTo(r.position());
        }
    }

    @Test
    void aMalformedExportFailsAndLeavesNoHalfWrittenOutput() throws IOException {
        Path export = generated(150_000);
        Path broken = dir.resolve("broken.xml");
        byte[] bytes = Files.readAllBytes(export);
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length - 5000));
        Path out = dir.resolve("out.jsonl");
        int code = AppleHealthImport.importFile(broken, "u-1", null, new EnvelopeOutput(out, null, null));
        assertThat(code).isEqualTo(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void outputIsAFileOrKafkaNeverBothNorNone() {
        assertThatThrownBy(() -> EnvelopeOutput.from(Settings.parse(new String[] {"--out", "x.jsonl",
                "--kafka-bootstrap", "localhost:9092"}, Map.of())))
                .isInstanceOf(InvalidSettingException.class).hasMessage("give either --out or --kafka-bootstrap, not both");
        assertThatThrownBy(() -> EnvelopeOutput.from(Settings.parse(new String[0], Map.of())))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("missing output");
        assertThat(EnvelopeOutput.from(Settings.parse(new String[] {"--out", "x.jsonl"},
                Map.of("VITASENSE_KAFKA_BOOTSTRAP", "broker:9092"))).file()).isEqualTo(Path.of("x.jsonl"));
        EnvelopeOutput kafka = EnvelopeOutput.from(Settings.parse(new String[0], Map.of("VITASENSE_KAFKA_BOOTSTRAP", "broker:9092")));
        assertThat(kafka).isEqualTo(new EnvelopeOutput(null, "broker:9092", "device-data-raw"));
    }

    @Test
    void benchmarkPassReadsEveryEnvelopeAndMeasuresHeap() throws IOException {
        Path export = dir.resolve("export.xml");
        AppleExportGenerator.Generated g = AppleExportGenerator.write(export, 150_000, 1);
        AppleExportBenchmark.Run run = AppleExportBenchmark.run(export);
        assertThat(run.envelopes()).isEqualTo(g.records() + g.workouts());
        assertThat(run.peakHeapBytes()).isPositive();
        assertThat(run.jsonBytes()).isPositive();
        assertThat(AppleExportBenchmark.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(AppleExportBenchmark.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }
}
