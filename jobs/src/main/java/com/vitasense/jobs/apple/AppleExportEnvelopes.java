package com.vitasense.jobs.apple;

import com.vitasense.jobs.io.DamagedInputException;
import com.vitasense.jobs.io.EnvelopeFileFormat;
import com.vitasense.jobs.io.EnvelopeReader;
import com.vitasense.vendors.apple.AppleHealthExportException;
import com.vitasense.vendors.apple.AppleHealthExportReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * An Apple Health export ({@code export.xml}, {@code .zip} or {@code .gz}) as an
 * {@link EnvelopeReader}, so the backfill reads it with Flink's file source like JSON lines: the
 * same envelopes {@code import-apple} writes, straight into the pipeline. A record's position is
 * its ordinal among the export's samples ({@code Record} and {@code Workout} elements, from 1).
 *
 * <p>A damaged export (XML that stops being well-formed, a file cut off mid-element, a truncated
 * zip or gzip, a file that is not an export at all) is a {@link DamagedInputException} carrying
 * the XML parser's message with its line and column: every sample before the damage has been
 * read, and the backfill keeps them. Elements the pipeline has no use for ({@code ActivitySummary},
 * {@code ClinicalRecord}, {@code Correlation}, ...) are counted by type in {@link #summary()},
 * which the file source logs when the file is done, as {@code import-apple} prints them.
 */
public final class AppleExportEnvelopes implements EnvelopeReader {
    /** Null when the export could not even be opened: {@link #openFailure} says why. */
    private final AppleHealthExportReader reader;
    private final InputStream content;
    private DamagedInputException openFailure;
    private long position;

    private AppleExportEnvelopes(AppleHealthExportReader reader, InputStream content, DamagedInputException openFailure) {
        this.reader = reader;
        this.content = content;
        this.openFailure = openFailure;
    }

    /** The file format of one user's exports, with that user's profile time zone (or null). */
    public static EnvelopeFileFormat format(String userId, ZoneId timeZone) {
        return new EnvelopeFileFormat(factory(userId, timeZone));
    }

    static EnvelopeReader.Factory factory(String userId, ZoneId timeZone) {
        return content -> {
            try {
                return new AppleExportEnvelopes(
                        AppleHealthExportReader.open(AppleExportFiles.open(content, "the export"), userId, timeZone),
                        content, null);
            } catch (AppleHealthExportException e) {
                // Not an export, or damaged before its first sample: the file is one dead letter.
                return new AppleExportEnvelopes(null, content, new DamagedInputException(e.getMessage(), e));
            } catch (EOFException | ZipException e) {
                return new AppleExportEnvelopes(null, content, truncated(e));
            }
        };
    }

    @Override
    public byte[] next() throws IOException {
        if (openFailure != null) {
            DamagedInputException e = openFailure;
            openFailure = null;
            throw e;
        }
        if (reader == null) return null;
        try {
            if (!reader.hasNext()) return null;
            byte[] envelope = reader.next().json().getBytes(StandardCharsets.UTF_8);
            position++;
            return envelope;
        } catch (AppleHealthExportException e) {
            throw new DamagedInputException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // The compressed container ended early or is corrupt: damage too. Other I/O failures
            // (a storage hiccup) may pass on a retry, so they still fail the read.
            if (e.getCause() instanceof EOFException || e.getCause() instanceof ZipException) {
                throw truncated(e.getCause());
            }
            throw e.getCause();
        }
    }

    private static DamagedInputException truncated(IOException e) {
        return new DamagedInputException("truncated or corrupt compressed export: " + e.getMessage(), e);
    }

    @Override
    public long position() {
        return position;
    }

    /** Samples read and elements skipped, in the terms {@code import-apple} prints. */
    @Override
    public String summary() {
        if (reader == null) return null;
        return String.format(Locale.ROOT, "read %d records and %d workouts from the Apple Health export; "
                        + "%d without a readable date; skipped elements: %s", reader.records(), reader.workouts(),
                reader.withoutDate(), AppleHealthImport.Summary.joined(reader.skipped()));
    }

    @Override
    public void close() throws IOException {
        if (reader != null) reader.close();
        else content.close();
    }
}
