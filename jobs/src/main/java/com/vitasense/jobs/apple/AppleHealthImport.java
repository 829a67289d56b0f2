package com.vitasense.jobs.apple;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.io.EnvelopeOutput;
import com.vitasense.jobs.io.EnvelopeWriter;
import com.vitasense.vendors.apple.AppleHealthExportException;
import com.vitasense.vendors.apple.AppleHealthExportReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ./vitasense import-apple}: streams an Apple Health export into raw envelopes, to a
 * JSON-lines file (a backfill input) or to the raw Kafka topic keyed by device id, and prints what
 * it wrote. The same file always yields the same envelopes, so importing twice is harmless: the
 * pipeline's deterministic ids turn the second import into upserts of the same rows.
 *
 * <pre>
 * ./vitasense import-apple --file export.zip --user u-1 [--time-zone Europe/Berlin]
 *     (--out envelopes.jsonl[.gz] | --kafka-bootstrap host:port [--topic device-data-raw])
 * </pre>
 */
public final class AppleHealthImport {
    private AppleHealthImport() {}

    /** What one import wrote. */
    public record Summary(long records, long workouts, long withoutDate, Map<String, Long> byDevice,
                          Map<String, Long> skipped) {
        public long envelopes() {
            return records + workouts;
        }

        /** The lines the command prints. */
        public String describe(Path file, String target, double seconds) {
            StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "imported %d envelopes (%d records, %d workouts) from %s to %s in %.1fs%n",
                    envelopes(), records, workouts, file, target, seconds));
            s.append("devices: ").append(joined(byDevice)).append('\n');
            s.append("skipped elements: ").append(joined(skipped));
            if (withoutDate > 0) {
                s.append('\n').append(withoutDate).append(" samples have no readable date and were written without"
                        + " received_at; the pipeline will dead-letter them");
            }
            return s.toString();
        }

        /** Counts as {@code name=count ...}, or {@code none}: the form import-apple and the backfill log print. */
        static String joined(Map<String, Long> counts) {
            return counts.isEmpty() ? "none" : counts.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    /** Reads the whole export from {@code in} and writes every envelope to {@code out}. */
    public static Summary run(InputStream in, String userId, ZoneId timeZone, EnvelopeWriter out) throws IOException {
        Map<String, Long> byDevice = new TreeMap<>();
        try (AppleHealthExportReader reader = AppleHealthExportReader.open(in, userId, timeZone)) {
            while (reader.hasNext()) {
                AppleHealthExportReader.ExportEnvelope e = reader.next();
                out.write(e.deviceId(), e.json());
                byDevice.merge(e.deviceId(), 1L, Long::sum);
            }
            return new Summary(reader.records(), reader.workouts(), reader.withoutDate(), byDevice,
                    new TreeMap<>(reader.skipped()));
        }
    }

    public static void main(String[] args) {
        Path file;
        String user;
        ZoneId zone;
        EnvelopeOutput output;
        try {
            Settings s = Settings.fromMain(args);
            file = s.existingFile("file");
            user = s.required("user");
            zone = s.timeZone("time-zone", null);
            output = EnvelopeOutput.from(s);
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(importFile(file, user, zone, output));
    }

    /** Runs the command; returns the process exit code (0 done, 1 the export or the output failed). */
    static int importFile(Path file, String user, ZoneId zone, EnvelopeOutput output) {
        long started = System.nanoTime();
        try (InputStream in = AppleExportFiles.open(file); EnvelopeWriter out = output.open()) {
            Summary summary = run(in, user, zone, out);
            out.close(); // flushes, and reports a failed write before the summary claims success
            System.out.println(summary.describe(file, out.target(), (System.nanoTime() - started) / 1e9));
            return 0;
        } catch (AppleHealthExportException e) {
            System.err.println("error: " + file + ": " + e.getMessage() + removePartial(output));
            return 1;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage() + removePartial(output));
            return 1;
        }
    }

    /** A half-written output file would pass for a complete backfill input: remove it. */
    private static String removePartial(EnvelopeOutput output) {
        if (output.file() == null) return "; envelopes produced before the failure stay on the topic";
        try {
            return java.nio.file.Files.deleteIfExists(output.file()) ? "; removed the incomplete " + output.file() : "";
        } catch (IOException e) {
            return "; could not remove the incomplete " + output.file() + ": " + e.getMessage();
        }
    }
}
