package com.vitasense.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.apple.AppleExportEnvelopes;
import com.vitasense.records.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeFileFormatTest {

    private static FileSourceSplit split(Path file, CheckpointedPosition position) throws IOException {
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, Files.size(file),
                Files.getLastModifiedTime(file).toMillis(), Files.size(file), new String[0], position);
    }

    private static Path write(Path file, int lines) throws IOException {
        try (JsonLinesEnvelopeWriter w = new JsonLinesEnvelopeWriter(file)) {
            for (int i = 1; i <= lines; i++) w.write("", i % 100 == 0 ? "" : "{\"n\":" + i + "}");
        }
        return file;
    }

    /** Everything a reader emits, with the position a checkpoint would take after each record. */
    private static List<RecordAndPosition<RawRecord>> readAll(BulkFormat.Reader<RawRecord> reader) throws IOException {
        List<RecordAndPosition<RawRecord>> out = new ArrayList<>();
        try (reader) {
            for (BulkFormat.RecordIterator<RawRecord> batch = reader.readBatch(); batch != null; batch = reader.readBatch()) {
                for (RecordAndPosition<RawRecord> r = batch.next(); r != null; r = batch.next()) {
                    out.add(new RecordAndPosition<>(r.getRecord(), r.getOffset(), r.getRecordSkipCount()));
                }
                batch.releaseBatch();
            }
        }
        return out;
    }

    @Test
    void recordsNameTheirFileAndLineAndGzipIsReadByExtension(@TempDir Path dir) throws IOException {
        for (Path file : List.of(write(dir.resolve("plain.jsonl"), 1200), write(dir.resolve("packed.jsonl.gz"), 1200))) {
            List<RecordAndPosition<RawRecord>> records = readAll(
                    EnvelopeFileFormat.jsonLines().createReader(new Configuration(), split(file, null)));
            // Every hundredth line is blank: 1188 records, each knowing its line.
            assertThat(records).hasSize(1188);
            RawRecord first = records.get(0).getRecord();
            assertThat(first.topic).isEqualTo(new org.apache.flink.core.fs.Path(file.toUri()).toString());
            assertThat(first.partition).isZero();
            assertThat(first.offset).isEqualTo(1);
            assertThat(new String(first.value, StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            RawRecord last = records.get(records.size() - 1).getRecord();
            assertThat(last.offset).isEqualTo(1199);
            assertThat(new String(last.value, StandardCharsets.UTF_8)).isEqualTo("{\"n\":1199}");
            assertThat(records.get(99).getRecord().offset).isEqualTo(101);
            assertThat(records).extracting(RecordAndPosition::getRecordSkipCount)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1188).boxed().toList());
        }
    }

    /**
     * An export cut off mid-element: the samples before the cut, then one damage record at the
     * next position naming the file and the XML parser's place; a restore after the damage record
     * has nothing left to emit. A file that is not an export at all is one damage record.
     */
    @Test
    void aDamagedExportKeepsItsSamplesAndEndsWithOneDamageRecord(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("export.xml"), "<HealthData>\n"
                + " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\""
                + " startDate=\"2026-11-27 08:00:00 +0100\" endDate=\"2026-11-27 08:00:00 +0100\" value=\"61\"/>\n"
                + " <ActivitySummary dateComponents=\"2026-11-26\"/>\n"
                + " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\""
                + " startDate=\"2026-11-27 08:01:00 +0100\" endDate=\"2026-11-27 08:01:00 +0100\" value=\"62\"/>\n"
                + " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceNa");
        EnvelopeFileFormat format = AppleExportEnvelopes.format("u-1", null);
        List<RecordAndPosition<RawRecord>> records = readAll(format.createReader(new Configuration(), split(file, null)));
        String path = new org.apache.flink.core.fs.Path(file.toUri()).toString();

        assertThat(records).hasSize(3);
        assertThat(records.subList(0, 2)).allSatisfy(r -> {
            assertThat(r.getRecord().readError).isNull();
            assertThat(new String(r.getRecord().value, StandardCharsets.UTF_8)).contains("\"vendor\":\"apple_health\"");
        });
        RawRecord damage = records.get(2).getRecord();
        assertThat(damage.value).isNull();
        assertThat(damage.topic).isEqualTo(path);
        assertThat(damage.offset).as("the sample where reading stopped").isEqualTo(3);
        assertThat(damage.readError).startsWith("damaged file " + path + ": malformed export.xml: ")
                .contains("(line 5, column ")
                .endsWith("; reading stopped after 2 envelope(s), which were processed");

        CheckpointedPosition afterDamage = new CheckpointedPosition(records.get(2).getOffset(),
                records.get(2).getRecordSkipCount());
        assertThat(readAll(format.restoreReader(new Configuration(), split(file, afterDamage)))).isEmpty();

        Path notAnExport = Files.writeString(dir.resolve("feed.xml"), "<feed><entry/></feed>");
        assertThat(readAll(format.createReader(new Configuration(), split(notAnExport, null))))
                .singleElement().satisfies(r -> {
                    assertThat(r.getRecord().offset).isEqualTo(1);
                    assertThat(r.getRecord().readError).contains("not an Apple Health export: the root element is <feed>");
                });
    }

    /** Any other failure still fails the read, but the records of the batch read before it go out first. */
    @Test
    void recordsReadBeforeAnIoFailureAreHandedOutBeforeTheFailure(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("any.jsonl"), "ignored");
        EnvelopeReader.Factory threeThenFail = content -> new EnvelopeReader() {
            private long position;

            @Override
            public byte[] next() throws IOException {
                if (position == 3) throw new IOException("storage went away");
                position++;
                return ("{\"n\":" + position + "}").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void close() throws IOException {
                content.close();
            }
        };
        try (BulkFormat.Reader<RawRecord> reader = new EnvelopeFileFormat(threeThenFail)
                .createReader(new Configuration(), split(file, null))) {
            BulkFormat.RecordIterator<RawRecord> batch = reader.readBatch();
            List<Long> offsets = new ArrayList<>();
            for (RecordAndPosition<RawRecord> r = batch.next(); r != null; r = batch.next()) {
                offsets.add(r.getRecord().offset);
            }
            assertThat(offsets).containsExactly(1L, 2L, 3L);
            assertThatThrownBy(reader::readBatch).isInstanceOf(IOException.class).hasMessage("storage went away");
        }
    }

    @Test
    void aRestoredReaderContinuesAfterTheLastCheckpointedRecord(@TempDir Path dir) throws IOException {
        Path file = write(dir.resolve("history.jsonl.gz"), 1000);
        List<RecordAndPosition<RawRecord>> all = readAll(
                EnvelopeFileFormat.jsonLines().createReader(new Configuration(), split(file, null)));
        CheckpointedPosition after700 = new CheckpointedPosition(all.get(699).getOffset(), all.get(699).getRecordSkipCount());
        List<RecordAndPosition<RawRecord>> rest = readAll(
                EnvelopeFileFormat.jsonLines().restoreReader(new Configuration(), split(file, after700)));
        assertThat(rest).extracting(r -> r.getRecord().offset)
                .containsExactlyElementsOf(all.subList(700, all.size()).stream().map(r -> r.getRecord().offset).toList());
        assertThat(rest.get(0).getRecordSkipCount()).isEqualTo(701);
    }
}
