package com.vitasense.jobs.backfill;

import com.vitasense.records.RawRecord;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a backfill counts, as Flink accumulators: summed over subtasks, readable while the job runs
 * ({@code JobClient#getAccumulators}) and in its result, where the run record takes them from.
 */
public final class BackfillCounters {
    public static final String RECORDS_READ = "backfill-records-read";
    /** Bytes of the records read, each plus one for its line end: comparable with a JSON-lines file size. */
    public static final String BYTES_READ = "backfill-bytes-read";
    public static final String POINTS_WRITTEN = "backfill-points-written";
    public static final String QUALITY_ISSUES = "backfill-quality-issues";
    public static final String DEAD_LETTERS = "backfill-dead-letters";

    private BackfillCounters() {}

    /** A counter's value in an accumulator map, 0 when it has not been reported yet. */
    public static long get(Map<String, Object> accumulators, String name) {
        Object v = accumulators.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Counts the records one subtask reads, and logs its progress every {@code interval}: on a
     * cluster, the task managers' logs show that each source subtask moves.
     */
    public static final class SourceProgress extends RichMapFunction<RawRecord, RawRecord> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(SourceProgress.class);

        private final long intervalNanos;
        private transient LongCounter records;
        private transient LongCounter bytes;
        private transient long started;
        private transient long nextLog;
        private transient String subtask;

        public SourceProgress(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void open(OpenContext openContext) {
            records = getRuntimeContext().getLongCounter(RECORDS_READ);
            bytes = getRuntimeContext().getLongCounter(BYTES_READ);
            subtask = (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1) + "/"
                    + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            started = System.nanoTime();
            nextLog = started + intervalNanos;
        }

        @Override
        public RawRecord map(RawRecord r) {
            // The stand-in for a damaged file's unreadable rest is no record read; its dead letter counts it.
            if (r.readError != null) return r;
            records.add(1L);
            bytes.add(r.value == null ? 1L : r.value.length + 1L);
            // Checking the clock every 1024 records keeps the cost per record at an increment.
            if ((records.getLocalValuePrimitive() & 1023) == 0) {
                long now = System.nanoTime();
                if (now >= nextLog) {
                    nextLog = now + intervalNanos;
                    logProgress(now, "reading");
                }
            }
            return r;
        }

        @Override
        public void close() {
            if (records != null) logProgress(System.nanoTime(), "done");
        }

        private void logProgress(long now, String state) {
            long n = records.getLocalValuePrimitive();
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            LOG.info("backfill source {} {}: {} records read ({} records/s)", subtask, state, n, Math.round(n / seconds));
        }
    }

    /** Counts the records passing by into the accumulator it is named for. */
    public static final class Count<T> extends RichMapFunction<T, T> {
        private static final long serialVersionUID = 1L;

        private final String accumulator;
        private transient LongCounter counter;

        public Count(String accumulator) {
            this.accumulator = accumulator;
        }

        @Override
        public void open(OpenContext openContext) {
            counter = getRuntimeContext().getLongCounter(accumulator);
        }

        @Override
        public T map(T value) {
            counter.add(1L);
            return value;
        }
    }
}
