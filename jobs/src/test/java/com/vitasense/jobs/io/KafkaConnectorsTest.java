package com.vitasense.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.records.DataPoint;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaConnectorsTest {
    /** A reading from a device whose clock runs a year ahead must not carry that time to the broker. */
    @Test
    void recordsAreTimestampedWhenSentNotWithTheirEventTime() throws Exception {
        KafkaRecordSerializationSchema<DataPoint> json = KafkaRecordSerializationSchema.<DataPoint>builder()
                .setTopic("device-data-processed")
                .setKeySerializationSchema(new KafkaConnectors.Utf8Key<DataPoint>(p -> p.deviceId))
                .setValueSerializationSchema(new KafkaConnectors.JsonValue<DataPoint>())
                .build();
        var serializer = new KafkaConnectors.SendTimeTimestamps<>(json);
        DataPoint p = new DataPoint();
        p.deviceId = "watch-1";
        p.metric = "heart_rate";
        p.startTime = Instant.parse("2099-01-01T00:00:00Z");

        ProducerRecord<byte[], byte[]> record = serializer.serialize(p, null, p.startTime.toEpochMilli());
        assertThat(record.timestamp()).isNull();
        assertThat(record.topic()).isEqualTo("device-data-processed");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("watch-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"start_time\":\"2099-01-01T00:00:00Z\"");
    }

    /** --kafka-properties reaches the source, the bounded backfill source and every sink. */
    @Test
    void clientPropertiesReachTheSourcesAndSinks() throws Exception {
        KafkaSettings kafka = new KafkaSettings("broker:9093", "group", KafkaSettings.StartingOffsets.COMMITTED,
                DeliveryGuarantee.EXACTLY_ONCE, "prefix", KafkaSettings.Topics.defaults(),
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
        for (Object connector : new Object[] {
                KafkaConnectors.rawSource(kafka),
                KafkaConnectors.boundedRawSource(kafka, Instant.EPOCH, Instant.parse("2026-01-01T00:00:00Z"), "g"),
                KafkaConnectors.jsonSink(kafka, "device-data-processed", (DataPoint p) -> p.deviceId),
                KafkaConnectors.jsonSink(kafka, "device-data-dlq", null)}) {
            Properties p = properties(connector);
            assertThat(p).as(connector.getClass().getSimpleName())
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "PLAIN")
                    .containsEntry("bootstrap.servers", "broker:9093");
        }
    }

    /**
     * The client properties a built connector holds. The connectors expose them to their own
     * package only, so the test reads the field: the alternative, a real secured broker, would
     * test Kafka rather than our wiring.
     */
    private static Properties properties(Object connector) throws ReflectiveOperationException {
        Field f = connector.getClass().getDeclaredField(connector instanceof KafkaSink ? "kafkaProducerConfig" : "props");
        f.setAccessible(true);
        return (Properties) f.get(connector);
    }
}
