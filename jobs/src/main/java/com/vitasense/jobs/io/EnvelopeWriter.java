package com.vitasense.jobs.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where tools that produce raw envelopes ({@code simulate}, {@code import-apple}) put them: a
 * JSON-lines file or the raw Kafka topic. {@link #close()} flushes and reports any write that
 * failed, so a run that lost envelopes never ends as a success.
 */
public interface EnvelopeWriter extends Closeable {
    /** Writes one envelope; {@code key} is the device id (the Kafka key), {@code json} one line of JSON. */
    void write(String key, String json) throws IOException;

    /** Where the envelopes go, for the command's report, e.g. {@code kafka localhost:9092/device-data-raw}. */
    String target();
}
