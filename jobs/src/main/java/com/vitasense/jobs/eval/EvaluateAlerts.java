package com.vitasense.jobs.eval;

import com.vitasense.jobs.BackfillJob;
import com.vitasense.jobs.DevicePipeline;
import com.vitasense.jobs.PipelineSinks;
import com.vitasense.jobs.backfill.BackfillCounters;
import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.config.Settings;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.RawRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * {@code ./vitasense evaluate-alerts --input FILE.jsonl --labels LABELS.json [--tolerance 15m]}:
 * runs the backfill topology (the device pipeline in batch mode, in this JVM) over a JSON-lines
 * file of raw envelopes, collects the alerts it raises, and scores them against the labelled fault
 * episodes of {@code ./vitasense simulate --scenario faults} with {@link AlertMatching}: labeled,
 * raised, true positives, precision and recall per alert type, and overall. The pipeline flags
 * ({@code --alert-rules}, {@code --quality-rules}, ...) apply, so other rule settings can be
 * scored on the same input.
 */
public final class EvaluateAlerts {
    public static final String INPUT = "input";
    public static final String LABELS = "labels";
    public static final String TOLERANCE = "tolerance";
    public static final String PARALLELISM = "parallelism";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(15);
    /** How many missed episodes and unexpected alerts the report lists. */
    private static final int LISTED = 20;

    private EvaluateAlerts() {}

    /** The command's settings. */
    public record Options(Path input, Path labels, Duration tolerance, int parallelism, PipelineConfig pipeline) {
        public static Options from(Settings s) {
            Path input = Path.of(s.required(INPUT));
            if (!Files.isReadable(input)) {
                throw new InvalidSettingException("invalid --" + INPUT + " '" + input + "': no such readable file or directory");
            }
            Path labels = s.existingFile(LABELS);
            Duration tolerance = s.duration(TOLERANCE, DEFAULT_TOLERANCE);
            int parallelism = s.integer(PARALLELISM, 2, 1, 256);
            PipelineConfig pipeline = PipelineConfig.from(s);
            s.rejectUnknown();
            return new Options(input, labels, tolerance, parallelism, pipeline);
        }
    }

    /** What the pipeline made of the input, and the scores. */
    public record Report(long records, long points, long deadLetters, List<DeviceAlert> alerts, AlertMatching.Result result) {}

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
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) cause = cause.getCause();
            System.err.println("error: the pipeline failed: " + cause);
            System.exit(1);
            return;
        }
        // The local cluster's threads would keep the JVM up.
        System.exit(0);
    }

    /** Reads the labels, runs the pipeline over the input on a local batch environment and prints the report. */
    public static Report run(Options options, PrintStream out) throws Exception {
        AlertLabels.LabelSet labels = AlertLabels.read(options.labels());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        env.setParallelism(options.parallelism());
        long t0 = System.nanoTime();
        Report report = evaluate(env, BackfillJob.fileSource(options.input().toString()), options.pipeline(),
                labels.episodes(), options.tolerance());
        if (report.records() == 0) throw new IOException(options.input() + " holds no envelopes");
        if (report.points() == 0) {
            throw new IOException(options.input() + " holds no readings the pipeline could parse (" + report.deadLetters()
                    + " of " + report.records() + " records dead-lettered): not a file of raw envelopes?");
        }
        out.printf(Locale.ROOT, "evaluate-alerts: %s (%d records, %d readings, %d dead letters), %d labelled episodes"
                        + " on %d devices, tolerance %s, batch pipeline in %.1f s%n", options.input(), report.records(),
                report.points(), report.deadLetters(), labels.episodes().size(), labels.devices().size(),
                options.tolerance(), (System.nanoTime() - t0) / 1e9);
        out.println(report.result().table());
        List<AlertLabel> missed = report.result().missedLabels();
        if (!missed.isEmpty()) {
            out.println("missed episodes (" + missed.size() + "):");
            missed.stream().limit(LISTED).forEach(l -> out.println("  " + l.alertType() + (l.metric() != null ? "/" + l.metric() : "")
                    + " " + l.deviceId() + " " + l.start() + " .. " + l.end()));
        }
        List<DeviceAlert> unexpected = report.result().unmatchedAlerts();
        if (!unexpected.isEmpty()) {
            out.println("alerts matching no episode (" + unexpected.size() + "):");
            unexpected.stream().limit(LISTED).forEach(a -> out.println("  " + a.alertType + (a.metric != null ? "/" + a.metric : "")
                    + " " + a.deviceId + " " + a.startedAt + " " + a.details));
        }
        return report;
    }

    /**
     * Runs the backfill topology over {@code source} on {@code env} in batch mode, every output
     * but the alerts discarded, and scores the raised alerts against {@code labels}.
     */
    public static Report evaluate(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, PipelineConfig config,
                                  List<AlertLabel> labels, Duration tolerance) throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        try (InProcessCollector<DeviceAlert> alerts = new InProcessCollector<>()) {
            PipelineSinks d = PipelineSinks.discardingAll();
            PipelineSinks sinks = new PipelineSinks(d.dataPointTable(), d.processedTopic(), d.deviceTable(), d.deadLetters(),
                    d.qualityIssueTable(), d.qualityIssueTopic(), d.completenessTable(), d.calibrationTable(),
                    d.calibrationEventTable(), d.calibrationEventTopic(), alerts, new DiscardingSink<>(),
                    d.syncSessionTable());
            BackfillJob.build(env, source, sinks, config, Duration.ofMinutes(10));
            JobExecutionResult result = env.execute("evaluate-alerts");
            Map<String, Object> acc = result.getAllAccumulatorResults();
            List<DeviceAlert> raised = alerts.values();
            return new Report(BackfillCounters.get(acc, BackfillCounters.RECORDS_READ),
                    BackfillCounters.get(acc, BackfillCounters.POINTS_WRITTEN),
                    BackfillCounters.get(acc, BackfillCounters.DEAD_LETTERS), raised,
                    AlertMatching.evaluate(labels, raised, tolerance));
        }
    }
}
