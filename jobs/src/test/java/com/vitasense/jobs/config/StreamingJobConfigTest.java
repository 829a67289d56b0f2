package com.vitasense.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingJobConfigTest {

    private static StreamingJob.Config config(Map<String, String> env, String... args) {
        return StreamingJob.Config.from(Settings.parse(args, env));
    }

    @Test
    void defaultsAreForALocalRun() {
        StreamingJob.Config c = config(Map.of());
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().topics()).isEqualTo(KafkaSettings.Topics.defaults());
        assertThat(c.kafka().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(c.jdbc().url()).isEqualTo("jdbc:postgresql://localhost:5432/vitasense");
        assertThat(c.jdbc().password()).isNull();
        assertThat(c.checkpoints().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pipeline().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.pipeline().sourceIdleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pipeline().duplicateRetention()).isEqualTo(Duration.ofHours(48));
        assertThat(c.parallelism()).isNull();
        assertThat(c.applyMigrations()).isFalse();
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        StreamingJob.Config c = config(
                Map.of("VITASENSE_KAFKA_BOOTSTRAP", "env-broker:9092", "VITASENSE_JDBC_URL", "jdbc:postgresql://env-db/x",
                        "VITASENSE_TOPIC_RAW", "raw-from-env"),
                "--kafka-bootstrap", "flag-broker:9093,flag-broker-2:9093", "--max-out-of-orderness=2m",
                "--kafka-delivery-guarantee", "exactly-once", "--parallelism", "4");
        assertThat(c.kafka().bootstrapServers()).isEqualTo("flag-broker:9093,flag-broker-2:9093");
        assertThat(c.jdbc().url()).isEqualTo("jdbc:postgresql://env-db/x");
        assertThat(c.kafka().topics().raw()).isEqualTo("raw-from-env");
        assertThat(c.kafka().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(c.pipeline().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.parallelism()).isEqualTo(4);
    }

    @Test
    void passwordComesFromEnvironmentOrFileNeverFromAFlag(@TempDir Path dir) throws Exception {
        assertThat(config(Map.of("VITASENSE_JDBC_PASSWORD", "s3cret")).jdbc().password()).isEqualTo("s3cret");

        Path file = Files.writeString(dir.resolve("pg-password"), "from-file\n");
        assertThat(config(Map.of(), "--jdbc-password-file", file.toString()).jdbc().password()).isEqualTo("from-file");

        assertThatThrownBy(() -> config(Map.of(), "--jdbc-password", "s3cret"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("--jdbc-password is not accepted on the command line; set VITASENSE_JDBC_PASSWORD or --jdbc-password-file");
        assertThatThrownBy(() -> config(Map.of(), "--jdbc-password-file", dir.resolve("missing").toString()))
                .hasMessageStartingWith("cannot read --jdbc-password-file");
        assertThat(config(Map.of("VITASENSE_JDBC_PASSWORD", "s3cret")).jdbc().toString())
                .doesNotContain("s3cret").contains("password=***");
    }

    @Test
    void qualityRulesComeFromAPropertiesFile(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.properties"),
                "range.heart_rate=30..220\ninterval.canonical.glucose=5m\njump.glucose=25+6\n");
        StreamingJob.Config c = config(Map.of(), "--quality-rules", rules.toString());
        assertThat(c.pipeline().qualityRules().ranges().rangeFor("heart_rate", null).max()).isEqualTo(220);
        assertThat(c.pipeline().qualityRules().expectedInterval("canonical", "glucose")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.pipeline().qualityRules().jumpLimit("glucose").base()).isEqualTo(25);

        Path bad = Files.writeString(dir.resolve("bad.properties"), "range.heart_rate=high\n");
        assertThatThrownBy(() -> config(Map.of(), "--quality-rules", bad.toString()))
                .hasMessage("invalid --quality-rules " + bad + ": quality rule 'range.heart_rate=high': expected min..max such as 30..220");
    }

    @Test
    void calibrationSettingsShareTheRulesFile(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.properties"),
                "range.heart_rate=30..220\ncalibration.tolerance=10m\ncalibration.schedule@Dexcom\\ G7=24h,36h\n");
        StreamingJob.Config c = config(Map.of(), "--quality-rules", rules.toString());
        assertThat(c.pipeline().qualityRules().ranges().rangeFor("heart_rate", null).max()).isEqualTo(220);
        assertThat(c.pipeline().calibrationRules().tolerance("glucose")).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.pipeline().calibrationRules().schedule("Dexcom G7").due()).isEqualTo(Duration.ofHours(24));
        assertThat(config(Map.of()).pipeline().calibrationRules().tolerance("glucose")).isEqualTo(Duration.ofMinutes(5));

        Path bad = Files.writeString(dir.resolve("bad.properties"), "calibration.max-mard=lots\n");
        assertThatThrownBy(() -> config(Map.of(), "--quality-rules", bad.toString()))
                .hasMessageStartingWith("invalid --quality-rules " + bad + ": calibration rule 'calibration.max-mard=lots'");
    }

    @Test
    void alertRulesComeFromAPropertiesFile(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("alerts.properties"),
                "battery.low=25\nconnectivity.warn@Libre\\ 3=20m\n");
        StreamingJob.Config c = config(Map.of(), "--alert-rules", rules.toString());
        assertThat(c.pipeline().alertRules().number("battery.low")).isEqualTo(25);
        assertThat(c.pipeline().alertRules().staleAfter("Libre 3", false)).isEqualTo(Duration.ofMinutes(20));
        assertThat(config(Map.of()).pipeline().alertRules().number("battery.low")).isEqualTo(20);

        Path bad = Files.writeString(dir.resolve("bad.properties"), "battery.lwo=25\n");
        assertThatThrownBy(() -> config(Map.of(), "--alert-rules", bad.toString()))
                .hasMessageStartingWith("invalid --alert-rules " + bad + ": ").hasMessageContaining("battery.lwo");
    }

    @Test
    void invalidSettingsFailWithOneClearLine() {
        assertThatThrownBy(() -> config(Map.of(), "--checkpoint-interval", "soon"))
                .hasMessage("invalid --checkpoint-interval 'soon': expected a duration such as 30s, 5m, 48h or PT1M");
        assertThatThrownBy(() -> config(Map.of(), "--kafka-bootstrp", "x:1"))
                .hasMessage("unknown setting --kafka-bootstrp");
        assertThatThrownBy(() -> config(Map.of("VITASENSE_JDBC_URL", "postgres://db/x")))
                .hasMessage("invalid --jdbc-url 'postgres://db/x': expected jdbc:postgresql://host:port/database");
        assertThatThrownBy(() -> config(Map.of(), "--kafka-bootstrap", "no-port"))
                .hasMessage("invalid --kafka-bootstrap 'no-port': expected host:port[,host:port...]");
        assertThatThrownBy(() -> config(Map.of(), "--kafka-starting-offsets", "middle"))
                .hasMessage("invalid --kafka-starting-offsets 'middle': expected one of [committed, earliest, latest]");
        assertThatThrownBy(() -> config(Map.of(), "--jdbc-batch-size", "0"))
                .hasMessage("invalid --jdbc-batch-size '0': expected an integer (must be between 1 and 100000)");
        assertThatThrownBy(() -> config(Map.of(), "stray"))
                .hasMessage("unexpected argument 'stray': settings are given as --name value");
        assertThatThrownBy(() -> config(Map.of(), "--parallelism", "2", "--parallelism", "3"))
                .hasMessage("--parallelism is given twice");
        assertThatThrownBy(() -> config(Map.of(), "--state-backend", "forst"))
                .hasMessage("invalid --state-backend 'forst': expected rocksdb or hashmap");
    }

    @Test
    void theHeapStateBackendIsAChoiceWithFullCheckpoints() {
        Configuration conf = config(Map.of("VITASENSE_STATE_BACKEND", "hashmap")).flinkConfiguration();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }

    @Test
    void flinkConfigurationUsesIncrementalRocksDbAndNoKryo() {
        Configuration conf = config(Map.of(), "--checkpoint-interval", "10s", "--checkpoint-dir", "file:///tmp/cp")
                .flinkConfiguration();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/cp");
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }
}
