package com.vitasense.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.config.InvalidSettingException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideLiteralsIdentifiersAndComments() {
        List<SqlScript.Statement> s = SqlScript.parse("f.sql", """
                -- header; not a statement
                CREATE TABLE t (`a;b` STRING, c STRING COMMENT 'it''s; fine') WITH ('k' = 'v;w');
                /* a block; comment */
                SELECT "x;y", 'a -- b', c FROM t -- trailing; comment
                ;
                ;;
                """);
        assertThat(s).extracting(SqlScript.Statement::template).containsExactly(
                "-- header; not a statement\n"
                        + "CREATE TABLE t (`a;b` STRING, c STRING COMMENT 'it''s; fine') WITH ('k' = 'v;w')",
                "/* a block; comment */\nSELECT \"x;y\", 'a -- b', c FROM t -- trailing; comment");
    }

    @Test
    void knowsWhereEachStatementStartsAndWhereItsCodeStarts() {
        List<SqlScript.Statement> s = SqlScript.parse("f.sql", "\n-- header\n-- more\nSELECT 1;\n\nSELECT\n  2;\nSELECT 3");
        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(2, 6, 8);
        assertThat(s).extracting(SqlScript.Statement::location).containsExactly("f.sql:4", "f.sql:6", "f.sql:8");
        assertThat(s.get(0).summary()).isEqualTo("SELECT 1");
    }

    @Test
    void keepsHintsAndDropsStatementsThatAreOnlyComments() {
        List<SqlScript.Statement> s = SqlScript.parse("f.sql", "-- nothing\n/* else */;\nSELECT /*+ OPTIONS('a'='b') */ 1;");
        assertThat(s).extracting(SqlScript.Statement::template)
                .containsExactly("SELECT /*+ OPTIONS('a'='b') */ 1");
    }

    @Test
    void refusesUnclosedLiteralsAndComments() {
        assertThatThrownBy(() -> SqlScript.parse("f.sql", "SELECT 1;\nSELECT 'oops;"))
                .isInstanceOf(InvalidSettingException.class).hasMessage("f.sql:2: ' is never closed");
        assertThatThrownBy(() -> SqlScript.parse("f.sql", "SELECT 1 /* oops"))
                .isInstanceOf(InvalidSettingException.class).hasMessage("f.sql:1: /* is never closed");
    }

    @Test
    void fillsParametersInsideLiteralsEscapingQuotes() {
        SqlScript.Statement s = SqlScript.parse("f.sql", "CREATE TABLE t (a INT) WITH ('url' = '${jdbc.url}',\n"
                + "  'password' = '${jdbc.password}') -- not here: ${jdbc.password}").get(0);
        String filled = s.fill(Map.of("jdbc.url", "jdbc:postgresql://db/x", "jdbc.password", "it's;secret"));
        assertThat(filled).isEqualTo("CREATE TABLE t (a INT) WITH ('url' = 'jdbc:postgresql://db/x',\n"
                + "  'password' = 'it''s;secret') -- not here: ${jdbc.password}");
        // The statement itself keeps the placeholder: messages quote it, never the value.
        assertThat(s.template()).doesNotContain("secret");
    }

    @Test
    void refusesUnknownMisplacedAndMalformedParameters() {
        Map<String, String> known = Map.of("jdbc.url", "u", "kafka.bootstrap", "b");
        assertThatThrownBy(() -> SqlScript.parse("f.sql", "SELECT 1;\nSELECT\n '${jdbc.ulr}'").get(1).fill(known))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("f.sql:3: unknown parameter ${jdbc.ulr}; known: jdbc.url, kafka.bootstrap");
        assertThatThrownBy(() -> SqlScript.parse("f.sql", "SELECT ${jdbc.url}").get(0).fill(known))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("f.sql:1: parameters belong inside a string literal");
        assertThatThrownBy(() -> SqlScript.parse("f.sql", "SELECT '${Jdbc Url}'").get(0).fill(known))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("f.sql:1: malformed parameter ${Jdbc Url}");
    }

    @Test
    void formatsCellsAndAlignsTables() {
        assertThat(ResultFormat.cell(null)).isEqualTo("NULL");
        assertThat(ResultFormat.cell(95.0)).isEqualTo("95");
        assertThat(ResultFormat.cell(0.0001)).isEqualTo("0.0001");
        assertThat(ResultFormat.cell(new java.math.BigDecimal("90.50"))).isEqualTo("90.5");
        assertThat(ResultFormat.cell(java.time.LocalDateTime.parse("2026-11-20T08:00"))).isEqualTo("2026-11-20 08:00:00");
        assertThat(ResultFormat.cell(java.time.Instant.parse("2026-11-20T08:00:00.250Z"))).isEqualTo("2026-11-20 08:00:00.25");
        assertThat(ResultFormat.cell(new String[] {"LATE", "OUTLIER"})).isEqualTo("[LATE, OUTLIER]");
        assertThat(ResultFormat.table(List.of("device", "n"), new boolean[] {false, true},
                List.of(List.of("cgm-1", "7"), List.of("watch-12", "120")))).isEqualTo("""
                 device   | n
                ----------+-----
                 cgm-1    |   7
                 watch-12 | 120
                """);
    }

    @Test
    void neverShowsASecretInAMessageOrTheOptions() {
        assertThat(SqlRunner.scrub("connect failed for 'hunter2' at db", List.of("hunter2"))).isEqualTo("connect failed for '***' at db");
        SqlRunner.Options options = SqlRunner.Options.parse(new String[] {"-f", "catalog.sql"},
                Map.of("VITASENSE_JDBC_PASSWORD", "hunter2"));
        assertThat(options.parameters()).containsEntry("jdbc.password", "hunter2");
        assertThat(options.toString()).doesNotContain("hunter2").contains("jdbc.password");
    }

    @Test
    void readsBundledFilesAndRefusesAPasswordFlag() {
        SqlRunner.Options options = SqlRunner.Options.parse(new String[] {"-f", "catalog.sql", "--mode", "streaming"}, Map.of());
        assertThat(options.file().name()).isEqualTo("sql/flink/catalog.sql");
        assertThat(options.catalog().name()).isEqualTo("sql/flink/catalog.sql");
        assertThat(options.parameters()).containsEntry("kafka.bounded-mode", "unbounded").containsEntry("jdbc.password", "");
        assertThatThrownBy(() -> SqlRunner.Options.parse(new String[] {"-f", "x.sql", "--jdbc-password", "p"}, Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--jdbc-password is not accepted");
        assertThatThrownBy(() -> SqlRunner.Options.parse(new String[] {"-f", "no/such.sql"}, Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("no such file: no/such.sql");
    }
}
