package com.vitasense.jobs.backfill;

import com.vitasense.jobs.config.JdbcSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The {@code backfill_runs} table (migration V2): one row per run, inserted as {@code running}
 * before the job starts and completed with its status and counts when it ends. A run that never
 * completes its row (the client was killed) stays {@code running}, which is itself the record.
 */
public final class BackfillRuns {
    private final JdbcSettings jdbc;

    public BackfillRuns(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a starting run; a run id given twice replaces the earlier record. */
    public void started(String runId, BackfillInput input, boolean emitTopics, Integer parallelism, Instant startedAt)
            throws SQLException {
        String sql = """
                INSERT INTO backfill_runs (run_id, input_kind, input, user_id, range_start, range_end, emit_topics,
                    parallelism, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)
                ON CONFLICT (run_id) DO UPDATE SET
                    input_kind = EXCLUDED.input_kind, input = EXCLUDED.input, user_id = EXCLUDED.user_id,
                    range_start = EXCLUDED.range_start, range_end = EXCLUDED.range_end,
                    emit_topics = EXCLUDED.emit_topics, parallelism = EXCLUDED.parallelism, status = 'running',
                    started_at = EXCLUDED.started_at, finished_at = NULL, flink_job_id = NULL, records_read = NULL,
                    points_written = NULL, quality_issues = NULL, dead_letters = NULL, error = NULL
                """;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            ps.setString(2, input.kind());
            ps.setString(3, input.describe());
            ps.setString(4, input instanceof BackfillInput.AppleExport a ? a.userId() : null);
            setInstant(ps, 5, input instanceof BackfillInput.KafkaRange r ? r.start() : null);
            setInstant(ps, 6, input instanceof BackfillInput.KafkaRange r ? r.end() : null);
            ps.setBoolean(7, emitTopics);
            if (parallelism == null) ps.setNull(8, Types.INTEGER);
            else ps.setInt(8, parallelism);
            setInstant(ps, 9, startedAt);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw new SQLException("table backfill_runs does not exist in " + jdbc.url()
                        + ": apply the schema migrations first (--apply-migrations true, or ./vitasense migrate)", e);
            }
            throw e;
        }
    }

    /** Completes the record of a run. */
    public void finished(BackfillResult r) throws SQLException {
        String sql = """
                UPDATE backfill_runs SET status = ?, flink_job_id = ?, records_read = ?, points_written = ?,
                    quality_issues = ?, dead_letters = ?, finished_at = ?, error = ?
                WHERE run_id = ?
                """;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.status());
            ps.setString(2, r.flinkJobId());
            setLong(ps, 3, r.recordsRead());
            setLong(ps, 4, r.pointsWritten());
            setLong(ps, 5, r.qualityIssues());
            setLong(ps, 6, r.deadLetters());
            setInstant(ps, 7, r.finishedAt());
            ps.setString(8, r.error());
            ps.setString(9, r.runId());
            ps.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    private Connection connect() throws SQLException {
        // A data source, not DriverManager: under `flink run` the driver sits in the user-code class
        // loader, which DriverManager does not search.
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbc.url());
        ds.setUser(jdbc.user());
        if (jdbc.password() != null) ds.setPassword(jdbc.password());
        return ds.getConnection();
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(i, t.atOffset(ZoneOffset.UTC));
    }
}
