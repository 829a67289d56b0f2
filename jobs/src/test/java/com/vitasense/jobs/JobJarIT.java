package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar that {@code flink run} takes: connectors, CEP, Jackson, Flyway, the PostgreSQL
 * driver, the SQL runner and its SQL files inside; Flink's own runtime (with the Table API, the
 * planner and the JSON format, all in every distribution's lib/) and the local demo runtime
 * outside; service files merged; no signature files (a stray signature makes the JVM reject the
 * whole jar).
 */
class JobJarIT {
    private static final Path JAR = Path.of("target", "vitasense-job.jar");
    private static List<String> entries;

    @BeforeAll
    static void readJar() throws IOException {
        assertThat(JAR).as("run after 'mvn package'").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void bundlesConnectorsAndDrivers() {
        assertThat(entries).contains(
                "com/vitasense/jobs/StreamingJob.class",
                "com/vitasense/jobs/BackfillJob.class",
                "org/apache/flink/connector/file/src/FileSource.class",
                "com/vitasense/vendors/RawRecordParser.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/flink/connector/jdbc/core/datastream/sink/JdbcSink.class",
                "org/apache/flink/cep/CEP.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class",
                "org/postgresql/Driver.class",
                "org/flywaydb/core/Flyway.class");
    }

    @Test
    void carriesEverySchemaMigration() throws IOException {
        List<String> migrations;
        try (Stream<Path> files = Files.list(Path.of("..", "sql", "postgres"))) {
            migrations = files.map(f -> "db/migration/" + f.getFileName()).filter(n -> n.endsWith(".sql")).toList();
        }
        assertThat(migrations).isNotEmpty();
        assertThat(entries).containsAll(migrations);
    }

    @Test
    void bundlesTheSqlRunnerWithItsCatalogAndQueries() {
        assertThat(entries).contains(
                "com/vitasense/jobs/sql/SqlRunner.class",
                "sql/flink/catalog.sql",
                "sql/flink/analysis/cgm_time_in_range.sql",
                "sql/flink/analysis/glucose_fast_fall.sql");
    }

    @Test
    void leavesFlinkRuntimeAndLocalRuntimeOut() {
        assertThat(entries).doesNotContain(
                "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                "org/apache/flink/runtime/minicluster/MiniCluster.class",
                "org/apache/flink/state/rocksdb/EmbeddedRocksDBStateBackend.class",
                "kafka/server/KafkaRaftServer.class",
                "com/vitasense/jobs/local/Demo.class",
                "com/vitasense/jobs/bench/BackfillBenchmark.class",
                "org/apache/flink/table/api/TableEnvironment.class",
                "org/apache/flink/table/api/bridge/java/StreamTableEnvironment.class",
                "org/apache/flink/table/planner/loader/DelegatePlannerFactory.class",
                "org/apache/flink/table/runtime/operators/TableStreamOperator.class",
                "org/apache/flink/formats/json/JsonFormatFactory.class",
                "net/jpountz/lz4/LZ4Factory.class");
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/shaded/guava"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/logging/log4j/") || e.startsWith("org/slf4j/"));
    }

    @Test
    void hasNoSignatureFiles() {
        assertThat(entries).noneMatch(e -> e.startsWith("META-INF/") && e.matches(".*\\.(SF|DSA|RSA|EC)$"));
    }

    @Test
    void mergesServiceFiles() throws IOException {
        String factories = service("org.apache.flink.table.factories.Factory");
        assertThat(factories).contains("KafkaDynamicTableFactory", "JdbcDynamicTableFactory");
        assertThat(service("org.apache.flink.connector.jdbc.core.database.JdbcFactory")).contains("PostgresFactory");
        assertThat(service("java.sql.Driver")).contains("org.postgresql.Driver");
    }

    @Test
    void namesTheStreamingJobAsMainClass() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(StreamingJob.class.getName());
        }
    }

    private static String service(String name) throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            ZipEntry entry = jar.getEntry("META-INF/services/" + name);
            assertThat(entry).as(name).isNotNull();
            return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
