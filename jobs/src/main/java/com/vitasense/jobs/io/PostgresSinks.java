package com.vitasense.jobs.io;

import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.SyncSession;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * Idempotent, batched upserts into the PostgreSQL tables. Every statement is
 * {@code INSERT ... ON CONFLICT (key) DO UPDATE}, so the at-least-once JDBC sink has exactly-once
 * effect: a replayed batch writes the same rows again.
 *
 * <p>{@code reWriteBatchedInserts} must stay off: it folds a batch into one multi-row INSERT, and
 * PostgreSQL rejects an ON CONFLICT that touches the same row twice in one statement, which a batch
 * of two updates to one device (or two revisions of one reading) would do.
 */
public final class PostgresSinks {
    private PostgresSinks() {}

    static final String UPSERT_DATA_POINT = """
            INSERT INTO data_points (id, revision, user_id, device_id, vendor, device_model, metric, value, category,
                unit, raw_value, raw_unit, start_time, end_time, time_source, quality_flags, quality_score,
                calibration_id, source_record_id, ingested_at, anomaly_score)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                revision = EXCLUDED.revision, user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id,
                vendor = EXCLUDED.vendor, device_model = EXCLUDED.device_model, metric = EXCLUDED.metric,
                value = EXCLUDED.value, category = EXCLUDED.category, unit = EXCLUDED.unit,
                raw_value = EXCLUDED.raw_value, raw_unit = EXCLUDED.raw_unit, start_time = EXCLUDED.start_time,
                end_time = EXCLUDED.end_time, time_source = EXCLUDED.time_source,
                quality_flags = EXCLUDED.quality_flags, quality_score = EXCLUDED.quality_score,
                calibration_id = EXCLUDED.calibration_id, source_record_id = EXCLUDED.source_record_id,
                ingested_at = EXCLUDED.ingested_at, anomaly_score = EXCLUDED.anomaly_score
            WHERE data_points.revision <= EXCLUDED.revision
            """;

    // GREATEST ignores NULLs, and every column keeps its newest value, so the row does not depend on
    // the order in which updates for one device arrive. Each group of values (battery level, battery
    // state, charging, sensor error, status) moves only with a report at least as new as its own
    // event-time column; an update without that group leaves it alone.
    static final String UPSERT_DEVICE = """
            INSERT INTO devices (device_id, user_id, vendor, model, last_seen, last_sync, battery_level, battery_updated_at,
                status, status_updated_at, battery_state, battery_state_updated_at, charging, in_charger,
                charging_updated_at, sensor_error_code, sensor_error, sensor_error_at)
            VALUES (?, ?, COALESCE(?, 'unknown'), ?, ?, ?, ?, ?, COALESCE(?, 'ok'), ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (device_id) DO UPDATE SET
                user_id = EXCLUDED.user_id,
                vendor = CASE WHEN EXCLUDED.vendor = 'unknown' THEN devices.vendor ELSE EXCLUDED.vendor END,
                model = COALESCE(EXCLUDED.model, devices.model),
                last_seen = GREATEST(devices.last_seen, EXCLUDED.last_seen),
                last_sync = GREATEST(devices.last_sync, EXCLUDED.last_sync),
            """ + String.join(",\n",
            newestReportWins("battery_updated_at", "battery_level"),
            newestReportWins("status_updated_at", "status"),
            newestReportWins("battery_state_updated_at", "battery_state"),
            newestReportWins("charging_updated_at", "charging", "in_charger"),
            newestReportWins("sensor_error_at", "sensor_error_code", "sensor_error")) + "\n";

    /**
     * The SET clauses of one group of device columns reported together at the event time in
     * {@code at}: each column takes the new value only from a report at least as new as the one it
     * holds, and {@code at} keeps the newest time.
     */
    private static String newestReportWins(String at, String... columns) {
        StringBuilder set = new StringBuilder();
        for (String column : columns) {
            set.append(String.format("    %1$s = CASE WHEN EXCLUDED.%2$s IS NOT NULL"
                    + " AND (devices.%2$s IS NULL OR EXCLUDED.%2$s >= devices.%2$s)"
                    + " THEN EXCLUDED.%1$s ELSE devices.%1$s END,%n", column, at));
        }
        return set.append(String.format("    %1$s = GREATEST(devices.%1$s, EXCLUDED.%1$s)", at)).toString();
    }

    // A cleared alert stays cleared: a raise replayed after its clear (a restart, a second
    // backfill) must not reopen it. Raised rows take a raised severity.
    static final String UPSERT_ALERT = """
            INSERT INTO device_alerts (id, user_id, device_id, alert_type, metric, severity, status, started_at,
                cleared_at, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
            ON CONFLICT (id) DO UPDATE SET
                severity = EXCLUDED.severity, status = EXCLUDED.status, cleared_at = EXCLUDED.cleared_at,
                details = EXCLUDED.details
            WHERE device_alerts.status <> 'cleared'
            """;

    // The steps of one sync arrive as separate rows: each fills in what it knows, and an end
    // (completed, failed) is never turned back into 'started'.
    static final String UPSERT_SYNC_SESSION = """
            INSERT INTO sync_sessions (id, user_id, device_id, sync_id, status, started_at, finished_at, readings, error,
                recommended_interval_s, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
            ON CONFLICT (id) DO UPDATE SET
                status = CASE WHEN EXCLUDED.status = 'started' THEN sync_sessions.status ELSE EXCLUDED.status END,
                started_at = COALESCE(EXCLUDED.started_at, sync_sessions.started_at),
                finished_at = COALESCE(EXCLUDED.finished_at, sync_sessions.finished_at),
                readings = COALESCE(EXCLUDED.readings, sync_sessions.readings),
                error = COALESCE(EXCLUDED.error, sync_sessions.error),
                recommended_interval_s = COALESCE(EXCLUDED.recommended_interval_s, sync_sessions.recommended_interval_s),
                details = COALESCE(EXCLUDED.details, sync_sessions.details)
            """;

    static final String UPSERT_QUALITY_ISSUE = """
            INSERT INTO quality_issues (id, user_id, device_id, metric, rule, severity, event_time, data_point_id,
                observed_value, expected_min, expected_max, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id, metric = EXCLUDED.metric,
                rule = EXCLUDED.rule, severity = EXCLUDED.severity, event_time = EXCLUDED.event_time,
                data_point_id = EXCLUDED.data_point_id, observed_value = EXCLUDED.observed_value,
                expected_min = EXCLUDED.expected_min, expected_max = EXCLUDED.expected_max, reason = EXCLUDED.reason
            """;

    // A late reading re-emits its hour with a higher count; a replay must never lower it again.
    static final String UPSERT_COMPLETENESS = """
            INSERT INTO device_completeness (device_id, metric, hour, user_id, expected, received)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (device_id, metric, hour) DO UPDATE SET
                user_id = EXCLUDED.user_id, expected = EXCLUDED.expected,
                received = GREATEST(device_completeness.received, EXCLUDED.received)
            """;

    // A version is written when it opens and again when the next one closes it; once closed it stays
    // closed, so a replay that re-sends the open row cannot reopen it.
    static final String UPSERT_CALIBRATION = """
            INSERT INTO calibrations (id, user_id, device_id, metric, scale, "offset", valid_from, valid_to, source,
                fit_quality, pairs)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id, metric = EXCLUDED.metric,
                scale = EXCLUDED.scale, "offset" = EXCLUDED."offset", valid_from = EXCLUDED.valid_from,
                valid_to = COALESCE(EXCLUDED.valid_to, calibrations.valid_to), source = EXCLUDED.source,
                fit_quality = EXCLUDED.fit_quality, pairs = EXCLUDED.pairs
            """;

    static final String UPSERT_CALIBRATION_EVENT = """
            INSERT INTO calibration_events (id, user_id, device_id, metric, event_type, event_time, calibration_id,
                mard, bias, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
            ON CONFLICT (id) DO UPDATE SET
                user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id, metric = EXCLUDED.metric,
                event_type = EXCLUDED.event_type, event_time = EXCLUDED.event_time,
                calibration_id = EXCLUDED.calibration_id, mard = EXCLUDED.mard, bias = EXCLUDED.bias,
                details = EXCLUDED.details
            """;

    public static JdbcSink<Calibration> calibrations(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_CALIBRATION, PostgresSinks::bindCalibration);
    }

    public static JdbcSink<CalibrationEvent> calibrationEvents(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_CALIBRATION_EVENT, PostgresSinks::bindCalibrationEvent);
    }

    public static JdbcSink<DataPoint> dataPoints(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_DATA_POINT, PostgresSinks::bindDataPoint);
    }

    public static JdbcSink<DeviceUpdate> devices(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_DEVICE, PostgresSinks::bindDevice);
    }

    public static JdbcSink<QualityIssue> qualityIssues(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_QUALITY_ISSUE, PostgresSinks::bindQualityIssue);
    }

    public static JdbcSink<DeviceCompleteness> completeness(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_COMPLETENESS, PostgresSinks::bindCompleteness);
    }

    public static JdbcSink<DeviceAlert> alerts(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_ALERT, PostgresSinks::bindAlert);
    }

    public static JdbcSink<SyncSession> syncSessions(JdbcSettings jdbc) {
        return sink(jdbc, UPSERT_SYNC_SESSION, PostgresSinks::bindSyncSession);
    }

    static <T> JdbcSink<T> sink(JdbcSettings jdbc, String sql, JdbcStatementBuilder<T> binder) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(jdbc.batchSize())
                        .withBatchIntervalMs(jdbc.batchInterval().toMillis())
                        .withMaxRetries(jdbc.maxRetries())
                        .build())
                .buildAtLeastOnce(connection(jdbc));
    }

    public static JdbcConnectionOptions connection(JdbcSettings jdbc) {
        var b = new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(jdbc.url())
                .withDriverName("org.postgresql.Driver")
                .withUsername(jdbc.user());
        if (jdbc.password() != null) b.withPassword(jdbc.password());
        return b.build();
    }

    static void bindDataPoint(PreparedStatement ps, DataPoint p) throws SQLException {
        ps.setString(1, p.id);
        ps.setInt(2, p.revision);
        ps.setString(3, p.userId);
        ps.setString(4, p.deviceId);
        ps.setString(5, p.vendor);
        ps.setString(6, p.deviceModel);
        ps.setString(7, p.metric);
        setDouble(ps, 8, p.value);
        ps.setString(9, p.category);
        ps.setString(10, p.unit);
        ps.setString(11, p.rawValue);
        ps.setString(12, p.rawUnit);
        setInstant(ps, 13, p.startTime);
        setInstant(ps, 14, p.endTime != null ? p.endTime : p.startTime);
        ps.setString(15, p.timeSource);
        List<String> flags = p.flagNames();
        Array array = ps.getConnection().createArrayOf("text", flags.toArray());
        ps.setArray(16, array);
        setDouble(ps, 17, p.qualityScore);
        ps.setString(18, p.calibrationId);
        ps.setString(19, p.sourceRecordId);
        setInstant(ps, 20, p.ingestedAt);
        setDouble(ps, 21, p.anomalyScore);
    }

    static void bindCalibration(PreparedStatement ps, Calibration c) throws SQLException {
        ps.setString(1, c.id);
        ps.setString(2, c.userId);
        ps.setString(3, c.deviceId);
        ps.setString(4, c.metric);
        ps.setDouble(5, c.scale);
        ps.setDouble(6, c.offset);
        setInstant(ps, 7, c.validFrom);
        setInstant(ps, 8, c.validTo);
        ps.setString(9, c.source);
        setDouble(ps, 10, c.fitQuality);
        ps.setInt(11, c.pairs);
    }

    static void bindCalibrationEvent(PreparedStatement ps, CalibrationEvent e) throws SQLException {
        ps.setString(1, e.id);
        ps.setString(2, e.userId);
        ps.setString(3, e.deviceId);
        ps.setString(4, e.metric);
        ps.setString(5, e.eventType);
        setInstant(ps, 6, e.eventTime);
        ps.setString(7, e.calibrationId);
        setDouble(ps, 8, e.mard);
        setDouble(ps, 9, e.bias);
        ps.setString(10, e.details);
    }

    static void bindQualityIssue(PreparedStatement ps, QualityIssue i) throws SQLException {
        ps.setString(1, i.id);
        ps.setString(2, i.userId);
        ps.setString(3, i.deviceId);
        ps.setString(4, i.metric);
        ps.setString(5, i.rule);
        ps.setString(6, i.severity);
        setInstant(ps, 7, i.eventTime);
        ps.setString(8, i.dataPointId);
        setDouble(ps, 9, i.observedValue);
        setDouble(ps, 10, i.expectedMin);
        setDouble(ps, 11, i.expectedMax);
        ps.setString(12, i.reason);
    }

    static void bindCompleteness(PreparedStatement ps, DeviceCompleteness c) throws SQLException {
        ps.setString(1, c.deviceId);
        ps.setString(2, c.metric);
        setInstant(ps, 3, c.hour);
        ps.setString(4, c.userId);
        ps.setInt(5, c.expected);
        ps.setInt(6, c.received);
    }

    static void bindDevice(PreparedStatement ps, DeviceUpdate u) throws SQLException {
        ps.setString(1, u.deviceId);
        ps.setString(2, u.userId);
        ps.setString(3, u.vendor);
        ps.setString(4, u.deviceModel);
        setInstant(ps, 5, u.lastSeen);
        setInstant(ps, 6, u.lastSync);
        setDouble(ps, 7, u.batteryLevel);
        setInstant(ps, 8, u.batteryAt);
        ps.setString(9, u.status);
        setInstant(ps, 10, u.statusAt);
        ps.setString(11, u.batteryState);
        setInstant(ps, 12, u.batteryStateAt);
        setBoolean(ps, 13, u.charging);
        setBoolean(ps, 14, u.inCharger);
        setInstant(ps, 15, u.chargingAt);
        ps.setString(16, u.sensorErrorCode);
        ps.setString(17, u.sensorError);
        setInstant(ps, 18, u.sensorErrorAt);
    }

    static void bindAlert(PreparedStatement ps, DeviceAlert a) throws SQLException {
        ps.setString(1, a.id);
        ps.setString(2, a.userId);
        ps.setString(3, a.deviceId);
        ps.setString(4, a.alertType);
        ps.setString(5, a.metric);
        ps.setString(6, a.severity);
        ps.setString(7, a.status);
        setInstant(ps, 8, a.startedAt);
        setInstant(ps, 9, a.clearedAt);
        ps.setString(10, a.details);
    }

    static void bindSyncSession(PreparedStatement ps, SyncSession s) throws SQLException {
        ps.setString(1, s.id);
        ps.setString(2, s.userId);
        ps.setString(3, s.deviceId);
        ps.setString(4, s.syncId);
        ps.setString(5, s.status);
        setInstant(ps, 6, s.startedAt);
        setInstant(ps, 7, s.finishedAt);
        if (s.readings == null) ps.setNull(8, Types.INTEGER);
        else ps.setInt(8, s.readings);
        ps.setString(9, s.error);
        if (s.recommendedIntervalSeconds == null) ps.setNull(10, Types.INTEGER);
        else ps.setInt(10, s.recommendedIntervalSeconds);
        ps.setString(11, s.details);
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE);
        else ps.setDouble(i, v);
    }

    private static void setBoolean(PreparedStatement ps, int i, Boolean v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BOOLEAN);
        else ps.setBoolean(i, v);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(i, t.atOffset(java.time.ZoneOffset.UTC));
    }
}
