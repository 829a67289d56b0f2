package com.vitasense.jobs.io;

import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Envelopes produced to a Kafka topic keyed by device id, so one device's envelopes stay in order
 * on one partition. Idempotent, acknowledged by all replicas; the first failed send is reported by
 * the next {@link #write} or by {@link #close()}.
 */
public final class KafkaEnvelopeWriter implements EnvelopeWriter {
    private final Producer<String, String> producer;
    private final String bootstrap;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private boolean closed;

    public KafkaEnvelopeWriter(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vitasense-envelope-writer");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    @Override
    public void write(String key, String json) throws IOException {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topic, key, json), (metadata, e) -> {
            if (e != null) failure.compareAndSet(null, e);
        });
    }

    @Override
    public String target() {
        return "kafka " + bootstrap + "/" + topic;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
        Exception e = failure.get();
        if (e != null) throw new IOException("producing to " + topic + " failed: " + e.getMessage(), e);
    }
}
