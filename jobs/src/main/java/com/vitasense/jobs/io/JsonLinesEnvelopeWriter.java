package com.vitasense.jobs.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Envelopes as JSON lines in a file, gzip-compressed when the name ends in {@code .gz}. */
public final class JsonLinesEnvelopeWriter implements EnvelopeWriter {
    private final Path file;
    private final BufferedWriter out;

    public JsonLinesEnvelopeWriter(Path file) throws IOException {
        this.file = file;
        OutputStream stream = Files.newOutputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) stream = new GZIPOutputStream(stream, 1 << 16);
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void write(String key, String json) throws IOException {
        // A line break inside a record would split it in two for every JSON-lines reader.
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IOException("envelope of " + key + " contains a line break; not valid as one JSON line");
        }
        out.write(json);
        out.write('\n');
    }

    @Override
    public String target() {
        return file.toString();
    }

    @Override
    public void close() throws IOException {
        out.close(); // idempotent
    }
}
