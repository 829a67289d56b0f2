package com.vitasense.jobs.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One NAB data file: a {@code timestamp,value} CSV with a header, timestamps {@code YYYY-MM-DD
 * HH:MM:SS}. Rows stay in file order, the order NAB feeds them to a detector and the order the
 * pipeline would receive them in: real files repeat a timestamp now and then ({@code
 * ec2_request_latency_system_failure}) and one ({@code machine_temperature_system_failure}) steps
 * back an hour once; {@link NabCommand#replay} decides what the pipeline makes of such rows. Values
 * keep their original text so the output repeats them exactly.
 */
public record NabSeries(List<String> timestampTexts, List<LocalDateTime> timestamps, List<String> valueTexts,
                        double[] values) {

    public NabSeries {
        timestampTexts = Collections.unmodifiableList(timestampTexts);
        timestamps = Collections.unmodifiableList(timestamps);
        valueTexts = Collections.unmodifiableList(valueTexts);
    }

    public int size() {
        return values.length;
    }

    /** Event time of row {@code i} in epoch millis; NAB timestamps carry no zone, read as UTC. */
    public long epochMillis(int i) {
        return timestamps.get(i).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Reads a file; fails on a malformed row, naming the line. */
    public static NabSeries read(Path file) throws IOException {
        List<String> tsTexts = new ArrayList<>();
        List<LocalDateTime> ts = new ArrayList<>();
        List<String> valueTexts = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().equalsIgnoreCase("timestamp,value")) {
                throw new IOException(file + ": expected the header 'timestamp,value', got '" + header + "'");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int comma = line.indexOf(',');
                if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
                    throw new IOException(file + ":" + lineNo + ": expected 'timestamp,value', got '" + line + "'");
                }
                String tsText = line.substring(0, comma).strip();
                String valueText = line.substring(comma + 1).strip();
                LocalDateTime t;
                double v;
                try {
                    t = NabWindows.parseTimestamp(tsText);
                    v = Double.parseDouble(valueText);
                } catch (DateTimeParseException | NumberFormatException e) {
                    throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
                }
                tsTexts.add(tsText);
                ts.add(t);
                valueTexts.add(valueText);
                values.add(v);
            }
        }
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = values.get(i);
        return new NabSeries(tsTexts, ts, valueTexts, v);
    }
}
