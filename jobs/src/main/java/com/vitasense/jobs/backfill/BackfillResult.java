package com.vitasense.jobs.backfill;

import java.time.Duration;
import java.time.Instant;

/**
 * How a backfill run ended: what {@code backfill_runs} records and the summary line shows. Counts
 * are null when a failed job left none to read.
 *
 * @param status {@code succeeded} or {@code failed}
 */
public record BackfillResult(String runId, String input, String status, String flinkJobId, Long recordsRead,
                             Long pointsWritten, Long qualityIssues, Long deadLetters, Instant startedAt,
                             Instant finishedAt, String error) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** The one line printed at the end of a run. */
    public String summary() {
        double seconds = Math.max(1e-3, duration().toMillis() / 1000.0);
        StringBuilder b = new StringBuilder("backfill summary: run=").append(runId)
                .append(" status=").append(status)
                .append(" input=").append(input)
                .append(" records_read=").append(orDash(recordsRead))
                .append(" points_written=").append(orDash(pointsWritten))
                .append(" quality_issues=").append(orDash(qualityIssues))
                .append(" dead_letters=").append(orDash(deadLetters))
                .append(String.format(" duration=%.1fs", seconds));
        if (recordsRead != null) b.append(" rate=").append(Math.round(recordsRead / seconds)).append(" records/s");
        if (error != null) b.append(" error=").append(error);
        return b.toString();
    }

    private static String orDash(Long v) {
        return v == null ? "-" : v.toString();
    }
}
