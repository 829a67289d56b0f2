package com.vitasense.jobs.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.patterns.AlertType;
import com.vitasense.records.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The labels file of a fault scenario: what was injected where and when, as written by
 * {@code ./vitasense simulate --scenario faults --labels FILE} and read by
 * {@code ./vitasense evaluate-alerts}.
 *
 * <pre>
 * {"scenario": "faults", "seed": 42, "start": "...", "end": "...", "devices": ["..."],
 *  "episodes": [{"device_id": "...", "alert_type": "SPIKE", "metric": "glucose", "start": "...", "end": "..."}]}
 * </pre>
 *
 * {@code devices} lists every device of the scenario, the clean ones included.
 */
public final class AlertLabels {
    private AlertLabels() {}

    /** A labels file: the scenario's span, its devices and the injected episodes. */
    public record LabelSet(String scenario, long seed, Instant start, Instant end, List<String> devices,
                           List<AlertLabel> episodes) {}

    public static String toJson(LabelSet set) {
        ObjectNode root = Json.mapper().createObjectNode()
                .put("scenario", set.scenario())
                .put("seed", set.seed())
                .put("start", set.start().toString())
                .put("end", set.end().toString());
        ArrayNode devices = root.putArray("devices");
        set.devices().forEach(devices::add);
        ArrayNode episodes = root.putArray("episodes");
        for (AlertLabel l : set.episodes()) {
            ObjectNode e = episodes.addObject()
                    .put("device_id", l.deviceId())
                    .put("alert_type", l.alertType())
                    .put("metric", l.metric())
                    .put("start", l.start().toString())
                    .put("end", l.end().toString());
            if (l.metric() == null) e.putNull("metric");
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, LabelSet set) throws IOException {
        Files.writeString(file, toJson(set), StandardCharsets.UTF_8);
    }

    /**
     * Reads a labels file. Anything it cannot use fails with an {@link IOException} whose message
     * names the file and the episode, in one line.
     */
    public static LabelSet read(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("episodes").isArray()) {
            throw new IOException(file + " is not a labels file: expected an object with an \"episodes\" array");
        }
        List<AlertLabel> episodes = new ArrayList<>();
        JsonNode array = root.get("episodes");
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            String where = file + ": episodes[" + i + "]";
            String type = text(e, "alert_type", where);
            try {
                AlertType.valueOf(type);
            } catch (IllegalArgumentException x) {
                throw new IOException(where + ": unknown alert_type \"" + type + "\"");
            }
            JsonNode metric = e.get("metric");
            Instant start = instant(e, "start", where);
            Instant end = instant(e, "end", where);
            if (end.isBefore(start)) throw new IOException(where + ": end " + end + " is before start " + start);
            episodes.add(new AlertLabel(text(e, "device_id", where), type,
                    metric == null || metric.isNull() ? null : metric.asText(), start, end));
        }
        List<String> devices = new ArrayList<>();
        root.path("devices").forEach(d -> devices.add(d.asText()));
        Instant start = root.hasNonNull("start") ? instant(root, "start", file.toString()) : null;
        Instant end = root.hasNonNull("end") ? instant(root, "end", file.toString()) : null;
        return new LabelSet(root.path("scenario").asText(null), root.path("seed").asLong(0), start, end, devices,
                episodes);
    }

    private static String text(JsonNode e, String field, String where) throws IOException {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw new IOException(where + ": missing " + field);
        return v.asText();
    }

    private static Instant instant(JsonNode e, String field, String where) throws IOException {
        String v = text(e, field, where);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException x) {
            throw new IOException(where + ": " + field + " \"" + v + "\" is not an ISO-8601 instant");
        }
    }
}
