package com.vitasense.jobs.bench;

import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Canonical readings for the benchmark, written as JSON lines: users with a watch (heart rate
 * every minute), a ring (heart rate every 5 minutes, so the watch and ring are compared) and a
 * CGM (glucose every 5 minutes), in event-time order. Users are spread over {@code files} files,
 * one per source subtask, each in time order, so the streaming run sees ordered input on every
 * split and flags nothing late, just as the batch run.
 */
final class GeneratedReadings {
    /** Readings per user and five minutes: five watch readings, one ring and one CGM reading. */
    static final int PER_USER_AND_FIVE_MINUTES = 7;

    private GeneratedReadings() {}

    /** What was written. */
    record Written(List<Path> files, long readings, int users, long minutes, long bytes) {}

    /**
     * Writes at least {@code readings} readings for {@code users} users starting at {@code start},
     * whole five-minute blocks at a time, into {@code files} files in {@code dir}.
     */
    static Written write(Path dir, long readings, int users, int files, Instant start, long seed, boolean gzip)
            throws IOException {
        long blocks = (readings + (long) users * PER_USER_AND_FIVE_MINUTES - 1) / ((long) users * PER_USER_AND_FIVE_MINUTES);
        List<Path> paths = new ArrayList<>();
        List<JsonLinesEnvelopeWriter> writers = new ArrayList<>();
        long written = 0;
        try {
            java.nio.file.Files.createDirectories(dir);
            for (int f = 0; f < files; f++) {
                Path p = dir.resolve(String.format("readings-%02d.jsonl%s", f, gzip ? ".gz" : ""));
                paths.add(p);
                writers.add(new JsonLinesEnvelopeWriter(p));
            }
            SplittableRandom random = new SplittableRandom(seed);
            StringBuilder line = new StringBuilder(400);
            long startSecond = start.getEpochSecond();
            for (long minute = 0; minute < blocks * 5; minute++) {
                String at = Instant.ofEpochSecond(startSecond + minute * 60).toString();
                String received = Instant.ofEpochSecond(startSecond + minute * 60 + 3).toString();
                String ringAt = Instant.ofEpochSecond(startSecond + minute * 60 + 20).toString();
                String ringReceived = Instant.ofEpochSecond(startSecond + minute * 60 + 23).toString();
                double wave = Math.sin(minute / 30.0);
                for (int u = 0; u < users; u++) {
                    JsonLinesEnvelopeWriter w = writers.get(u % files);
                    double heartRate = 62 + (u % 20) + 12 * wave + random.nextDouble() * 3;
                    reading(line, u, "watch", "heart_rate", heartRate, "bpm", "Apple Watch Series 9", at, received);
                    w.write("", line.toString());
                    written++;
                    if (minute % 5 == 0) {
                        reading(line, u, "ring", "heart_rate", heartRate + random.nextDouble() * 4 - 2, "bpm",
                                "Oura Ring Gen3", ringAt, ringReceived);
                        w.write("", line.toString());
                        double glucose = 105 + (u % 30) + 30 * Math.sin(minute / 90.0 + u) + random.nextDouble() * 4;
                        reading(line, u, "cgm", "glucose", glucose, "mg/dL", "Dexcom G7", at, received);
                        w.write("", line.toString());
                        written += 2;
                    }
                }
            }
        } finally {
            IOException failure = null;
            for (JsonLinesEnvelopeWriter w : writers) {
                try {
                    w.close();
                } catch (IOException e) {
                    if (failure == null) failure = e;
                    else failure.addSuppressed(e);
                }
            }
            if (failure != null) throw failure;
        }
        long bytes = 0;
        for (Path p : paths) bytes += java.nio.file.Files.size(p);
        return new Written(paths, written, users, blocks * 5, bytes);
    }

    /** One envelope line; hand-built because Jackson would dominate the generation time. */
    private static void reading(StringBuilder b, int user, String device, String metric, double value, String unit,
                                String model, String at, String received) {
        b.setLength(0);
        b.append("{\"vendor\":\"canonical\",\"kind\":\"data_point\",\"user_id\":\"u-").append(user)
                .append("\",\"device_id\":\"").append(device).append('-').append(user)
                .append("\",\"received_at\":\"").append(received)
                .append("\",\"time_zone\":\"Europe/Berlin\",\"payload\":{\"metric\":\"").append(metric)
                .append("\",\"value\":").append(Math.round(value * 10) / 10.0)
                .append(",\"unit\":\"").append(unit)
                .append("\",\"start_time\":\"").append(at)
                .append("\",\"device_model\":\"").append(model).append("\"}}");
    }
}
