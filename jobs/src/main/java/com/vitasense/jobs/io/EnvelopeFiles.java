package com.vitasense.jobs.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writing JSON-lines files of raw envelopes, the format {@link EnvelopeFileFormat#jsonLines()} reads. */
public final class EnvelopeFiles {
    private EnvelopeFiles() {}

    /**
     * A UTF-8 writer of a new (or truncated) file, gzip-compressed when the name ends with
     * {@code .gz}. Write one envelope per line; the caller closes it.
     */
    public static BufferedWriter newWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        OutputStream out = Files.newOutputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) out = new GZIPOutputStream(out, 64 * 1024);
        } catch (IOException e) {
            out.close();
            throw e;
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 256 * 1024);
    }
}
