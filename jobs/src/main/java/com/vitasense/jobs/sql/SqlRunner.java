package com.vitasense.jobs.sql;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs a Flink SQL file against the pipeline's topics and tables: {@code ./vitasense sql -f FILE},
 * or {@code flink run -c com.vitasense.jobs.sql.SqlRunner vitasense-job.jar -f FILE} on a cluster.
 *
 * <p>First the catalog ({@code sql/flink/catalog.sql}, bundled in the jar; {@code --catalog}
 * overrides it), then the file. {@code ${name}} parameters in both are filled from the connection
 * settings (the same flags and {@code VITASENSE_*} variables as the streaming job; the password only
 * from {@code VITASENSE_JDBC_PASSWORD} or {@code --jdbc-password-file}). Queries print their result:
 *
 * <ul>
 *   <li>{@code --mode batch} (the default): a snapshot. PostgreSQL tables are read once and topics
 *       up to their current end; the result prints as an aligned table when the query is done.
 *   <li>{@code --mode streaming}: topics are read on as new records arrive, and every change to the
 *       result prints as it happens ({@code +I} insert, {@code -U}/{@code +U} update, {@code -D}
 *       delete) until the query ends, {@code --max-rows} rows have printed, or Ctrl-C.
 * </ul>
 */
public final class SqlRunner {
    /** The bundled catalog, on the class path of the job jar and of the launcher. */
    public static final String BUNDLED = "sql/flink/";
    public static final String CATALOG = BUNDLED + "catalog.sql";

    public static final String FILE = "file";
    public static final String CATALOG_FLAG = "catalog";
    public static final String MODE = "mode";
    public static final String MAX_ROWS = "max-rows";
    public static final String PARALLELISM = "parallelism";

    /** How the queries run; see the class comment. */
    public enum Mode { BATCH, STREAMING }

    private SqlRunner() {}

    /** A SQL file to run: where it came from (for messages) and its text. */
    public record Script(String name, String text) {}

    /**
     * Everything a run needs, parsed and checked before anything starts.
     *
     * @param parameters the values of the {@code ${name}} parameters; includes the password
     * @param secrets values that must never be printed (the password), scrubbed from every message
     */
    public record Options(Script catalog, Script file, Mode mode, Integer parallelism, Long maxRows,
                          Map<String, String> parameters, List<String> secrets) {

        /** The command line's options: {@code args} with {@code env} as the fallback of every flag. */
        public static Options parse(String[] args, Map<String, String> env) {
            return from(Settings.parse(shortFlags(args), env));
        }

        public static Options from(Settings s) {
            String file = s.required(FILE);
            String catalog = s.string(CATALOG_FLAG, null);
            Mode mode = s.choice(MODE, Mode.class, Mode.BATCH);
            Integer parallelism = s.isSet(PARALLELISM) ? s.integer(PARALLELISM, 1, 1, 10_000) : null;
            Long maxRows = s.isSet(MAX_ROWS) ? (long) s.integer(MAX_ROWS, 1, 1, Integer.MAX_VALUE) : null;
            KafkaSettings kafka = kafkaSettings(s);
            JdbcSettings jdbc = JdbcSettings.from(s);
            s.rejectUnknown();

            Map<String, String> p = catalogParameters(kafka, jdbc, mode);
            List<String> secrets = jdbc.password() == null || jdbc.password().isEmpty()
                    ? List.of() : List.of(jdbc.password());
            return new Options(catalog == null ? bundled(CATALOG) : read(catalog), read(file), mode, parallelism,
                    maxRows, Map.copyOf(p), secrets);
        }

        /** Never prints the parameters: they hold the password. */
        @Override
        public String toString() {
            return "Options{file=" + file.name() + ", catalog=" + catalog.name() + ", mode=" + mode
                    + ", parallelism=" + parallelism + ", maxRows=" + maxRows + ", parameters=" + parameters.keySet() + "}";
        }
    }

    /** The Kafka settings of a SQL session; client properties are refused (see below). */
    static KafkaSettings kafkaSettings(Settings s) {
        KafkaSettings kafka = KafkaSettings.from(s);
        if (!kafka.clientProperties().isEmpty()) {
            // The catalog's Kafka tables take their client settings from their DDL only; a
            // secured broker would fail them later with a far less helpful timeout.
            throw new InvalidSettingException("--" + KafkaSettings.PROPERTIES
                    + " is not supported by the SQL runner: the catalog's Kafka tables connect without client properties");
        }
        return kafka;
    }

    /**
     * The values of the catalog's {@code ${name}} parameters (see {@code sql/flink/catalog.sql}),
     * shared by this runner and {@link SqlClientInit} so that both fill the catalog alike. Holds
     * the password.
     */
    static Map<String, String> catalogParameters(KafkaSettings kafka, JdbcSettings jdbc, Mode mode) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap", kafka.bootstrapServers());
        // A batch query must end, so it reads the topics up to the offsets they have when it starts.
        p.put("kafka.bounded-mode", mode == Mode.BATCH ? "latest-offset" : "unbounded");
        KafkaSettings.Topics t = kafka.topics();
        p.put("topic.raw", t.raw());
        p.put("topic.processed", t.processed());
        p.put("topic.dlq", t.deadLetters());
        p.put("topic.quality-issues", t.qualityIssues());
        p.put("topic.anomalies", t.anomalies());
        p.put("topic.calibration-events", t.calibrationEvents());
        p.put("jdbc.url", jdbc.url());
        p.put("jdbc.user", jdbc.user());
        // No password is a valid setup (trust or peer authentication, as in the demo).
        p.put("jdbc.password", jdbc.password() == null ? "" : jdbc.password());
        return p;
    }

    /** The result of one query as printed: column names and every row's cells as text. */
    public record QueryResult(String location, List<String> columns, List<List<String>> rows, boolean truncated) {}

    /** A statement that Flink refused or that failed while running; the message names the statement. */
    public static final class SqlFailure extends RuntimeException {
        SqlFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static void main(String[] args) {
        // Flink's JDBC connector turns PostgreSQL timestamptz values into TIMESTAMP through the
        // JVM's default time zone; UTC makes them read as UTC whatever the machine's zone is.
        TimeZone.setDefault(TimeZone.getTimeZone(ZoneOffset.UTC));
        int code = run(args, System.getenv(), System.out, System.err);
        // Exits only under the launcher: a REST submission runs main in the JobManager.
        Settings.finish(code, code == 2 ? "invalid sql settings (see the error above)" : "a SQL statement failed (see the error above)");
    }

    /** The command line: exit code 0 when every statement succeeded, 1 when one failed, 2 for bad settings. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (InvalidSettingException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: sql -f FILE [--mode batch|streaming] [--max-rows N] [--catalog FILE] "
                    + "[--kafka-bootstrap HOST:PORT] [--jdbc-url URL] [--jdbc-user USER] (password: VITASENSE_JDBC_PASSWORD)");
            return 2;
        }
        try {
            execute(options, out);
            return 0;
        } catch (InvalidSettingException e) {
            err.println("error: " + scrub(e.getMessage(), options.secrets()));
            return 2;
        } catch (SqlFailure e) {
            err.println("error: " + scrub(e.getMessage(), options.secrets()));
            return 1;
        }
    }

    /**
     * Runs the catalog and the file, printing every query result to {@code out}; returns the
     * results in order. Every parameter is checked before the first statement runs.
     *
     * @throws InvalidSettingException for an unknown parameter
     * @throws SqlFailure for a statement Flink refused or that failed
     */
    public static List<QueryResult> execute(Options options, PrintStream out) {
        try {
            // Flink's JDBC connector looks the driver up through DriverManager, which on a cluster
            // does not see drivers that only the user-code class loader knows.
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the PostgreSQL driver is not on the class path", e);
        }
        List<SqlScript.Statement> statements = new ArrayList<>();
        // Running the catalog as the file as well would only fail on tables that already exist.
        if (!options.file().text().equals(options.catalog().text())) {
            statements.addAll(SqlScript.parse(options.catalog().name(), options.catalog().text()));
        }
        statements.addAll(SqlScript.parse(options.file().name(), options.file().text()));
        List<String> filled = new ArrayList<>();
        for (SqlScript.Statement st : statements) filled.add(st.fill(options.parameters()));

        TableEnvironment tables = TableEnvironment.create(environmentSettings(options));
        List<QueryResult> results = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement st = statements.get(i);
            TableResult result;
            try {
                result = tables.executeSql(filled.get(i));
            } catch (RuntimeException e) {
                throw failure(st, e, options);
            }
            if (result.getResultKind() == ResultKind.SUCCESS) continue;
            if (isJobWithoutRows(st, result)) {
                awaitJob(st, result.getJobClient().get(), options);
                continue;
            }
            boolean changelog = options.mode() == Mode.STREAMING && result.getJobClient().isPresent();
            results.add(changelog ? stream(st, result, options, out) : table(st, result, options, out));
        }
        return results;
    }

    private static EnvironmentSettings environmentSettings(Options options) {
        Configuration conf = new Configuration();
        // Times print in UTC, like the pipeline's own timestamps, whatever the machine's zone.
        conf.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        conf.set(PipelineOptions.NAME, "vitasense-sql " + options.file().name());
        if (options.parallelism() != null) conf.set(CoreOptions.DEFAULT_PARALLELISM, options.parallelism());
        if (options.mode() == Mode.STREAMING) {
            // As in the streaming job (--source-idleness): a partition without new records stops
            // holding back the watermark, so event-time results (MATCH_RECOGNIZE) keep coming.
            conf.set(ExecutionConfigOptions.TABLE_EXEC_SOURCE_IDLE_TIMEOUT, Duration.ofSeconds(30));
        }
        EnvironmentSettings.Builder b = EnvironmentSettings.newInstance().withConfiguration(conf);
        return (options.mode() == Mode.BATCH ? b.inBatchMode() : b.inStreamingMode()).build();
    }

    /** INSERT and statement sets run a job whose only output is in its sinks: wait for it. */
    private static boolean isJobWithoutRows(SqlScript.Statement st, TableResult result) {
        if (result.getJobClient().isEmpty()) return false;
        String code = st.summary().toUpperCase(Locale.ROOT);
        return code.startsWith("INSERT") || code.startsWith("EXECUTE") || code.startsWith("BEGIN");
    }

    private static void awaitJob(SqlScript.Statement st, JobClient job, Options options) {
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            throw failure(st, e.getCause(), options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(st, e, options);
        }
    }

    /** Collects every row (or the first {@code --max-rows}) and prints them as an aligned table. */
    private static QueryResult table(SqlScript.Statement st, TableResult result, Options options, PrintStream out) {
        List<String> columns = result.getResolvedSchema().getColumnNames();
        List<List<String>> rows = new ArrayList<>();
        boolean truncated = false;
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                if (options.maxRows() != null && rows.size() >= options.maxRows()) {
                    truncated = true;
                    break;
                }
                rows.add(cells(it.next()));
            }
        } catch (Exception e) {
            throw failure(st, e, options);
        }
        out.print(ResultFormat.table(columns, numeric(result), rows));
        out.println("(" + rows.size() + (rows.size() == 1 ? " row" : " rows") + (truncated ? ", stopped at --max-rows" : "") + ")");
        out.flush();
        return new QueryResult(st.location(), columns, rows, truncated);
    }

    /**
     * Prints every change to the result as it arrives, until the query ends, {@code --max-rows}
     * changes have printed, or the JVM stops (Ctrl-C), which cancels the query's job.
     */
    private static QueryResult stream(SqlScript.Statement st, TableResult result, Options options, PrintStream out) {
        List<String> columns = new ArrayList<>();
        columns.add("op");
        columns.addAll(result.getResolvedSchema().getColumnNames());
        List<List<String>> rows = new ArrayList<>();
        boolean truncated = false;
        out.println(String.join(" | ", columns));
        out.flush();
        CloseableIterator<Row> it = result.collect();
        Thread cancel = new Thread(() -> closeOnShutdown(it), "cancel-sql-query");
        Runtime.getRuntime().addShutdownHook(cancel);
        try (it) {
            while (it.hasNext()) {
                Row row = it.next();
                List<String> cells = new ArrayList<>();
                cells.add(row.getKind().shortString());
                cells.addAll(cells(row));
                rows.add(cells);
                out.println(String.join(" | ", cells));
                out.flush();
                // Stop right here: asking for one more change would wait for it, maybe forever.
                if (options.maxRows() != null && rows.size() >= options.maxRows()) {
                    truncated = true;
                    break;
                }
            }
        } catch (Exception e) {
            throw failure(st, e, options);
        } finally {
            removeHook(cancel);
        }
        return new QueryResult(st.location(), columns, rows, truncated);
    }

    private static void closeOnShutdown(CloseableIterator<Row> it) {
        try {
            it.close();
        } catch (Exception e) {
            // The JVM is going down; say why the query's job may outlive it on a cluster.
            System.err.println("could not cancel the running query: " + e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run, which is what it is for.
        }
    }

    private static List<String> cells(Row row) {
        List<String> cells = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) cells.add(ResultFormat.cell(row.getField(i)));
        return cells;
    }

    private static boolean[] numeric(TableResult result) {
        List<DataType> types = result.getResolvedSchema().getColumnDataTypes();
        boolean[] numeric = new boolean[types.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = types.get(i).getLogicalType().is(LogicalTypeFamily.NUMERIC);
        }
        return numeric;
    }

    private static SqlFailure failure(SqlScript.Statement st, Throwable e, Options options) {
        return new SqlFailure(scrub(st.location() + " (" + st.summary() + "): " + describe(e), options.secrets()), e);
    }

    /** The messages of an exception and its causes, each once: Flink's root cause is often the useful one. */
    static String describe(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 8; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (messages.stream().noneMatch(earlier -> earlier.contains(m))) messages.add(m);
        }
        return String.join("\n  caused by: ", messages);
    }

    /** {@code text} with every secret replaced, so no message or error can show the password. */
    static String scrub(String text, List<String> secrets) {
        String s = text;
        for (String secret : secrets) s = s.replace(secret, "***");
        return s;
    }

    /** {@code -f FILE} is the usual spelling for a SQL file; everything else is {@code --name value}. */
    static String[] shortFlags(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("-f")) out[i] = "--" + FILE;
        }
        return out;
    }

    /** A file, or else a file bundled under {@code sql/flink/} ({@code analysis/x.sql} works from the job jar alone). */
    static Script read(String name) {
        Path path = Path.of(name);
        if (Files.isRegularFile(path)) {
            try {
                return new Script(name, Files.readString(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InvalidSettingException("cannot read " + name + ": " + e.getMessage());
            }
        }
        String resource = name.startsWith(BUNDLED) ? name : BUNDLED + name;
        if (SqlRunner.class.getClassLoader().getResource(resource) != null) return bundled(resource);
        throw new InvalidSettingException("no such file: " + name + " (nor bundled as " + resource + ")");
    }

    static Script bundled(String resource) {
        try (InputStream in = SqlRunner.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new InvalidSettingException("the jar has no bundled " + resource);
            return new Script(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read bundled " + resource + ": " + e.getMessage());
        }
    }
}
