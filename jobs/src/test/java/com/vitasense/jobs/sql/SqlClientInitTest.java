package com.vitasense.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.config.InvalidSettingException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init file of Flink's interactive SQL client: the catalog as the SQL runner fills it. */
class SqlClientInitTest {
    private static final Map<String, String> ENV = Map.of(
            "VITASENSE_KAFKA_BOOTSTRAP", "kafka:9092",
            "VITASENSE_JDBC_URL", "jdbc:postgresql://postgres:5432/vitasense",
            "VITASENSE_JDBC_PASSWORD", "it's; -- secret");

    private static String written(Path dir, String... args) throws Exception {
        Path file = dir.resolve("init.sql");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--output";
        all[args.length + 1] = file.toString();
        assertThat(SqlClientInit.run(all, ENV, new PrintStream(err, true, StandardCharsets.UTF_8))).as("%s", err).isZero();
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void rendersEveryCatalogStatementFilledInAfterTheSessionSettings(@TempDir Path dir) throws Exception {
        String init = written(dir);
        int catalogStatements = SqlScript.parse("catalog", SqlRunner.bundled(SqlRunner.CATALOG).text()).size();
        // The SQL client splits on lines ending with ';': exactly one per statement.
        List<String> ends = init.lines().filter(l -> l.endsWith(";")).toList();
        assertThat(ends).hasSize(catalogStatements + 4);
        assertThat(init).startsWith("-- Written by com.vitasense.jobs.sql.SqlClientInit")
                .contains("SET 'execution.runtime-mode' = 'streaming';", "SET 'table.local-time-zone' = 'UTC';",
                        "SET 'table.exec.source.idle-timeout' = '30 s';", "'scan.bounded.mode' = 'unbounded'",
                        "'properties.bootstrap.servers' = 'kafka:9092'", "CREATE TABLE kafka.device_data_processed")
                .doesNotContain("${");
        // The password stays one literal, whatever it holds.
        assertThat(init).contains("'password' = 'it''s; -- secret'");
        // The catalog's own comments are gone (the client drops -- lines, and would split on their ';').
        assertThat(init.lines().skip(1)).noneMatch(l -> l.strip().startsWith("--"));
    }

    @Test
    void batchModeReadsTheTopicsUpToTheirEnd(@TempDir Path dir) throws Exception {
        String init = written(dir, "--mode", "batch");
        assertThat(init).contains("SET 'execution.runtime-mode' = 'batch';", "'scan.bounded.mode' = 'latest-offset'")
                .doesNotContain("idle-timeout");
    }

    @Test
    void theFileIsForItsOwnerOnly(@TempDir Path dir) throws Exception {
        written(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("init.sql"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anUnknownParameterOrSettingIsOneLine(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SqlClientInit.render(new SqlRunner.Script("mine.sql", "CREATE TABLE t WITH ('a' = '${nope}');"),
                SqlRunner.Mode.STREAMING, Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("mine.sql:1: unknown parameter ${nope}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(SqlClientInit.run(new String[] {"--output", dir.resolve("x.sql").toString(), "--mood", "batch"}, ENV,
                new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: unknown setting --mood" + System.lineSeparator());
        assertThat(dir.resolve("x.sql")).doesNotExist();
    }
}
