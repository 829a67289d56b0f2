package com.vitasense.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
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
}
