package com.vitasense.jobs;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.QualityIssue;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the topology's outputs go. Production passes JDBC and Kafka sinks; tests pass collecting
 * sinks; a backfill may pass no-op sinks for the topics it does not publish to.
 *
 * @param dataPointTable upserts into {@code data_points}
 * @param processedTopic {@code device-data-processed}, keyed by device id
 * @param deviceTable upserts into {@code devices}
 * @param deadLetters {@code device-data-dlq}
 * @param qualityIssueTable upserts into {@code quality_issues}
 * @param qualityIssueTopic {@code data-quality-issues}, keyed by device id
 * @param completenessTable upserts into {@code device_completeness}
 */
public record PipelineSinks(
        Sink<DataPoint> dataPointTable,
        Sink<DataPoint> processedTopic,
        Sink<DeviceUpdate> deviceTable,
        Sink<DeadLetter> deadLetters,
        Sink<QualityIssue> qualityIssueTable,
        Sink<QualityIssue> qualityIssueTopic,
        Sink<DeviceCompleteness> completenessTable) {}
