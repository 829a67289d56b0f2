package com.vitasense.jobs.config;

import java.io.Serializable;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where the job reads and writes Kafka: broker, consumer group, topic names and the delivery
 * guarantee of the output topics.
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        Topics topics) implements Serializable {

    public static final String BOOTSTRAP = "kafka-bootstrap";
    public static final String GROUP_ID = "kafka-group-id";
    public static final String STARTING_OFFSETS = "kafka-starting-offsets";
    public static final String DELIVERY_GUARANTEE = "kafka-delivery-guarantee";
    public static final String TRANSACTIONAL_ID_PREFIX = "kafka-transactional-id-prefix";

    /** Where a job without committed offsets starts reading. */
    public enum StartingOffsets { COMMITTED, EARLIEST, LATEST }

    /** The topic names; defaults are those of docs/design.md. */
    public record Topics(String raw, String processed, String deadLetters, String qualityIssues,
                         String anomalies, String calibrationEvents) implements Serializable {
        public static Topics defaults() {
            return new Topics("device-data-raw", "device-data-processed", "device-data-dlq",
                    "data-quality-issues", "device-anomalies", "calibration-events");
        }

        static Topics from(Settings s) {
            Topics d = defaults();
            return new Topics(
                    s.string("topic-raw", d.raw()),
                    s.string("topic-processed", d.processed()),
                    s.string("topic-dlq", d.deadLetters()),
                    s.string("topic-quality-issues", d.qualityIssues()),
                    s.string("topic-anomalies", d.anomalies()),
                    s.string("topic-calibration-events", d.calibrationEvents()));
        }

        public String[] all() {
            return new String[] {raw, processed, deadLetters, qualityIssues, anomalies, calibrationEvents};
        }
    }

    public static KafkaSettings from(Settings s) {
        String bootstrap = s.string(BOOTSTRAP, "localhost:9092");
        if (!bootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
            throw new InvalidSettingException("invalid --" + BOOTSTRAP + " '" + bootstrap + "': expected host:port[,host:port...]");
        }
        DeliveryGuarantee guarantee = s.choice(DELIVERY_GUARANTEE, DeliveryGuarantee.class, DeliveryGuarantee.AT_LEAST_ONCE);
        return new KafkaSettings(
                bootstrap,
                s.string(GROUP_ID, "vitasense-device-pipeline"),
                s.choice(STARTING_OFFSETS, StartingOffsets.class, StartingOffsets.COMMITTED),
                guarantee,
                s.string(TRANSACTIONAL_ID_PREFIX, "vitasense-device-pipeline"),
                Topics.from(s));
    }

    public static KafkaSettings local(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "vitasense-device-pipeline", StartingOffsets.EARLIEST,
                DeliveryGuarantee.AT_LEAST_ONCE, "vitasense-device-pipeline", Topics.defaults());
    }
}
