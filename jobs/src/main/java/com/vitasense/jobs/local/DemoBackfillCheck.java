package com.vitasense.jobs.local;

import com.vitasense.jobs.BackfillJob;
import com.vitasense.jobs.SchemaMigration;
import com.vitasense.jobs.backfill.BackfillInput;
import com.vitasense.jobs.backfill.BackfillResult;
import com.vitasense.jobs.backfill.InputSize;
import com.vitasense.jobs.config.ExecutionSettings;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The demo's {@code --export-raw FILE} and {@code --verify-backfill}: every envelope the simulator
 * sends is also written to a JSON-lines file; at the end the demo's streaming job is drained, the
 * file is backfilled into a second database, and the two databases' tables are compared row by row.
 */
final class DemoBackfillCheck implements AutoCloseable {
    private static final String DATABASE = "vitasense_backfill";

    private final Path file;
    private final boolean verify;
    private final boolean temporary;
    private JsonLinesEnvelopeWriter writer;

    private DemoBackfillCheck(Path file, boolean verify, boolean temporary) throws IOException {
        this.file = file;
        this.verify = verify;
        this.temporary = temporary;
        this.writer = file == null ? null : new JsonLinesEnvelopeWriter(file);
    }

    /** Exports to {@code export} (or, to verify without exporting, a temporary file); does nothing if neither. */
    static DemoBackfillCheck open(Path export, boolean verify) throws IOException {
        if (export == null && verify) {
            Path dir = LocalResources.createTempDirectory("vitasense-demo-export", "the exported envelopes");
            return new DemoBackfillCheck(dir.resolve("demo.jsonl.gz"), true, true);
        }
        return new DemoBackfillCheck(export, verify, false);
    }

    /** Whether the demo ends by draining its job, so that every reading it holds is written. */
    boolean verifying() {
        return verify;
    }

    /** Exports one envelope, exactly as it was sent. */
    void sent(String key, String json) {
        if (writer == null) return;
        try {
            writer.write(key, json);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the export " + file, e);
        }
    }

    /**
     * Backfills the export into a second database of {@code postgres} and compares its tables with
     * the demo's ({@code streamed}) row by row. Returns the demo's exit code: 0 when the tables are
     * identical, or differ only in the series where the stream saw readings arrive late (which a
     * backfill, reading history in event-time order, by design does not); 1 otherwise.
     */
    int verify(EmbeddedPostgresServer postgres, DataSource streamed, KafkaSettings kafka, PipelineConfig pipeline,
               Consumer<String> say)
            throws Exception {
        finishExport(say);
        postgres.createDatabase(DATABASE);
        String url = postgres.jdbcUrl(DATABASE);
        SchemaMigration.migrate(url, postgres.user(), postgres.password());
        BackfillJob.Config config = new BackfillJob.Config(new BackfillInput.Files(file.toString()), kafka,
                JdbcSettings.local(url, postgres.user(), postgres.password()), pipeline,
                new ExecutionSettings(2, false), false, "demo-check-" + UUID.randomUUID().toString().substring(0, 8),
                Duration.ofSeconds(5), 0);
        say.accept("backfilling the exported envelopes into database " + DATABASE + " ...");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.flinkConfiguration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        BackfillResult result = BackfillJob.run(env, config, InputSize.of(config.input(), kafka), say);
        say.accept(result.summary());
        if (!result.succeeded()) return 1;

        TableSnapshot stream;
        TableSnapshot backfill;
        Set<String> lateSeries = new TreeSet<>();
        Set<String> lateDevices = new TreeSet<>();
        try (Connection s = streamed.getConnection(); Connection b = postgres.dataSource(DATABASE).getConnection()) {
            stream = TableSnapshot.take(s, TableSnapshot.PIPELINE_TABLES);
            backfill = TableSnapshot.take(b, TableSnapshot.PIPELINE_TABLES);
            try (Statement st = s.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT DISTINCT user_id, metric, device_id FROM data_points WHERE 'LATE' = ANY(quality_flags)")) {
                while (rs.next()) {
                    lateSeries.add(rs.getString(1) + "|" + rs.getString(2));
                    lateDevices.add(rs.getString(3));
                }
            }
            // A reference that reached the stream behind its watermark corrects fewer readings there
            // than in the backfill (see README, Calibration): its series differs by design too.
            try (Statement st = s.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT DISTINCT user_id, metric, device_id FROM calibration_events WHERE event_type = 'LATE_REFERENCE'")) {
                while (rs.next()) {
                    lateSeries.add(rs.getString(1) + "|" + rs.getString(2));
                    lateDevices.add(rs.getString(3));
                }
            }
        }
        long rows = stream.counts().values().stream().mapToLong(Integer::longValue).sum();
        if (stream.equals(backfill)) {
            say.accept("backfill check: the backfill reproduces the demo's tables exactly: " + rows + " rows " + stream.counts());
            return 0;
        }
        // A reading that reached the stream behind its watermark is LATE there and checked on its
        // own; a backfill reads history in event-time order and puts it in its series. Rows of such
        // a (user, metric), and of devices with such readings, differ by design; nothing else may.
        List<String> unexplained = new ArrayList<>();
        long explained = 0;
        for (Map<String, List<String>> side : List.of(stream.missingFrom(backfill), backfill.missingFrom(stream))) {
            for (Map.Entry<String, List<String>> e : side.entrySet()) {
                for (String row : e.getValue()) {
                    Map<String, String> c = TableSnapshot.columns(row);
                    boolean late = c.containsKey("metric")
                            ? lateSeries.contains(c.get("user_id") + "|" + c.get("metric"))
                            : lateDevices.contains(c.get("device_id"));
                    if (late) explained++;
                    else unexplained.add(e.getKey() + ": " + row);
                }
            }
        }
        long notInBackfill = stream.missingFrom(backfill).values().stream().mapToLong(List::size).sum();
        say.accept("backfill check: " + (rows - notInBackfill) + " of the demo's " + rows + " rows are identical in the"
                + " backfill (demo " + stream.counts() + ", backfill " + backfill.counts() + ")");
        say.accept("backfill check: " + explained + " rows differ in the " + lateSeries.size() + " series that the stream"
                + " received behind its watermark (LATE readings or references): " + lateSeries);
        say.accept("  (vendors that sync in batches, hours or a day after the readings, reach a stream late;"
                + " a backfill reads the whole history in event-time order, as if nothing had been late)");
        if (unexplained.isEmpty()) {
            say.accept("backfill check: every other row is identical");
            return 0;
        }
        say.accept("backfill check: " + unexplained.size() + " rows differ outside those series:");
        unexplained.stream().limit(20).forEach(d -> say.accept("  " + d));
        return 1;
    }

    private void finishExport(Consumer<String> say) throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
            say.accept("exported envelopes: " + file + " (" + Files.size(file) + " bytes)");
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (temporary) LocalResources.deleteRecursively(file.getParent(), "the exported envelopes");
    }
}
