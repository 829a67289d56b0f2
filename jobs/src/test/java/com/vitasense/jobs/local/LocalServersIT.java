package com.vitasense.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the in-process Kafka broker and PostgreSQL server once and talks to both for real. */
@Timeout(180)
class LocalServersIT {

    private static final Logger LOG = LoggerFactory.getLogger(LocalServersIT.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startServers() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafkaBroker.start();
        long t1 = System.nanoTime();
        postgres = EmbeddedPostgresServer.start();
        long t2 = System.nanoTime();
        LOG.info("Kafka started in {} ms, PostgreSQL in {} ms", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }

    @AfterAll
    static void stopServers() {
        // Close both even if the first fails; report the first failure.
        try {
            if (postgres != null) {
                postgres.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void transactionalProducerAndReadCommittedConsumerRoundTrip() {
        String topic = "local-servers-it-" + UUID.randomUUID();
        kafka.createTopics(1, topic);
        kafka.createTopics(1, topic); // idempotent

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "device-1", "aborted"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "device-1", "committed"));
            producer.commitTransaction();
        }

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        // The aborted record precedes the committed one in the log; read_committed must skip it.
        assertThat(values).containsExactly("committed");
    }

    @Test
    void postgresAnswersQueriesAndKeepsRows() throws SQLException {
        try (Connection c = postgres.dataSource().getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SHOW listen_addresses")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("127.0.0.1");
            }
        }

        postgres.createDatabase("vitasense_it");
        postgres.createDatabase("vitasense_it"); // idempotent
        try (Connection c = DriverManager.getConnection(
                postgres.jdbcUrl("vitasense_it"), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE reading (device_id text NOT NULL, bpm integer NOT NULL)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO reading VALUES (?, ?)")) {
                insert.setString(1, "device-1");
                insert.setInt(2, 72);
                insert.executeUpdate();
            }
            try (ResultSet rs = s.executeQuery("SELECT device_id, bpm FROM reading")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("device-1");
                assertThat(rs.getInt(2)).isEqualTo(72);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void furtherServersStartBesideTheSharedOnesAndDeleteTheirDirectories() throws SQLException {
        Path kafkaDir;
        try (EmbeddedKafkaBroker other = EmbeddedKafkaBroker.start()) {
            assertThat(other.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
            kafkaDir = other.directory();
            assertThat(kafkaDir).isDirectory();
        }
        assertThat(kafkaDir).doesNotExist();

        Path pgDir;
        try (EmbeddedPostgresServer other = EmbeddedPostgresServer.builder().durable(true).start()) {
            assertThat(other.port()).isNotEqualTo(postgres.port());
            pgDir = other.directory();
            assertThat(pgDir).isDirectory();
            try (Connection c = other.dataSource().getConnection();
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW fsync")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
        assertThat(pgDir).doesNotExist();
    }

    private static Properties producerConfig() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-servers-it-" + UUID.randomUUID());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // What Flink's exactly-once KafkaSink asks for by default; the broker must allow it.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString((int) Duration.ofHours(1).toMillis()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    private static Properties consumerConfig() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "local-servers-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }
}
