package com.vitasense.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.StreamingJob;
import com.vitasense.jobs.sql.SqlRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kafka-properties}: Kafka client settings (SASL, SSL, ...) from a file, never from flags. */
class KafkaSettingsTest {
    private static final String SASL = """
            security.protocol=SASL_SSL
            sasl.mechanism=SCRAM-SHA-512
            sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                username="vitasense" password="kafka-s3cret";
            ssl.truststore.location=/opt/vitasense/kafka/truststore.jks
            """;

    private static KafkaSettings kafka(Map<String, String> env, String... args) {
        Settings s = Settings.parse(args, env);
        KafkaSettings k = KafkaSettings.from(s);
        s.rejectUnknown();
        return k;
    }

    @Test
    void noFileMeansNoClientProperties() {
        assertThat(kafka(Map.of()).clientProperties()).isEmpty();
        assertThat(kafka(Map.of()).clientConfig()).isEmpty();
    }

    @Test
    void clientPropertiesComeFromTheFileOfTheFlagOrTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), SASL);
        KafkaSettings fromFlag = kafka(Map.of(), "--kafka-properties", file.toString());
        assertThat(fromFlag.clientProperties()).containsOnlyKeys(
                "security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");
        assertThat(fromFlag.clientProperties().get("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"vitasense\" password=\"kafka-s3cret\";");
        assertThat(fromFlag.clientConfig()).containsEntry("security.protocol", "SASL_SSL");

        KafkaSettings fromEnv = kafka(Map.of("VITASENSE_KAFKA_PROPERTIES", file.toString()));
        assertThat(fromEnv.clientProperties()).isEqualTo(fromFlag.clientProperties());

        // The streaming job takes the flag (no "unknown setting") and keeps the properties.
        StreamingJob.Config job = StreamingJob.Config.from(
                Settings.parse(new String[] {"--kafka-properties", file.toString()}, Map.of()));
        assertThat(job.kafka().clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void aMissingOrUnreadableFileIsRefusedInOneLine(@TempDir Path dir) {
        String missing = dir.resolve("nope.properties").toString();
        assertThatThrownBy(() -> kafka(Map.of(), "--kafka-properties", missing))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("invalid --kafka-properties '" + missing + "': no such readable file");
        assertThatThrownBy(() -> kafka(Map.of(), "--kafka-properties", dir.toString()))
                .hasMessage("invalid --kafka-properties '" + dir + "': no such readable file");
    }

    @Test
    void settingsTheJobOwnsAreRefusedWithTheFlagToUseInstead(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"),
                "security.protocol=SSL\nbootstrap.servers=other:9092\ngroup.id=x\nvalue.serializer=y\n");
        assertThatThrownBy(() -> kafka(Map.of(), "--kafka-properties", file.toString()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("invalid --kafka-properties " + file + ": the job sets bootstrap.servers (use --kafka-bootstrap), "
                        + "group.id (use --kafka-group-id), value.serializer itself")
                .hasMessageNotContaining("\n");
        for (String key : KafkaSettings.OWNED.keySet()) {
            Path one = Files.writeString(dir.resolve(key + ".properties"), key + "=v\n");
            assertThatThrownBy(() -> kafka(Map.of(), "--kafka-properties", one.toString()))
                    .as(key).hasMessageContaining("the job sets " + key);
        }
    }

    @Test
    void theSqlRunnerSaysItCannotUseThem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SSL\n");
        assertThatThrownBy(() -> SqlRunner.Options.parse(
                new String[] {"-f", "analysis/daily_summary.sql", "--kafka-properties", file.toString()}, Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("--kafka-properties is not supported by the SQL runner");
    }

    @Test
    void noSecretValueIsEverPrinted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), SASL);
        KafkaSettings k = kafka(Map.of(), "--kafka-properties", file.toString());
        assertThat(k.toString())
                .doesNotContain("kafka-s3cret", "ScramLoginModule", "SASL_SSL", "truststore.jks")
                .contains("sasl.jaas.config=***", "security.protocol=***", "bootstrapServers=localhost:9092");
    }
}
