package com.vitasense.jobs.io;

import java.io.IOException;

/**
 * A file's content is damaged (not well-formed, truncated) where an {@link EnvelopeReader} got to:
 * nothing after this point can be read, but everything before it was read correctly. Unlike other
 * I/O failures, retrying would fail the same way, so {@link EnvelopeFileFormat} does not fail the
 * job on it: it keeps what was read and sends one dead letter for the rest of the file.
 */
public class DamagedInputException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where, in the file's own terms (line and column) */
    public DamagedInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
