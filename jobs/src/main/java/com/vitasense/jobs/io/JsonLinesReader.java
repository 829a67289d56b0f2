package com.vitasense.jobs.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * JSON lines: one raw envelope per line, {@code \n} or {@code \r\n} separated, UTF-8 with or
 * without a byte-order mark. Blank lines are skipped but counted, so {@link #position()} is the
 * line number (from 1) an editor shows.
 *
 * <p>Memory stays bounded whatever the file: a line longer than {@link #MAX_LINE_BYTES} is returned
 * cut to its first {@link #TRUNCATED_LINE_BYTES} bytes, which the parser rejects as malformed, so
 * the line becomes a dead letter that names it instead of an out-of-memory failure of the job.
 */
public final class JsonLinesReader implements EnvelopeReader {
    /** Longest line read whole: far beyond any single vendor response. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    /** What is kept of a longer line: enough to recognise it in the dead letter. */
    static final int TRUNCATED_LINE_BYTES = 64 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int start;
    private int end;
    private boolean eof;
    private long lineNumber;
    private long lastReturned;

    /** A line that spans buffer refills, or null. */
    private byte[] partial;
    private int partialLength;
    private boolean truncated;

    public JsonLinesReader(InputStream in) {
        this.in = in;
    }

    /** The factory for {@link EnvelopeFileFormat}. */
    public static EnvelopeReader.Factory factory() {
        return JsonLinesReader::new;
    }

    @Override
    public byte[] next() throws IOException {
        while (true) {
            byte[] line = readLine();
            if (line == null) return null;
            lineNumber++;
            if (lineNumber == 1) line = withoutByteOrderMark(line);
            if (!isBlank(line)) {
                lastReturned = lineNumber;
                return line;
            }
        }
    }

    @Override
    public long position() {
        return lastReturned;
    }

    /** The next line without its terminator, or null at the end; the last line needs no terminator. */
    private byte[] readLine() throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    byte[] line = take(i);
                    start = i + 1;
                    return line;
                }
            }
            append(start, end);
            start = end;
            if (eof || !fill()) {
                eof = true;
                if (partial == null) return null;
                return finishPartial();
            }
        }
    }

    /** The line ending at {@code newline}, joined with what earlier buffers held of it. */
    private byte[] take(int newline) {
        int length = newline - start;
        if (partial == null) {
            if (length > 0 && buffer[newline - 1] == '\r') length--;
            return Arrays.copyOfRange(buffer, start, start + length);
        }
        append(start, newline);
        return finishPartial();
    }

    private byte[] finishPartial() {
        int length = partialLength;
        if (!truncated && length > 0 && partial[length - 1] == '\r') length--;
        byte[] line = Arrays.copyOf(partial, length);
        partial = null;
        partialLength = 0;
        truncated = false;
        return line;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (n == 0) return;
        if (partial == null) {
            partial = new byte[Math.max(BUFFER_BYTES, n)];
            partialLength = 0;
        }
        if (truncated) return;
        if (partialLength + n > MAX_LINE_BYTES) {
            // Keep the head only; the rest of the line is read and dropped.
            partialLength = Math.min(partialLength, TRUNCATED_LINE_BYTES);
            n = Math.max(0, Math.min(n, TRUNCATED_LINE_BYTES - partialLength));
            truncated = true;
        }
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(MAX_LINE_BYTES, Math.max(partial.length * 2, partialLength + n)));
        }
        System.arraycopy(buffer, from, partial, partialLength, n);
        partialLength += n;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            // Zero is legal from some decompressing streams between members; only -1 is the end.
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        start = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    private static byte[] withoutByteOrderMark(byte[] line) {
        if (line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            return Arrays.copyOfRange(line, 3, line.length);
        }
        return line;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') return false;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
