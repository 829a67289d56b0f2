package com.vitasense.jobs.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/**
 * Reads raw envelopes one at a time from the content of one file: JSON lines
 * ({@link JsonLinesReader}) or a vendor's export format. {@link EnvelopeFileFormat} turns any
 * reader into a Flink file source, so a new file format needs only this interface.
 *
 * <p>A reader does not interpret envelopes: a line that is not JSON is returned like any other and
 * becomes a dead letter in the topology, pointing to its {@link #position()}. A file whose content
 * is damaged where the reader got to (not well-formed, truncated) makes {@link #next()} throw a
 * {@link DamagedInputException}: the envelopes before it stand, and the rest of the file becomes
 * one dead letter.
 */
public interface EnvelopeReader extends Closeable {

    /**
     * The next envelope's bytes (UTF-8 JSON), or null at the end of the content.
     *
     * @throws DamagedInputException when the content cannot be read on from here
     */
    byte[] next() throws IOException;

    /**
     * Where the envelope last returned by {@link #next()} is in the file, in terms a person can
     * look up: the line number for JSON lines, the element number for an XML export.
     */
    long position();

    /**
     * What the reader read and left out beyond the envelopes themselves (e.g. an export's skipped
     * element types, with counts), logged when the file is done; null when there is nothing to say.
     */
    default String summary() {
        return null;
    }

    /**
     * Opens a reader over a file's decompressed content; the reader owns the stream. Serializable:
     * the factory travels with the source to the task managers.
     */
    @FunctionalInterface
    interface Factory extends Serializable {
        EnvelopeReader open(InputStream content) throws IOException;
    }
}
