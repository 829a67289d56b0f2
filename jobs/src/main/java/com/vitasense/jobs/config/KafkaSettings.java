package com.vitasense.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where the job reads and writes Kafka: broker, consumer group, topic names, the delivery
 * guarantee of the output topics, and further Kafka client settings (security above all).
 *
 * @param clientProperties Kafka client settings from {@code --kafka-properties} (SASL, SSL,
 *     timeouts, ...), given to the source and to every sink; may hold secrets such as
 *     {@code sasl.jaas.config}, so {@link #toString()} never shows their values
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        Topics topics,
        Map<String, String> clientProperties) implements Serializable {

    public static final String BOOTSTRAP = "kafka-bootstrap";
    public static final String GROUP_ID = "kafka-group-id";
    public static final String STARTING_OFFSETS = "kafka-starting-offsets";
    public static final String DELIVERY_GUARANTEE = "kafka-delivery-guarantee";
    public static final String TRANSACTIONAL_ID_PREFIX = "kafka-transactional-id-prefix";
    public static final String PROPERTIES = "kafka-properties";

    /**
     * Client settings the job decides itself, each with the flag that sets it ("" where none does).
     * A properties file that set them would silently fight the job's own choice (a second group id,
     * another serializer, offsets reset behind the job's back), so the file is refused instead.
     */
    static final Map<String, String> OWNED = ownedKeys();

    private static Map<String, String> ownedKeys() {
        Map<String, String> owned = new LinkedHashMap<>();
        owned.put("bootstrap.servers", "--" + BOOTSTRAP);
        owned.put("group.id", "--" + GROUP_ID);
        owned.put("auto.offset.reset", "--" + STARTING_OFFSETS);
        owned.put("transactional.id", "--" + TRANSACTIONAL_ID_PREFIX);
        owned.put("enable.auto.commit", "");
        owned.put("commit.offsets.on.checkpoint", "");
        owned.put("partition.discovery.interval.ms", "");
        owned.put("key.serializer", "");
        owned.put("value.serializer", "");
        owned.put("key.deserializer", "");
        owned.put("value.deserializer", "");
        return Map.copyOf(owned);
    }

    public KafkaSettings {
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    }

    /** Settings without further client properties (a plaintext broker, as in tests and the demo). */
    public KafkaSettings(String bootstrapServers, String groupId, StartingOffsets startingOffsets,
                         DeliveryGuarantee deliveryGuarantee, String transactionalIdPrefix, Topics topics) {
        this(bootstrapServers, groupId, startingOffsets, deliveryGuarantee, transactionalIdPrefix, topics, Map.of());
    }

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
                Topics.from(s),
                clientProperties(s.string(PROPERTIES, null)));
    }

    /**
     * The Kafka client settings of a Java properties file; none when {@code file} is null. A file
     * that cannot be read, or that sets what the job owns ({@link #OWNED}), is an invalid setting.
     */
    static Map<String, String> clientProperties(String file) {
        if (file == null) return Map.of();
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidSettingException("invalid --" + PROPERTIES + " '" + file + "': no such readable file");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed unicode escape, which Properties reports that way.
            throw new InvalidSettingException("cannot read --" + PROPERTIES + " " + file + ": " + e.getMessage());
        }
        List<String> owned = p.stringPropertyNames().stream().filter(OWNED::containsKey).sorted()
                .map(k -> OWNED.get(k).isEmpty() ? k : k + " (use " + OWNED.get(k) + ")")
                .collect(Collectors.toList());
        if (!owned.isEmpty()) {
            throw new InvalidSettingException("invalid --" + PROPERTIES + " " + file + ": the job sets "
                    + String.join(", ", owned) + " itself");
        }
        Map<String, String> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) out.put(key, p.getProperty(key));
        return out;
    }

    /** The client properties as Kafka's builders take them; a fresh copy each time. */
    public Properties clientConfig() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        return p;
    }

    /** Never prints a client property's value: {@code sasl.jaas.config} and the like hold secrets. */
    @Override
    public String toString() {
        return "KafkaSettings{bootstrapServers=" + bootstrapServers + ", groupId=" + groupId
                + ", startingOffsets=" + startingOffsets + ", deliveryGuarantee=" + deliveryGuarantee
                + ", transactionalIdPrefix=" + transactionalIdPrefix + ", topics=" + topics
                + ", clientProperties=" + new TreeMap<>(clientProperties).keySet().stream()
                        .map(k -> k + "=***").collect(Collectors.joining(", ", "{", "}")) + "}";
    }

    public static KafkaSettings local(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "vitasense-device-pipeline", StartingOffsets.EARLIEST,
                DeliveryGuarantee.AT_LEAST_ONCE, "vitasense-device-pipeline", Topics.defaults());
    }
}
