package com.vitasense.jobs.apple;

import com.vitasense.jobs.io.EnvelopeFileFormat;
import com.vitasense.jobs.io.EnvelopeReader;
import com.vitasense.vendors.apple.AppleHealthExportReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * An Apple Health export ({@code export.xml}, {@code .zip} or {@code .gz}) as an
 * {@link EnvelopeReader}, so the backfill reads it with Flink's file source like JSON lines: the
 * same envelopes {@code import-apple} writes, straight into the pipeline. A record's position is
 * its ordinal among the export's samples ({@code Record} and {@code Workout} elements, from 1).
 */
public final class AppleExportEnvelopes implements EnvelopeReader {
    private final AppleHealthExportReader reader;
    private long position;

    private AppleExportEnvelopes(AppleHealthExportReader reader) {
        this.reader = reader;
    }

    /** The file format of one user's exports, with that user's profile time zone (or null). */
    public static EnvelopeFileFormat format(String userId, ZoneId timeZone) {
        return new EnvelopeFileFormat(factory(userId, timeZone));
    }

    static EnvelopeReader.Factory factory(String userId, ZoneId timeZone) {
        return content -> new AppleExportEnvelopes(
                AppleHealthExportReader.open(AppleExportFiles.open(content, "the export"), userId, timeZone));
    }

    @Override
    public byte[] next() throws IOException {
        if (!reader.hasNext()) return null;
        position++;
        return reader.next().json().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

}
