package com.vitasense.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesReaderTest {

    /** Every line as "position:text". */
    private static List<String> read(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonLinesReader reader = new JsonLinesReader(in)) {
            for (byte[] line = reader.next(); line != null; line = reader.next()) {
                out.add(reader.position() + ":" + new String(line, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<String> read(String content) throws IOException {
        return read(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void positionsAreLineNumbersAndBlankLinesAreSkipped() throws IOException {
        assertThat(read("{\"a\":1}\n\n  \n{\"b\":2}\r\n{\"c\":\"ü\"}"))
                .containsExactly("1:{\"a\":1}", "4:{\"b\":2}", "5:{\"c\":\"ü\"}");
        assertThat(read("\uFEFF{\"a\":1}\n")).containsExactly("1:{\"a\":1}");
        assertThat(read("")).isEmpty();
        assertThat(read("\n\n")).isEmpty();
    }

    @Test
    void linesSpanningBufferRefillsStayWhole() throws IOException {
        StringBuilder content = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            String line = "x".repeat(i * 3001) + i;
            content.append(line).append(i % 2 == 0 ? "\r\n" : "\n");
            expected.add(i + ":" + line);
        }
        // A stream that hands out a few bytes at a time, as network file systems do.
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 777));
            }
        };
        assertThat(read(trickle)).containsExactlyElementsOf(expected);
    }

    @Test
    void anOverlongLineIsCutSoItBecomesADeadLetterNotAnOutOfMemoryError() throws IOException {
        byte[] huge = new byte[JsonLinesReader.MAX_LINE_BYTES + 10];
        Arrays.fill(huge, (byte) 'y');
        byte[] tail = "\n{\"ok\":1}\n\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = Arrays.copyOf(huge, huge.length + tail.length);
        System.arraycopy(tail, 0, content, huge.length, tail.length);
        try (JsonLinesReader reader = new JsonLinesReader(new ByteArrayInputStream(content))) {
            assertThat(reader.next()).hasSize(JsonLinesReader.TRUNCATED_LINE_BYTES);
            assertThat(reader.position()).isEqualTo(1);
            assertThat(new String(reader.next(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":1}");
            assertThat(reader.position()).isEqualTo(2);
            assertThat(reader.next()).isNull();
        }
    }
}
