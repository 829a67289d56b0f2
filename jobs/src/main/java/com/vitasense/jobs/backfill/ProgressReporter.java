package com.vitasense.jobs.backfill;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a running backfill's progress every interval, from the job's accumulators summed over all
 * subtasks: records read with their rate, and against the {@link InputSize} measured up front the
 * share read and the time left to read it; then points written and their current rate.
 *
 * <p>Accumulators reach the client with the task managers' heartbeats, so the figures are as fresh
 * as {@code heartbeat.interval} (10 s on a cluster by default; local runs set it shorter).
 */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final JobClient job;
    private final InputSize size;
    private final Consumer<String> out;
    private final long startedNanos = System.nanoTime();
    private long lastPoints;
    private long lastNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backfill-progress");
        t.setDaemon(true);
        return t;
    });

    private ProgressReporter(JobClient job, InputSize size, Consumer<String> out) {
        this.job = job;
        this.size = size;
        this.out = out;
    }

    /** Starts reporting to {@code out} every {@code interval} until closed. */
    public static ProgressReporter start(JobClient job, InputSize size, Duration interval, Consumer<String> out) {
        ProgressReporter r = new ProgressReporter(job, size, out);
        long millis = interval.toMillis();
        r.timer.scheduleAtFixedRate(r::report, millis, millis, TimeUnit.MILLISECONDS);
        return r;
    }

    private void report() {
        Map<String, Object> acc;
        try {
            acc = job.getAccumulators().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // The job may be finishing; the summary follows. Anything else shows here once per interval.
            LOG.warn("backfill progress unavailable: {}", e.toString());
            return;
        }
        long now = System.nanoTime();
        long points = BackfillCounters.get(acc, BackfillCounters.POINTS_WRITTEN);
        double pointsPerSecond = lastNanos == 0 ? 0 : (points - lastPoints) / Math.max(1e-3, (now - lastNanos) / 1e9);
        lastPoints = points;
        lastNanos = now;
        out.accept(line(BackfillCounters.get(acc, BackfillCounters.RECORDS_READ),
                BackfillCounters.get(acc, BackfillCounters.BYTES_READ), points, pointsPerSecond, now - startedNanos, size));
    }

    /**
     * One progress line; public for its test. In batch mode the keyed stages start once reading
     * is done, so the line shows both: what was read, with its share and ETA, and the points
     * written with their current rate.
     */
    public static String line(long records, long bytes, long points, double pointsPerSecond, long elapsedNanos,
                              InputSize size) {
        double seconds = Math.max(1e-3, elapsedNanos / 1e9);
        StringBuilder b = new StringBuilder("backfill progress: ").append(records).append(" records read (");
        if (size.known() && size.units() > 0) {
            long done = size.inBytes() ? bytes : records;
            double share = Math.min(1.0, (double) done / size.units());
            b.append(String.format("%.1f%% of %s, ", 100 * share,
                    size.inBytes() ? megabytes(size.units()) : size.units() + " records"));
            b.append(Math.round(records / seconds)).append(" records/s");
            if (done > 0 && share < 1.0) {
                b.append(", ETA ").append(duration(Math.round(seconds * (size.units() - done) / done)));
            }
        } else {
            b.append(Math.round(records / seconds)).append(" records/s");
        }
        return b.append("), ").append(points).append(" points written (")
                .append(Math.round(pointsPerSecond)).append(" points/s)").toString();
    }

    static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    static String duration(long seconds) {
        if (seconds < 60) return seconds + "s";
        if (seconds < 3600) return (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s";
        return (seconds / 3600) + "h" + String.format("%02d", (seconds % 3600) / 60) + "m";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
