package com.vitasense.jobs.sql;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the init file for Flink's own interactive SQL client ({@code sql-client.sh -j
 * vitasense-job.jar -i FILE}, the {@code sql-client} service of docker-compose.yml): the session
 * settings {@link SqlRunner} runs with, then the catalog ({@code sql/flink/catalog.sql}, bundled;
 * {@code --catalog} overrides it) with its {@code ${name}} parameters filled by the runner's own
 * code, from the same flags and {@code VITASENSE_*} variables.
 *
 * <p>{@code java -cp vitasense-job.jar:/opt/flink/lib/* com.vitasense.jobs.sql.SqlClientInit
 * --output FILE [--mode streaming|batch]}. Streaming (the default) reads the topics on as records
 * arrive; batch reads them up to their end when a query starts. The file holds the database
 * password (the JDBC tables need it in their options), so it is written readable by its owner only
 * and belongs on a tmpfs, not a volume.
 *
 * <p>The SQL client splits the file on lines that end with {@code ;} and drops {@code --} comments
 * line by line, so the catalog's comment lines are left out and each statement ends on its own
 * line.
 */
public final class SqlClientInit {
    public static final String OUTPUT = "output";

    private SqlClientInit() {}

    /** A plain program (never a Flink entry point), so it may end the JVM itself. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.err));
    }

    /** Writes the file; 0 when written, 2 (with one line on {@code err}) for a bad setting or parameter. */
    public static int run(String[] args, Map<String, String> env, PrintStream err) {
        try {
            Settings s = Settings.parse(args, env);
            Path output = Path.of(s.required(OUTPUT));
            String catalog = s.string(SqlRunner.CATALOG_FLAG, null);
            SqlRunner.Mode mode = s.choice(SqlRunner.MODE, SqlRunner.Mode.class, SqlRunner.Mode.STREAMING);
            KafkaSettings kafka = SqlRunner.kafkaSettings(s);
            JdbcSettings jdbc = JdbcSettings.from(s);
            s.rejectUnknown();
            String text = render(catalog == null ? SqlRunner.bundled(SqlRunner.CATALOG) : SqlRunner.read(catalog), mode,
                    SqlRunner.catalogParameters(kafka, jdbc, mode));
            write(output, text);
            return 0;
        } catch (InvalidSettingException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The init file: session settings, then every catalog statement filled in.
     *
     * @throws InvalidSettingException for a parameter the catalog uses and {@code parameters} lacks
     */
    public static String render(SqlRunner.Script catalog, SqlRunner.Mode mode, Map<String, String> parameters) {
        List<String> statements = new ArrayList<>();
        statements.add("SET 'execution.runtime-mode' = '" + mode.name().toLowerCase() + "'");
        // As in SqlRunner: every time prints in UTC, like the pipeline's own timestamps.
        statements.add("SET 'table.local-time-zone' = 'UTC'");
        if (mode == SqlRunner.Mode.STREAMING) {
            // As in SqlRunner: a quiet partition stops holding back the watermark (MATCH_RECOGNIZE).
            statements.add("SET 'table.exec.source.idle-timeout' = '30 s'");
        }
        statements.add("SET 'sql-client.execution.result-mode' = 'tableau'");
        for (SqlScript.Statement st : SqlScript.parse(catalog.name(), catalog.text())) {
            statements.add(withoutCommentLines(st.fill(parameters)));
        }
        return "-- Written by " + SqlClientInit.class.getName() + " for sql-client.sh -i; holds the database password.\n"
                + statements.stream().map(st -> st + ";\n").collect(Collectors.joining("\n"));
    }

    private static String withoutCommentLines(String statement) {
        return statement.lines().filter(l -> !l.strip().startsWith("--")).map(String::stripTrailing)
                .collect(Collectors.joining("\n")).strip();
    }

    private static void write(Path output, String text) {
        try {
            if (output.getParent() != null) Files.createDirectories(output.getParent());
            Files.deleteIfExists(output);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(output, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidSettingException("cannot write --" + OUTPUT + " " + output + ": " + e.getMessage());
        }
    }
}
