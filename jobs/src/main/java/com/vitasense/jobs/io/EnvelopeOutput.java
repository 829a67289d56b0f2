package com.vitasense.jobs.io;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The output flags shared by the envelope-producing commands: {@code --out FILE.jsonl[.gz]} or
 * {@code --kafka-bootstrap host:port [--topic device-data-raw]}, exactly one of them.
 *
 * @param file the JSON-lines file, or null for Kafka
 * @param bootstrap the Kafka bootstrap servers, or null for a file
 * @param topic the topic for Kafka
 */
public record EnvelopeOutput(Path file, String bootstrap, String topic) {
    public static final String OUT = "out";
    public static final String TOPIC = "topic";

    public static EnvelopeOutput from(Settings s) {
        String out = s.string(OUT, null);
        String topic = s.string(TOPIC, KafkaSettings.Topics.defaults().raw());
        if (out != null && s.isFlag(KafkaSettings.BOOTSTRAP)) {
            throw new InvalidSettingException("give either --out or --kafka-bootstrap, not both");
        }
        if (out != null) {
            Path file = Path.of(out);
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new InvalidSettingException("invalid --out '" + out + "': directory " + dir + " does not exist");
            }
            return new EnvelopeOutput(file, null, null);
        }
        if (!s.isSet(KafkaSettings.BOOTSTRAP)) {
            throw new InvalidSettingException("missing output: give --out FILE.jsonl or --kafka-bootstrap host:port");
        }
        String bootstrap = s.required(KafkaSettings.BOOTSTRAP);
        if (!bootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
            throw new InvalidSettingException("invalid --" + KafkaSettings.BOOTSTRAP + " '" + bootstrap
                    + "': expected host:port[,host:port...]");
        }
        return new EnvelopeOutput(null, bootstrap, topic);
    }

    public EnvelopeWriter open() throws IOException {
        return file != null ? new JsonLinesEnvelopeWriter(file) : new KafkaEnvelopeWriter(bootstrap, topic);
    }
}
