package com.vitasense.jobs.eval;

import com.vitasense.patterns.AlertType;
import com.vitasense.records.DeviceAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Scores raised alerts against labelled fault episodes. An alert matches a label of the same
 * device and alert type (and metric, when both name one) whose window {@code [start, end]},
 * widened by the tolerance on both sides, contains the alert's start. Matching is one to one:
 * alerts are taken in order of their start and each takes the earliest-starting label it matches
 * that no earlier alert took. So an episode split into two alerts counts one true positive and one
 * false positive, and one alert never covers two episodes.
 *
 * <p>Precision is true positives over raised alerts, recall true positives over labels; both are
 * undefined (NaN) when their denominator is 0.
 */
public final class AlertMatching {
    private AlertMatching() {}

    /** The figures of one alert type, or of all of them. */
    public record Score(String alertType, int labeled, int raised, int truePositives) {
        public double precision() {
            return raised == 0 ? Double.NaN : (double) truePositives / raised;
        }

        public double recall() {
            return labeled == 0 ? Double.NaN : (double) truePositives / labeled;
        }
    }

    /** Per-type scores (every alert type, in {@link AlertType} order) and the overall figures. */
    public record Result(Map<String, Score> byType, Score overall, List<DeviceAlert> unmatchedAlerts,
                         List<AlertLabel> missedLabels) {
        public Score score(AlertType type) {
            return byType.get(type.name());
        }

        /** The table the command prints. */
        public String table() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-18s %8s %7s %10s %10s %7s%n",
                    "alert type", "labeled", "raised", "true pos.", "precision", "recall"));
            for (Score s : byType.values()) b.append(row(s));
            b.append(row(overall));
            return b.toString().stripTrailing();
        }

        private static String row(Score s) {
            return String.format(Locale.ROOT, "%-18s %8d %7d %10d %10s %7s%n", s.alertType(), s.labeled(), s.raised(),
                    s.truePositives(), figure(s.precision()), figure(s.recall()));
        }

        private static String figure(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
        }
    }

    /**
     * Matches the raised alerts among {@code alerts} (each id once: a severity change re-emits a
     * raised alert under the same id; cleared records are ignored) against {@code labels}.
     */
    public static Result evaluate(Collection<AlertLabel> labels, Collection<DeviceAlert> alerts, Duration tolerance) {
        Map<String, DeviceAlert> raised = new LinkedHashMap<>();
        for (DeviceAlert a : alerts) {
            if (a.isRaised()) raised.putIfAbsent(a.id != null ? a.id : DeviceAlert.idOf(a.deviceId, a.alertType, a.metric,
                    a.startedAt), a);
        }
        List<DeviceAlert> ordered = new ArrayList<>(raised.values());
        ordered.sort(Comparator.comparing((DeviceAlert a) -> a.startedAt).thenComparing(a -> a.deviceId)
                .thenComparing(a -> a.alertType).thenComparing(a -> a.metric, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<AlertLabel> open = new ArrayList<>(labels);
        open.sort(Comparator.comparing(AlertLabel::start).thenComparing(AlertLabel::deviceId));

        Map<String, int[]> counts = new LinkedHashMap<>(); // labeled, raised, true positives
        for (AlertType t : AlertType.values()) counts.put(t.name(), new int[3]);
        for (AlertLabel l : labels) counts.computeIfAbsent(l.alertType(), k -> new int[3])[0]++;
        List<DeviceAlert> unmatched = new ArrayList<>();
        for (DeviceAlert a : ordered) {
            int[] c = counts.computeIfAbsent(a.alertType, k -> new int[3]);
            c[1]++;
            AlertLabel match = null;
            for (AlertLabel l : open) {
                if (matches(l, a, tolerance)) {
                    match = l;
                    break;
                }
            }
            if (match == null) {
                unmatched.add(a);
            } else {
                open.remove(match);
                c[2]++;
            }
        }
        Map<String, Score> byType = new LinkedHashMap<>();
        int[] all = new int[3];
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            byType.put(e.getKey(), new Score(e.getKey(), c[0], c[1], c[2]));
            for (int i = 0; i < 3; i++) all[i] += c[i];
        }
        return new Result(byType, new Score("overall", all[0], all[1], all[2]), unmatched, open);
    }

    /** True if {@code alert} is a detection of the episode {@code label}. */
    public static boolean matches(AlertLabel label, DeviceAlert alert, Duration tolerance) {
        if (!label.deviceId().equals(alert.deviceId) || !label.alertType().equals(alert.alertType)) return false;
        if (label.metric() != null && alert.metric != null && !Objects.equals(label.metric(), alert.metric)) return false;
        Instant at = alert.startedAt;
        return at != null && !at.isBefore(label.start().minus(tolerance)) && !at.isAfter(label.end().plus(tolerance));
    }
}
