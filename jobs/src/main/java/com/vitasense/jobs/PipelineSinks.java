package com.vitasense.jobs;

import com.vitasense.jobs.config.JdbcSettings;
import com.vitasense.jobs.config.KafkaSettings;
import com.vitasense.jobs.io.KafkaConnectors;
import com.vitasense.jobs.io.PostgresSinks;
import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.SyncSession;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Where the topology's outputs go. Production passes JDBC and Kafka sinks; tests pass collecting
 * sinks; a backfill passes discarding sinks for the topics it does not publish to.
 *
 * @param dataPointTable upserts into {@code data_points}
 * @param processedTopic {@code device-data-processed}, keyed by device id
 * @param deviceTable upserts into {@code devices}
 * @param deadLetters {@code device-data-dlq}
 * @param qualityIssueTable upserts into {@code quality_issues}
 * @param qualityIssueTopic {@code data-quality-issues}, keyed by device id
 * @param completenessTable upserts into {@code device_completeness}
 * @param calibrationTable upserts into {@code calibrations} (a version again when it closes)
 * @param calibrationEventTable upserts into {@code calibration_events}
 * @param calibrationEventTopic {@code calibration-events}, keyed by device id
 * @param alertTable upserts into {@code device_alerts}
 * @param alertTopic {@code device-anomalies}, keyed by device id
 * @param syncSessionTable upserts into {@code sync_sessions}
 */
public record PipelineSinks(
        Sink<DataPoint> dataPointTable,
        Sink<DataPoint> processedTopic,
        Sink<DeviceUpdate> deviceTable,
        Sink<DeadLetter> deadLetters,
        Sink<QualityIssue> qualityIssueTable,
        Sink<QualityIssue> qualityIssueTopic,
        Sink<DeviceCompleteness> completenessTable,
        Sink<Calibration> calibrationTable,
        Sink<CalibrationEvent> calibrationEventTable,
        Sink<CalibrationEvent> calibrationEventTopic,
        Sink<DeviceAlert> alertTable,
        Sink<DeviceAlert> alertTopic,
        Sink<SyncSession> syncSessionTable) {

    /** Production: idempotent JDBC upserts into the tables and JSON records on the topics of {@code kafka}. */
    public static PipelineSinks tablesAndTopics(JdbcSettings jdbc, KafkaSettings kafka) {
        return new PipelineSinks(
                PostgresSinks.dataPoints(jdbc),
                KafkaConnectors.<DataPoint>jsonSink(kafka, kafka.topics().processed(), p -> p.deviceId),
                PostgresSinks.devices(jdbc),
                KafkaConnectors.jsonSink(kafka, kafka.topics().deadLetters(), null),
                PostgresSinks.qualityIssues(jdbc),
                KafkaConnectors.<QualityIssue>jsonSink(kafka, kafka.topics().qualityIssues(), i -> i.deviceId),
                PostgresSinks.completeness(jdbc),
                PostgresSinks.calibrations(jdbc),
                PostgresSinks.calibrationEvents(jdbc),
                KafkaConnectors.<CalibrationEvent>jsonSink(kafka, kafka.topics().calibrationEvents(), e -> e.deviceId),
                PostgresSinks.alerts(jdbc),
                KafkaConnectors.<DeviceAlert>jsonSink(kafka, kafka.topics().anomalies(), a -> a.deviceId),
                PostgresSinks.syncSessions(jdbc));
    }

    /**
     * The tables only: what the topics would get is dropped (a backfill that must not replay
     * history to the topics' consumers). Flink's own {@link DiscardingSink} is the Sink V2 that
     * drops records, and it allows speculative execution in batch mode.
     */
    public static PipelineSinks tablesOnly(JdbcSettings jdbc) {
        return new PipelineSinks(
                PostgresSinks.dataPoints(jdbc),
                new DiscardingSink<>(),
                PostgresSinks.devices(jdbc),
                new DiscardingSink<>(),
                PostgresSinks.qualityIssues(jdbc),
                new DiscardingSink<>(),
                PostgresSinks.completeness(jdbc),
                PostgresSinks.calibrations(jdbc),
                PostgresSinks.calibrationEvents(jdbc),
                new DiscardingSink<>(),
                PostgresSinks.alerts(jdbc),
                new DiscardingSink<>(),
                PostgresSinks.syncSessions(jdbc));
    }

    /** Everything dropped: a run measured for its processing alone (the benchmark without a database). */
    public static PipelineSinks discardingAll() {
        return new PipelineSinks(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>());
    }
}
