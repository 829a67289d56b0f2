package com.vitasense.jobs.io;

import com.vitasense.records.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files of raw envelopes for Flink's {@code FileSource}: each envelope becomes a {@link RawRecord}
 * whose topic is the file's path, partition 0 and offset the envelope's {@link
 * EnvelopeReader#position()} (the line number of JSON lines), so a dead letter names the file and
 * line it came from. Compressed files ({@code .gz}, {@code .deflate}, ... by extension) are read
 * through Flink's standard decompressors; any Flink file system works ({@code file://},
 * {@code s3://} with its plugin, ...).
 *
 * <p>A {@code BulkFormat} rather than a {@code StreamFormat}: a stream format's reader is never told
 * which file it reads, and the path is what makes a dead letter traceable. Files are not split
 * (a line or an XML element can only be found from the start); restoring a reader skips the
 * records it had emitted, which is all a file source needs after a failover.
 *
 * <p>A damaged file ({@link DamagedInputException}: an export cut off mid-element, a truncated
 * download) does not fail the job: the records read before the damage are emitted, followed by one
 * {@link RawRecord#damaged damage record} at the position where reading stopped, which the parse
 * stage turns into a {@code DAMAGED_FILE} dead letter naming the file, the reader's message and
 * the position. Retrying would only fail at the same byte again. Any other failure still fails
 * the read, but only after the records of the batch read before it have been handed out.
 */
public final class EnvelopeFileFormat implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    /** Records handed to the source per batch: large enough to amortise the hand-over. */
    static final int BATCH_SIZE = 512;

    private final EnvelopeReader.Factory readers;

    public EnvelopeFileFormat(EnvelopeReader.Factory readers) {
        this.readers = readers;
    }

    /** JSON lines of raw envelopes. */
    public static EnvelopeFileFormat jsonLines() {
        return new EnvelopeFileFormat(JsonLinesReader.factory());
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return open(split, 0);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long emitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return open(split, emitted);
    }

    private Reader<RawRecord> open(FileSourceSplit split, long skip) throws IOException {
        Path path = split.path();
        FSDataInputStream raw = path.getFileSystem().open(path);
        EnvelopeReader reader;
        try {
            InflaterInputStreamFactory<?> inflater = StandardDeCompressors.getDecompressorForFileName(path.getPath());
            InputStream content = inflater == null ? raw : inflater.create(raw);
            reader = readers.open(content);
        } catch (IOException e) {
            raw.close();
            throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
        FileReader fileReader = new FileReader(reader, path.toString(), split.fileModificationTime());
        try {
            fileReader.skip(skip);
        } catch (IOException | RuntimeException e) {
            fileReader.close();
            throw e;
        }
        return fileReader;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    /** Reads one file in batches, counting what it emitted so a restore can skip it. */
    private static final class FileReader implements BulkFormat.Reader<RawRecord> {
        private static final Logger LOG = LoggerFactory.getLogger(FileReader.class);

        private final EnvelopeReader reader;
        private final String topic;
        private final long timestamp;
        private long emitted;
        private boolean done;
        /** A failure met after some records of a batch, thrown by the next {@link #readBatch()}. */
        private Exception failure;

        FileReader(EnvelopeReader reader, String topic, long timestamp) {
            this.reader = reader;
            this.topic = topic;
            this.timestamp = timestamp;
        }

        void skip(long records) throws IOException {
            for (long i = 0; i < records; i++) {
                if (nextRecord() == null) {
                    throw new IOException(topic + " has fewer than the " + records
                            + " records read before the restore: was the file changed while being read?");
                }
            }
            emitted = records;
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            if (failure != null) {
                done = true;
                if (failure instanceof IOException io) throw io;
                throw (RuntimeException) failure;
            }
            if (done) return null;
            RawRecord[] batch = new RawRecord[BATCH_SIZE];
            int n = 0;
            while (n < BATCH_SIZE) {
                RawRecord r;
                try {
                    r = nextRecord();
                } catch (IOException | RuntimeException e) {
                    if (n == 0) throw e;
                    // The records read before the failure go out first; the failure comes next call.
                    failure = e;
                    break;
                }
                if (r == null) break;
                batch[n++] = r;
            }
            if (n == 0) return null;
            ArrayResultIterator<RawRecord> records = new ArrayResultIterator<>();
            // Positions count records from the start of the file: what restoreReader skips.
            records.set(batch, n, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += n;
            return records;
        }

        /** The next record: an envelope, the damage record of a damaged file, or null at the end. */
        private RawRecord nextRecord() throws IOException {
            if (done) return null;
            byte[] value;
            try {
                value = reader.next();
            } catch (DamagedInputException e) {
                done = true;
                long at = reader.position() + 1;
                LOG.warn("{} is damaged after envelope {}: {}; the envelopes before it are kept and the rest of the"
                        + " file goes to the dead letters", topic, reader.position(), e.getMessage(), e);
                return RawRecord.damaged("damaged file " + topic + ": " + e.getMessage() + "; reading stopped after "
                        + reader.position() + " envelope(s), which were processed", topic, 0, at, timestamp);
            }
            if (value == null) {
                done = true;
                return null;
            }
            return new RawRecord(value, topic, 0, reader.position(), timestamp);
        }

        @Override
        public void close() throws IOException {
            String summary = reader.summary();
            if (summary != null) LOG.info("{}: {}", topic, summary);
            reader.close();
        }
    }
}
