package com.vitasense.jobs.backfill;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.KafkaSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much a backfill has to read, measured before it starts, for the progress log's share done
 * and ETA: uncompressed bytes of JSON-lines files (what {@link BackfillCounters#BYTES_READ} counts),
 * or records of a Kafka time range (what {@link BackfillCounters#RECORDS_READ} counts).
 *
 * @param units the total, or -1 when it cannot be known up front (the log then shows no ETA)
 * @param inBytes whether {@code units} are bytes (files) or records (Kafka)
 * @param files the number of files, 0 for Kafka
 */
public record InputSize(long units, boolean inBytes, int files) {
    private static final Logger LOG = LoggerFactory.getLogger(InputSize.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    public static InputSize unknown(boolean inBytes) {
        return new InputSize(-1, inBytes, 0);
    }

    public boolean known() {
        return units >= 0;
    }

    /**
     * Measures {@code input}. A file input that does not exist or cannot be listed is an invalid
     * setting: better one line now than a failed job later.
     */
    public static InputSize of(BackfillInput input, KafkaSettings kafka) {
        if (input instanceof BackfillInput.Files f) return files(f.path(), "--from-file");
        if (input instanceof BackfillInput.KafkaRange r) return kafkaRange(kafka, r);
        // An Apple export: its XML bytes say little about the JSON envelopes made of them, but the
        // path must exist all the same.
        files(((BackfillInput.AppleExport) input).path(), "--from-apple-export");
        return unknown(false);
    }

    /** Every file a {@code FileSource} over {@code pathOrUri} reads, with its size. */
    static InputSize files(String pathOrUri, String flag) {
        Path root = new Path(pathOrUri);
        List<FileStatus> files = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem();
            if (!fs.exists(root)) throw new InvalidSettingException(flag + " " + pathOrUri + " does not exist");
            list(fs, fs.getFileStatus(root), files, true);
            long total = 0;
            for (FileStatus f : files) {
                long size = uncompressedSize(fs, f);
                if (size < 0) return new InputSize(-1, true, files.size());
                total += size;
            }
            return new InputSize(total, true, files.size());
        } catch (IOException e) {
            throw new InvalidSettingException("cannot read " + flag + " " + pathOrUri + ": " + e.getMessage());
        }
    }

    /** Lists recursively, skipping what Flink's default file filter skips (names starting with . or _). */
    private static void list(FileSystem fs, FileStatus status, List<FileStatus> out, boolean root) throws IOException {
        String name = status.getPath().getName();
        if (!root && (name.startsWith(".") || name.startsWith("_"))) return;
        if (!status.isDir()) {
            out.add(status);
            return;
        }
        FileStatus[] children = fs.listStatus(status.getPath());
        if (children == null) return;
        for (FileStatus child : children) list(fs, child, out, false);
    }

    /**
     * The file's size after decompression: its size when uncompressed; for gzip the size its
     * trailer records (modulo 4 GiB, so distrusted when smaller than the compressed file); -1 for
     * other compressed files.
     */
    static long uncompressedSize(FileSystem fs, FileStatus f) throws IOException {
        String name = f.getPath().getName().toLowerCase();
        long size = f.getLen();
        if (name.endsWith(".gz") || name.endsWith(".gzip")) {
            if (size < 18) return 0; // header and trailer only: empty
            try (FSDataInputStream in = fs.open(f.getPath())) {
                in.seek(size - 4);
                long isize = 0;
                for (int i = 0; i < 4; i++) isize |= (long) (in.read() & 0xFF) << (8 * i);
                return isize >= size ? isize : -1;
            }
        }
        for (String ext : new String[] {".deflate", ".bz2", ".xz", ".zst"}) {
            if (name.endsWith(ext)) return -1;
        }
        return size;
    }

    /** Records in the range, from each partition's offsets at the two timestamps; -1 if Kafka does not answer. */
    static InputSize kafkaRange(KafkaSettings kafka, BackfillInput.KafkaRange range) {
        // The backfill's own source reads with these client settings; so must the count (SASL, SSL).
        Properties p = kafka.clientConfig();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(p)) {
            var partitions = admin.describeTopics(List.of(range.topic())).allTopicNames()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(range.topic()).partitions();
            Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var info : partitions) {
                TopicPartition tp = new TopicPartition(range.topic(), info.partition());
                starts.put(tp, OffsetSpec.forTimestamp(range.start().toEpochMilli()));
                ends.put(tp, OffsetSpec.forTimestamp(range.end().toEpochMilli()));
                latest.put(tp, OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> from = offsets(admin, starts);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> to = offsets(admin, ends);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> last = offsets(admin, latest);
            long total = 0;
            for (TopicPartition tp : latest.keySet()) {
                // -1: no record at or after the timestamp, so the range reaches the partition's end.
                long end = last.get(tp).offset();
                long a = from.get(tp).offset() < 0 ? end : from.get(tp).offset();
                long b = to.get(tp).offset() < 0 ? end : to.get(tp).offset();
                total += Math.max(0, b - a);
            }
            return new InputSize(total, false, 0);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("cannot measure the Kafka range of {} (the progress log will show no ETA): {}", range.topic(),
                    e.getCause() != null ? e.getCause().toString() : e.toString());
            return unknown(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(false);
        }
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(
            Admin admin, Map<TopicPartition, OffsetSpec> request)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        return admin.listOffsets(request).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
