package com.vitasense.jobs.io;

import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.records.Json;
import com.vitasense.records.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job's Kafka source and JSON sinks, built from {@link KafkaSettings}. Each one gets the
 * settings' client properties ({@code --kafka-properties}: SASL, SSL, timeouts) first, then the
 * job's own settings, which the properties may not override (KafkaSettings refuses those keys).
 * The same file serves consumer and producers alike; a key only one of them knows is ignored by
 * the other, with a warning in Kafka's log.
 */
public final class KafkaConnectors {
    private KafkaConnectors() {}

    /** Extracts the message key of an output record. */
    @FunctionalInterface
    public interface KeyExtractor<T> extends java.io.Serializable {
        String key(T value);
    }

    /**
     * A record as JSON through the project's one mapping. A named class, not a lambda: Flink cannot
     * infer the type parameters of a lambda implementing a generic interface.
     */
    static final class JsonValue<T> implements SerializationSchema<T> {
        @Override
        public byte[] serialize(T element) {
            return Json.toBytes(element);
        }
    }

    /** The message key, UTF-8 encoded. */
    static final class Utf8Key<T> implements SerializationSchema<T> {
        private final KeyExtractor<T> key;

        Utf8Key(KeyExtractor<T> key) {
            this.key = key;
        }

        @Override
        public byte[] serialize(T element) {
            return key.key(element).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Leaves a record's Kafka timestamp to the producer (the send time) instead of the element's
     * event time. Brokers refuse records timestamped further ahead than
     * {@code message.timestamp.after.max.ms} (one hour by default since Kafka 4.0), so a reading
     * from a device whose clock runs ahead, or a Fitbit day that ends later today, would fail the
     * sink and restart the job over and over. The reading's own time is in the JSON.
     */
    static final class SendTimeTimestamps<T> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;

        private final KafkaRecordSerializationSchema<T> serializer;

        SendTimeTimestamps(KafkaRecordSerializationSchema<T> serializer) {
            this.serializer = serializer;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
            serializer.open(context, sinkContext);
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            return serializer.serialize(element, context, null);
        }
    }

    /** The unbounded source of raw envelopes. */
    public static KafkaSource<RawRecord> rawSource(KafkaSettings kafka) {
        OffsetsInitializer start = switch (kafka.startingOffsets()) {
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
        return KafkaSource.<RawRecord>builder()
                .setProperties(kafka.clientConfig())
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.topics().raw())
                .setGroupId(kafka.groupId())
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                // Offsets are committed on checkpoints so a restarted job (and lag monitoring) sees progress.
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    /**
     * The raw envelopes produced to the raw topic in {@code [start, end)} by Kafka record time, as
     * a bounded source: it starts at each partition's first record at or after {@code start} and
     * stops before its first record at or after {@code end} (at the partition's end at job start
     * when there is none). It commits no offsets: a backfill must not move the streaming job's or
     * anyone's position.
     */
    public static KafkaSource<RawRecord> boundedRawSource(KafkaSettings kafka, Instant start, Instant end, String groupId) {
        return KafkaSource.<RawRecord>builder()
                .setProperties(kafka.clientConfig())
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.topics().raw())
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.timestamp(start.toEpochMilli()))
                .setBounded(OffsetsInitializer.timestamp(end.toEpochMilli()))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperty("enable.auto.commit", "false")
                .build();
    }

    /**
     * A sink writing each record as JSON to {@code topic}, keyed by {@code key} (null key when
     * {@code key} is null, as on the dead-letter topic), timestamped when sent
     * ({@link SendTimeTimestamps}).
     */
    public static <T> KafkaSink<T> jsonSink(KafkaSettings kafka, String topic, KeyExtractor<T> key) {
        KafkaRecordSerializationSchema<T> serializer = key == null
                ? KafkaRecordSerializationSchema.<T>builder().setTopic(topic)
                        .setValueSerializationSchema(new JsonValue<T>()).build()
                : KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(new Utf8Key<>(key))
                        .setValueSerializationSchema(new JsonValue<T>())
                        .build();
        var builder = KafkaSink.<T>builder()
                .setKafkaProducerConfig(kafka.clientConfig())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new SendTimeTimestamps<>(serializer))
                .setDeliveryGuarantee(kafka.deliveryGuarantee());
        if (kafka.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            // One prefix per topic: two sinks sharing a prefix would fence each other's transactions.
            builder.setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + topic);
        }
        return builder.build();
    }
}
