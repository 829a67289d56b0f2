package com.vitasense.jobs.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.config.Settings;
import com.vitasense.quality.DetectorState;
import com.vitasense.quality.OutlierDetector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./vitasense nab --data DIR --out DIR [--labels FILE] [--profiles FILE]
 * [--max-out-of-orderness 5m]}: runs the pipeline's {@link OutlierDetector} (its {@link
 * OutlierDetector#generic() generic} settings, the same class the quality stage runs) over every
 * {@code timestamp,value} CSV below {@code --data}, each file one device's stream received a row
 * at a time in file order, and writes {@code <out>/<category>/<name>.csv} with {@code
 * timestamp,value,anomaly_score,flag}, where {@code flag} is 1 exactly where the pipeline would set
 * {@code OUTLIER}. With {@code --labels} (NAB's {@code combined_windows.json}) it scores the flags
 * with {@link NabScorer} under each profile (NAB's three, or those of {@code --profiles}, a NAB
 * {@code profiles.json}) and prints the normalized scores.
 *
 * <p>Rows that repeat a time, or step back in time (two files of the corpus have them), are
 * treated as the streaming job treats such readings of one device and metric (see {@link #replay}):
 * the detector sees each time once, in time order, and never a row ahead of the watermark.
 */
public final class NabCommand {
    public static final String DATA = "data";
    public static final String OUT = "out";
    public static final String LABELS = "labels";
    public static final String PROFILES = "profiles";
    /** The streaming job's option, with the same default: how long a reading is held before it is scored. */
    public static final String MAX_OUT_OF_ORDERNESS = PipelineConfig.MAX_OUT_OF_ORDERNESS;

    private NabCommand() {}

    /**
     * The command's settings; {@code labels} and {@code profiles} may be null. {@code
     * maxOutOfOrderness} is the streaming job's watermark delay, which decides which re-sent rows
     * are revisions and which are late (see {@link #replay}).
     */
    public record Options(Path data, Path out, Path labels, Path profiles, Duration maxOutOfOrderness) {
        public Options {
            if (maxOutOfOrderness == null || maxOutOfOrderness.isNegative()) {
                throw new InvalidSettingException("--" + MAX_OUT_OF_ORDERNESS + " must not be negative");
            }
        }

        /** With the streaming job's default out-of-orderness. */
        public Options(Path data, Path out, Path labels, Path profiles) {
            this(data, out, labels, profiles, PipelineConfig.defaults().maxOutOfOrderness());
        }

        public static Options from(Settings s) {
            Options o = new Options(Path.of(s.required(DATA)), Path.of(s.required(OUT)),
                    s.isSet(LABELS) ? Path.of(s.string(LABELS, null)) : null,
                    s.isSet(PROFILES) ? Path.of(s.string(PROFILES, null)) : null,
                    s.duration(MAX_OUT_OF_ORDERNESS, PipelineConfig.defaults().maxOutOfOrderness()));
            s.rejectUnknown();
            if (o.profiles != null && o.labels == null) throw new InvalidSettingException("--profiles needs --labels");
            return o;
        }
    }

    /**
     * One file's outcome; {@code scores} is empty without labels. {@code superseded} rows were
     * replaced by a later row of the same time (or repeated it exactly) before they were scored,
     * {@code late} rows came behind the watermark: neither kind is scored.
     */
    public record FileResult(String file, int rows, int outliers, int superseded, int late, int windows,
                             Map<String, NabScorer.FileScore> scores) {}

    /** What happened to a row in the quality stage. */
    public enum RowFate {
        /** Scored by the detector: the row's score and flag are the pipeline's. */
        SCORED,
        /** A later row of the same time replaced it while it was held (a revision), or it repeated the held row exactly. */
        SUPERSEDED,
        /** Behind the watermark when it came: the pipeline writes it flagged LATE and never scores it. */
        LATE
    }

    /** The replay of one series: per row its fate, score (0 unless scored) and OUTLIER flag. */
    public record Verdicts(RowFate[] fates, double[] scores, boolean[] flags) {
        public int count(RowFate fate) {
            int n = 0;
            for (RowFate f : fates) {
                if (f == fate) n++;
            }
            return n;
        }
    }

    /**
     * The whole run: per-file results, and with labels the normalized score of each profile (by
     * profile name, in profile order) and the corpus' window count.
     */
    public record Result(OutlierDetector detector, List<FileResult> files, int windows,
                         Map<String, Double> scores) {
        public double score(String profile) {
            Double s = scores.get(profile);
            if (s == null) throw new IllegalArgumentException("no score for profile " + profile);
            return s;
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.from(Settings.fromMain(args));
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(options, System.out);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            // Bad input files: one line naming the file is what the user needs, not a stack trace.
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs the detector over every CSV below {@code options.data()}, writes the outputs, and scores. */
    public static Result run(Options options, PrintStream log) throws IOException {
        OutlierDetector detector = OutlierDetector.generic();
        List<Path> files = csvFiles(options.data());
        if (files.isEmpty()) throw new IOException("no .csv files below " + options.data());
        NabWindows windows = options.labels() == null ? null : NabWindows.load(options.labels());
        List<NabScorer.Profile> profiles = options.profiles() == null ? NabScorer.Profile.all()
                : loadProfiles(options.profiles());

        log.printf(Locale.ROOT, "detector: %s, rows held for the watermark: %s (--%s)%n", detector,
                options.maxOutOfOrderness(), MAX_OUT_OF_ORDERNESS);
        List<FileResult> results = new ArrayList<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        int windowCount = 0;
        for (Path path : files) {
            String key = key(options.data(), path);
            NabSeries series = NabSeries.read(path);
            Verdicts verdicts = replay(detector, series, options.maxOutOfOrderness());
            write(series, verdicts, options.out().resolve(key));
            boolean[] flags = verdicts.flags();
            int outliers = 0;
            for (boolean f : flags) {
                if (f) outliers++;
            }
            Map<String, NabScorer.FileScore> scores = new LinkedHashMap<>();
            int fileWindows = 0;
            if (windows != null) {
                List<NabScorer.Window> rows = windows.rows(key, series.timestamps());
                fileWindows = rows.size();
                windowCount += fileWindows;
                for (NabScorer.Profile profile : profiles) {
                    NabScorer.FileScore s = NabScorer.scoreFile(flags, rows, profile);
                    scores.put(profile.name(), s);
                    raw.merge(profile.name(), s.raw(), Double::sum);
                }
            }
            FileResult r = new FileResult(key, series.size(), outliers, verdicts.count(RowFate.SUPERSEDED),
                    verdicts.count(RowFate.LATE), fileWindows, scores);
            results.add(r);
            log.println(describe(r, profiles));
        }

        Map<String, Double> normalized = new LinkedHashMap<>();
        if (windows != null && windowCount == 0) {
            // Normalization divides by the windows' worth; without windows only the raw cost of the alarms is left.
            log.printf(Locale.ROOT, "no anomaly windows in these files: raw %s score %.3f%n", profiles.get(0).name(),
                    raw.getOrDefault(profiles.get(0).name(), 0.0));
        } else if (windows != null) {
            log.printf(Locale.ROOT, "NAB score of %d files, %d windows, threshold %s (the pipeline's OUTLIER threshold):%n",
                    results.size(), windowCount, detector.threshold());
            for (NabScorer.Profile profile : profiles) {
                double score = NabScorer.normalized(raw.get(profile.name()), windowCount, profile);
                normalized.put(profile.name(), score);
                log.printf(Locale.ROOT, "  %-20s %6.1f%n", profile.name(), score);
            }
        }
        log.printf(Locale.ROOT, "wrote %d files below %s%n", results.size(), options.out());
        return new Result(detector, results, windowCount, normalized);
    }

    /**
     * The quality stage of the streaming job ({@code ReadingAdmission} then {@code
     * DeviceMetricQuality}) on one series whose rows arrive in file order, with the watermark
     * following every row: {@code newest time so far - maxOutOfOrderness - 1 ms}, as {@code
     * ReadingWatermarks} computes it.
     *
     * <ul>
     *   <li>A row is held until the watermark passes its time; held rows are scored in time order
     *       by one detector state, so the detector never sees a row ahead of the pipeline.
     *   <li>A row whose time is already held is the same reading re-sent (the pipeline's point id
     *       is derived from device, metric and time): with another value it is a new revision and
     *       replaces the held one, which is never scored; with the same value it is an exact repeat
     *       and is dropped. Either way the earlier row's outcome is {@link RowFate#SUPERSEDED}.
     *   <li>A row at or behind the watermark is {@link RowFate#LATE}: the pipeline writes it
     *       flagged LATE and checks it on its own, without scoring it.
     * </ul>
     * Rows not scored get score 0 and flag 0: the pipeline sets no OUTLIER on them. In a file whose
     * times only increase, every row is scored, in file order, exactly as before.
     */
    public static Verdicts replay(OutlierDetector detector, NabSeries series, Duration maxOutOfOrderness) {
        int n = series.size();
        RowFate[] fates = new RowFate[n];
        double[] scores = new double[n];
        boolean[] flags = new boolean[n];
        DetectorState state = new DetectorState();
        long delay = maxOutOfOrderness.toMillis();
        // time -> the row held for it; what the quality stage keeps in its pending-readings state.
        TreeMap<Long, Integer> held = new TreeMap<>();
        long watermark = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long t = series.epochMillis(i);
            if (t <= watermark) {
                fates[i] = RowFate.LATE;
                continue;
            }
            Integer before = held.get(t);
            if (before != null && series.values()[before] == series.values()[i]) {
                fates[i] = RowFate.SUPERSEDED; // an exact repeat: dropped, the held row stands
                continue;
            }
            if (before != null) fates[before] = RowFate.SUPERSEDED;
            held.put(t, i);
            watermark = Math.max(watermark, t - delay - 1);
            release(detector, state, series, held, watermark, fates, scores, flags);
        }
        release(detector, state, series, held, Long.MAX_VALUE, fates, scores, flags);
        return new Verdicts(fates, scores, flags);
    }

    /** Scores, in time order, the held rows the watermark has passed. */
    private static void release(OutlierDetector detector, DetectorState state, NabSeries series,
                                TreeMap<Long, Integer> held, long watermark, RowFate[] fates, double[] scores,
                                boolean[] flags) {
        while (!held.isEmpty() && held.firstKey() <= watermark) {
            int row = held.pollFirstEntry().getValue();
            scores[row] = detector.score(state, series.epochMillis(row), series.values()[row]);
            flags[row] = detector.isOutlier(scores[row]);
            fates[row] = RowFate.SCORED;
        }
    }

    /** Writes the scored CSV: every input row, in file order, with its score and flag. */
    static void write(NabSeries series, Verdicts verdicts, Path outFile) throws IOException {
        Files.createDirectories(outFile.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            out.write("timestamp,value,anomaly_score,flag\n");
            for (int i = 0; i < series.size(); i++) {
                // toPlainString of the shortest round-tripping decimal: re-reading the file gives
                // the exact score, so flag == (anomaly_score >= threshold) holds in the file too.
                out.write(series.timestampTexts().get(i) + "," + series.valueTexts().get(i) + ","
                        + BigDecimal.valueOf(verdicts.scores()[i]).toPlainString() + ","
                        + (verdicts.flags()[i] ? 1 : 0) + "\n");
            }
        }
    }

    private static String describe(FileResult r, List<NabScorer.Profile> profiles) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-60s rows=%-6d outliers=%-3d", r.file(),
                r.rows(), r.outliers()));
        // Only files with re-sent or late rows say so: for the others nothing differs from file order.
        if (r.superseded() > 0 || r.late() > 0) {
            sb.append(String.format(Locale.ROOT, " superseded=%d late=%d", r.superseded(), r.late()));
        }
        NabScorer.FileScore s = r.scores().get(profiles.get(0).name());
        if (s != null) {
            sb.append(String.format(Locale.ROOT, " windows=%d tp=%d fp=%d fn=%d %s=%.3f", r.windows(),
                    s.truePositives(), s.falsePositives(), s.falseNegatives(), profiles.get(0).name(), s.raw()));
        }
        return sb.toString();
    }

    /** The CSV files below {@code dir}, in a stable (sorted) order. */
    static List<Path> csvFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("--data " + dir + " is not a directory");
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
                    .sorted().toList();
        }
    }

    /** {@code category/name.csv}: the path below the data directory with '/' separators, as NAB's labels key files. */
    static String key(Path dataDir, Path file) {
        Path rel = dataDir.relativize(file);
        List<String> parts = new ArrayList<>();
        for (Path part : rel) parts.add(part.toString());
        return String.join("/", parts);
    }

    /** A NAB {@code profiles.json}: {@code {name: {CostMatrix: {tpWeight, fnWeight, fpWeight, ...}}}}. */
    static List<NabScorer.Profile> loadProfiles(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<NabScorer.Profile> profiles = new ArrayList<>();
        if (root == null || !root.isObject()) throw new IOException(file + ": expected a JSON object of profiles");
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode costs = e.getValue().path("CostMatrix");
            for (String weight : List.of("tpWeight", "fnWeight", "fpWeight")) {
                if (!costs.path(weight).isNumber()) {
                    throw new IOException(file + ": profile " + e.getKey() + " has no numeric CostMatrix." + weight);
                }
            }
            profiles.add(new NabScorer.Profile(e.getKey(), costs.get("tpWeight").asDouble(),
                    costs.get("fnWeight").asDouble(), costs.get("fpWeight").asDouble()));
        }
        if (profiles.isEmpty()) throw new IOException(file + ": no profiles");
        return profiles;
    }
}
