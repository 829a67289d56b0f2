package com.vitasense.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.apple.AppleExportFiles;
import com.vitasense.jobs.apple.AppleExportGenerator;
import com.vitasense.jobs.apple.AppleHealthImport;
import com.vitasense.jobs.simulate.FleetSimulator;
import com.vitasense.jobs.simulate.Simulate;
import com.vitasense.jobs.testing.SharedServers;
import com.vitasense.jobs.testing.TopicReader;
import com.vitasense.jobs.testing.TopicReader.Message;
import com.vitasense.records.Json;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The envelope-producing commands against a real broker: every envelope arrives, keyed by its device. */
class KafkaEnvelopeWriterIT {

    @Test
    void importAppleProducesEveryEnvelopeKeyedByDevice(@TempDir Path dir) throws Exception {
        String bootstrap = SharedServers.kafka().bootstrapServers();
        SharedServers.kafka().createTopics(2, "apple-import-raw");
        Path export = dir.resolve("export.xml");
        AppleExportGenerator.write(export, 200_000, 5);

        AppleHealthImport.Summary summary;
        try (InputStream in = AppleExportFiles.open(export);
             EnvelopeWriter out = new EnvelopeOutput(null, bootstrap, "apple-import-raw").open()) {
            summary = AppleHealthImport.run(in, "u-9", ZoneId.of("Europe/Berlin"), out);
        }

        List<Message> messages = TopicReader.read(bootstrap, "apple-import-raw", (int) summary.envelopes(),
                Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(messages).hasSize((int) summary.envelopes());
        for (Message m : messages) {
            assertThat(m.key()).isEqualTo(Json.mapper().readTree(m.value()).get("device_id").asText());
        }
        Map<String, Long> byDevice = messages.stream().collect(Collectors.groupingBy(Message::key, Collectors.counting()));
        assertThat(byDevice).isEqualTo(summary.byDevice());
    }

    @Test
    void simulateProducesExactlyTheRequestedCount() throws Exception {
        String bootstrap = SharedServers.kafka().bootstrapServers();
        SharedServers.kafka().createTopics(2, "simulate-raw");
        FleetSimulator fleet = new FleetSimulator(42, 3, Instant.parse("2026-11-26T00:00:00Z"), 0.04);
        Simulate.Summary summary;
        try (EnvelopeWriter out = new KafkaEnvelopeWriter(bootstrap, "simulate-raw")) {
            summary = Simulate.run(fleet, null, 500L, out);
        }
        List<Message> messages = TopicReader.read(bootstrap, "simulate-raw", 500, Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(summary.envelopes()).isEqualTo(500);
        assertThat(messages).hasSize(500).allMatch(m -> m.key() != null && !m.key().isEmpty());
    }
}
