package com.vitasense.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A dead letter keeps the raw record replayable: as text, and as bytes when text would lose some. */
class DeadLetterTest {
    @Test
    void validUtf8TravelsAsTextOnly() throws Exception {
        byte[] raw = "{\"vendor\": \"acmé\"".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetter.of(new RawRecord(raw, "device-data-raw", 1, 7, 1000), DeadLetterReason.MALFORMED_JSON,
                "unexpected end", null, null);

        assertThat(d.raw).isEqualTo("{\"vendor\": \"acmé\"");
        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsBytes(d));
        assertThat(json.has("raw_base64")).isFalse();
        assertThat(json.get("partition").asInt()).isEqualTo(1);
        assertThat(json.get("offset").asLong()).isEqualTo(7);
    }

    @Test
    void bytesThatAreNotUtf8AreKeptExactlyInBase64() throws Exception {
        byte[] raw = {'{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'};
        DeadLetter d = DeadLetter.of(new RawRecord(raw, "device-data-raw", 0, 3, 1000), DeadLetterReason.MALFORMED_JSON,
                "invalid UTF-8", null, null);

        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsBytes(d));
        assertThat(Base64.getDecoder().decode(json.get("raw_base64").asText())).isEqualTo(raw);
        assertThat(json.get("raw").asText()).startsWith("{").endsWith("}");
    }
}
