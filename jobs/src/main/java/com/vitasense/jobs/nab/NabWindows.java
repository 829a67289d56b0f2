package com.vitasense.jobs.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NAB's labelled anomaly windows ({@code labels/combined_windows.json}): for each file, keyed by
 * {@code category/name.csv}, a list of {@code [start, end]} timestamps. A window covers the rows
 * whose timestamps lie between start and end, both included.
 */
public final class NabWindows {
    /** NAB timestamps: {@code YYYY-MM-DD HH:MM:SS}, in the labels with an optional fraction. */
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    /** A window in time, both ends included. */
    public record Span(LocalDateTime start, LocalDateTime end) {
        public Span {
            if (end.isBefore(start)) throw new IllegalArgumentException("window ends before it starts: " + start + ".." + end);
        }
    }

    private final Map<String, List<Span>> byFile;

    private NabWindows(Map<String, List<Span>> byFile) {
        this.byFile = byFile;
    }

    /** Parses a {@code combined_windows.json}. */
    public static NabWindows load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) throw new IOException(file + ": expected a JSON object of file -> windows");
        Map<String, List<Span>> byFile = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            List<Span> spans = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                if (!w.isArray() || w.size() != 2) {
                    throw new IOException(file + ": " + e.getKey() + ": a window must be [start, end], got " + w);
                }
                try {
                    spans.add(new Span(parseTimestamp(w.get(0).asText()), parseTimestamp(w.get(1).asText())));
                } catch (DateTimeParseException | IllegalArgumentException ex) {
                    throw new IOException(file + ": " + e.getKey() + ": " + ex.getMessage(), ex);
                }
            }
            byFile.put(e.getKey(), Collections.unmodifiableList(spans));
        }
        return new NabWindows(byFile);
    }

    /** A timestamp as NAB writes it, e.g. {@code 2014-02-19 10:50:00} or {@code 2014-02-19 10:50:00.000000}. */
    public static LocalDateTime parseTimestamp(String text) {
        return LocalDateTime.parse(text.trim(), TIMESTAMP);
    }

    /** The files that have labels, as {@code category/name.csv}. */
    public Set<String> files() {
        return byFile.keySet();
    }

    public boolean has(String file) {
        return byFile.containsKey(file);
    }

    /** The windows of one file, in time order. */
    public List<Span> spans(String file) {
        List<Span> spans = byFile.get(file);
        if (spans == null) throw new IllegalArgumentException("no labels for " + file);
        return spans;
    }

    /**
     * The windows of {@code file} as rows of a series with these timestamps, in file order: from
     * the first row inside the window up to the row before the next one past its end. Rows are
     * scanned in file order rather than searched, because real NAB files are not strictly
     * ascending (a repeated timestamp, an hour stepping back once).
     *
     * @throws IllegalArgumentException if a window covers no row: the labels do not belong to the data
     */
    public List<NabScorer.Window> rows(String file, List<LocalDateTime> timestamps) {
        List<NabScorer.Window> rows = new ArrayList<>();
        int from = 0;
        for (Span span : spans(file)) {
            int left = from;
            while (left < timestamps.size()
                    && (timestamps.get(left).isBefore(span.start()) || timestamps.get(left).isAfter(span.end()))) {
                left++;
            }
            if (left == timestamps.size()) {
                throw new IllegalArgumentException(file + ": window " + span.start() + " .. " + span.end()
                        + " covers no row of the file");
            }
            int right = left;
            while (right + 1 < timestamps.size() && !timestamps.get(right + 1).isAfter(span.end())) right++;
            rows.add(new NabScorer.Window(left, right));
            from = right + 1;
        }
        return rows;
    }
}
