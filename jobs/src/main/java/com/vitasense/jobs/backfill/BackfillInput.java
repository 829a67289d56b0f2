package com.vitasense.jobs.backfill;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;

/** What a backfill reads: exactly one bounded input. */
public sealed interface BackfillInput extends Serializable {

    /** The {@code input_kind} of the run record. */
    String kind();

    /** The input as recorded in {@code backfill_runs.input} and shown in the log. */
    String describe();

    /**
     * JSON lines of raw envelopes: one file or a directory read recursively (files whose name
     * starts with {@code .} or {@code _} are skipped, as Flink's file source does), local or any
     * Flink file system URI; compressed files by extension ({@code .gz}).
     */
    record Files(String path) implements BackfillInput {
        @Override
        public String kind() {
            return "file";
        }

        @Override
        public String describe() {
            return path;
        }
    }

    /**
     * The raw topic's records with a Kafka record time in {@code [start, end)}. Record time is when
     * the envelope was produced (or the broker's time, per the topic's configuration), not the
     * time of the readings inside it.
     */
    record KafkaRange(String topic, Instant start, Instant end) implements BackfillInput {
        @Override
        public String kind() {
            return "kafka";
        }

        @Override
        public String describe() {
            return "kafka topic " + topic + " [" + start + ", " + end + ")";
        }
    }

    /**
     * An Apple Health export of one user: {@code export.xml}, the Health app's {@code export.zip}
     * or a gzipped {@code export.xml.gz}, read as the envelopes {@code import-apple} would write.
     *
     * @param timeZone the user's profile time zone for the envelopes, or null
     */
    record AppleExport(String path, String userId, ZoneId timeZone) implements BackfillInput {
        @Override
        public String kind() {
            return "apple_export";
        }

        @Override
        public String describe() {
            return "apple health export " + path + " of user " + userId;
        }
    }
}
