package com.vitasense.jobs;

import com.vitasense.calibration.CalibrationCorrection;
import com.vitasense.calibration.CalibrationKeys;
import com.vitasense.calibration.CalibrationOutputs;
import com.vitasense.calibration.CalibrationRules;
import com.vitasense.calibration.ReferenceDeviceMetrics;
import com.vitasense.calibration.ReferenceDevices;
import com.vitasense.calibration.UserCalibratingMarks;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.patterns.AlertLifecycle;
import com.vitasense.patterns.AlertRules;
import com.vitasense.patterns.CalibrationDriftPattern;
import com.vitasense.patterns.ConnectivityLostPattern;
import com.vitasense.patterns.ConnectivityWatchdog;
import com.vitasense.patterns.DevicePattern;
import com.vitasense.patterns.DevicePatterns;
import com.vitasense.patterns.NoiseBaseline;
import com.vitasense.patterns.SignalOrder;
import com.vitasense.patterns.SyncAdvisor;
import com.vitasense.quality.CrossDeviceAgreement;
import com.vitasense.quality.DeviceMetricQuality;
import com.vitasense.quality.QualityOutputs;
import com.vitasense.quality.QualityRules;
import com.vitasense.quality.QualityScore;
import com.vitasense.quality.ReadingAdmission;
import com.vitasense.quality.ReadingWatermarks;
import com.vitasense.records.AlertCondition;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceAlert;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.DeviceSignal;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import com.vitasense.records.RawRecord;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.vendors.EnvelopeParser;
import com.vitasense.vendors.MeasurementSplit;
import com.vitasense.vendors.RawRecordParser;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The device-data topology, shared by the streaming job, the backfill and the tests. Sources and
 * sinks come from the caller; everything between them is here, top to bottom.
 *
 * <p>Every operator has a stable {@code uid}: renaming one orphans its state in existing
 * savepoints, so treat them as part of the state format.
 */
public final class DevicePipeline {
    private DevicePipeline() {}

    /**
     * Settings every run of the topology needs, whatever the entry point. Generic (Kryo) types are
     * off: every record is a POJO with its own serializer, and a type that silently fell back to
     * Kryo would make state slow and unevolvable, so it must fail at job build time instead.
     */
    public static Configuration requiredConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * What the topology writes, for callers that account for it (the backfill counts them); the
     * sinks of {@link PipelineSinks} receive the same streams.
     *
     * @param points the data points, as written to {@code data_points}
     * @param qualityIssues the quality issues, as written to {@code quality_issues}
     * @param deadLetters the records that could not be processed
     */
    public record Outputs(DataStream<DataPoint> points, DataStream<QualityIssue> qualityIssues,
                          DataStream<DeadLetter> deadLetters) {}

    /** Adds the topology to {@code env}, reading {@code rawSource}. */
    public static Outputs build(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> rawSource,
                                PipelineSinks sinks, PipelineConfig config) {
        return build(rawStream(env, rawSource), sinks, config);
    }

    /**
     * The raw records of {@code rawSource} as the topology reads them, for callers that look at
     * them before {@link #build(DataStream, PipelineSinks, PipelineConfig)} does (the backfill
     * counts them for its progress). The uid is the topology's, so savepoints match either way.
     */
    public static DataStream<RawRecord> rawStream(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> rawSource) {
        // Raw records carry no event time until parsed; watermarks are assigned on the points.
        return env.fromSource(rawSource, WatermarkStrategy.noWatermarks(), "device-data-raw").uid("raw-source");
    }

    /** Adds the topology, from the raw records on. */
    public static Outputs build(DataStream<RawRecord> raw, PipelineSinks sinks, PipelineConfig config) {
        SingleOutputStreamOperator<ParsedMeasurement> parsed = raw
                .process(new RawRecordParser(new EnvelopeParser(), true))
                .uid("parse-normalize")
                .name("parse and normalize");
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(RawRecordParser.DEAD_LETTERS);

        QualityRules rules = config.qualityRules();
        // Batch input reaches keyed operators sorted by key and time only: admission then orders
        // the versions of a re-sent reading by receipt itself, as a stream receives them.
        boolean batch = raw.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                != RuntimeExecutionMode.STREAMING;
        // Event time is assigned before readings, references and device events part, so that all
        // carry the same watermarks, each record ahead of those that pass it (see ParsedMeasurement).
        SingleOutputStreamOperator<DataPoint> readings = parsed
                .assignTimestampsAndWatermarks(ReadingWatermarks.strategy(
                        config.maxOutOfOrderness(), config.sourceIdleness(), rules.clockSkew()))
                .uid("event-time")
                .name("event-time watermarks")
                .process(new MeasurementSplit())
                .uid("split-references")
                .name("readings, references, device events");
        DataStream<DeviceEvent> deviceEvents = readings.getSideOutput(MeasurementSplit.DEVICE_EVENTS);
        SingleOutputStreamOperator<DataPoint> admitted = readings
                .keyBy(ReadingAdmission.keySelector())
                .process(new ReadingAdmission(config.duplicateRetention(), rules.clockSkew(), batch))
                .uid("reading-admission")
                .name("de-duplicate, revise, flag late");

        // Admission and the series rules share the (device, metric) key and run in the same subtask.
        SingleOutputStreamOperator<DataPoint> checked = DataStreamUtils
                .reinterpretAsKeyedStream(admitted, ReadingAdmission.keySelector())
                .process(new DeviceMetricQuality(rules))
                .uid("device-metric-quality")
                .name("validate, gaps, jumps, outliers");

        SingleOutputStreamOperator<DataPoint> agreed = checked
                .keyBy(CrossDeviceAgreement.keySelector())
                .process(new CrossDeviceAgreement(rules))
                .uid("cross-device-agreement")
                .name("cross-device agreement");

        // The comparison releases a reading one window after its time: hold the watermark back as
        // much, so the stages after it see every reading ahead of their watermark (WatermarkHoldback).
        DataStream<DataPoint> scored = agreed
                .transform("agreement watermark holdback", agreed.getType(),
                        new WatermarkHoldback<DataPoint>(rules.longestAgreementWindow()))
                .uid("agreement-holdback")
                .map(new QualityScore())
                .uid("quality-score")
                .name("quality score");

        // Calibration after quality: the rules and the cross-device comparison judge what the
        // device measured; the correction then changes the published value (the raw value stays).
        // References carry the readings' watermarks from the split on: the stage's watermark is
        // the slower readings' one, and a reference never arrives after a watermark that passed it
        // unless it was late at the source already.
        CalibrationRules calibrationRules = config.calibrationRules();
        DataStream<ReferenceMeasurement> references = readings.getSideOutput(MeasurementSplit.REFERENCES);
        if (calibrationRules.hasReferenceDevices()) {
            // A more accurate device of the same user as reference. These references keep the
            // readings' watermark, which they follow on the same channels, so they reach the stage
            // before the watermark passes them.
            references = references.union(scored
                    .filter(new ReferenceDeviceMetrics(calibrationRules))
                    .uid("reference-device-metrics")
                    .name("metrics with a reference device")
                    .keyBy(ReferenceDevices.keySelector())
                    .process(new ReferenceDevices(calibrationRules))
                    .uid("reference-devices")
                    .name("reference devices"));
        }
        SingleOutputStreamOperator<DataPoint> calibrated = scored
                .keyBy(CalibrationKeys.points())
                .connect(references.keyBy(CalibrationKeys.references()))
                .process(new CalibrationCorrection(calibrationRules))
                .uid("calibration")
                .name("calibration: pair, fit, correct, drift");
        // Likewise for the calibration stage's tolerance, before the alert patterns.
        DataStream<DataPoint> points = calibrated
                .transform("calibration watermark holdback", calibrated.getType(),
                        new WatermarkHoldback<DataPoint>(calibrationRules.longestTolerance()))
                .uid("calibration-holdback");

        DataStream<CalibrationEvent> calibrationStageEvents = calibrated.getSideOutput(CalibrationOutputs.EVENTS);
        DataStream<CalibrationEvent> calibrationEvents = calibrationStageEvents
                .union(deviceEvents.flatMap(new UserCalibratingMarks()).uid("user-calibrating").name("user calibrating marks"));
        calibrationEvents.sinkTo(sinks.calibrationEventTable()).uid("sink-calibration-events").name("calibration_events");
        calibrationEvents.sinkTo(sinks.calibrationEventTopic()).uid("sink-calibration-event-topic").name("calibration-events");
        calibrated.getSideOutput(CalibrationOutputs.VERSIONS)
                .sinkTo(sinks.calibrationTable()).uid("sink-calibrations").name("calibrations");

        DataStream<QualityIssue> issues = admitted.getSideOutput(QualityOutputs.ISSUES)
                .union(checked.getSideOutput(QualityOutputs.ISSUES), agreed.getSideOutput(QualityOutputs.ISSUES));
        issues.sinkTo(sinks.qualityIssueTable()).uid("sink-quality-issues").name("quality_issues");
        issues.sinkTo(sinks.qualityIssueTopic()).uid("sink-quality-issue-topic").name("data-quality-issues");
        checked.getSideOutput(QualityOutputs.COMPLETENESS)
                .sinkTo(sinks.completenessTable()).uid("sink-completeness").name("device_completeness");

        points.sinkTo(sinks.dataPointTable()).uid("sink-data-points").name("data_points");
        points.sinkTo(sinks.processedTopic()).uid("sink-processed-topic").name("device-data-processed");

        // A filled-in point says nothing about when the device was last heard from.
        DataStream<DataPoint> realReadings = points.filter(p -> !p.hasFlag(QualityFlag.INTERPOLATED))
                .uid("real-readings").name("real readings");

        DataStream<DeviceUpdate> statusChanges = alerts(realReadings, deviceEvents, issues,
                checked.getSideOutput(QualityOutputs.COMPLETENESS),
                // Drift comes from the calibration stage itself, not from the user-calibrating marks.
                calibrationStageEvents, sinks, config, batch);

        realReadings
                .map(DeviceUpdate::seen).uid("device-seen").name("device seen")
                .union(deviceEvents.map(DeviceUpdate::from).uid("device-status").name("device status"), statusChanges)
                // One writer per device: two subtasks upserting the same row in opposite orders
                // within their batches deadlock in PostgreSQL.
                .keyBy(DeviceUpdate::deviceKey)
                .sinkTo(sinks.deviceTable()).uid("sink-devices").name("devices");

        deadLetters.sinkTo(sinks.deadLetters()).uid("sink-dead-letters").name("device-data-dlq");
        return new Outputs(points, issues, deadLetters);
    }

    /**
     * The device and sync patterns and the alert lifecycle: readings, device events, quality issues
     * and completeness become per-device signals in event time; each pattern runs as its own CEP
     * operator on the signals it looks at (per device, or per sensor for the series patterns); the
     * lifecycle turns their conditions into raised and cleared alerts. Returns the device status
     * changes, which the caller writes with the other device updates (one writer per device).
     */
    private static DataStream<DeviceUpdate> alerts(DataStream<DataPoint> readings, DataStream<DeviceEvent> deviceEvents,
                                                   DataStream<QualityIssue> issues,
                                                   DataStream<DeviceCompleteness> completeness,
                                                   DataStream<CalibrationEvent> calibrationEvents, PipelineSinks sinks,
                                                   PipelineConfig config, boolean batch) {
        AlertRules rules = config.alertRules();
        DataStream<DeviceSignal> readingSignals = readings.map(DeviceSignal::from).uid("reading-signals").name("reading signals");
        // Device events carry their own time and the readings' watermarks from the split on.
        DataStream<DeviceSignal> eventSignals = deviceEvents
                .filter(e -> DeviceSignal.from(e) != null).uid("event-signal-filter").name("events with signals")
                .map(DeviceSignal::from).uid("event-signals").name("device event signals");
        DataStream<DeviceSignal> signals = readingSignals.union(eventSignals,
                issues.map(DeviceSignal::from).uid("issue-signals").name("quality issue signals"),
                completeness.map(DeviceSignal::from).uid("completeness-signals").name("completeness signals"),
                // Drift the calibration stage found at a reference; the pattern alerts when it persists.
                calibrationEvents
                        .filter(e -> CalibrationDriftPattern.reportsDrift(e.eventType))
                        .uid("drift-events").name("calibration drift events")
                        .map(e -> DeviceSignal.calibrationDrift(e.userId, e.deviceId, e.metric, e.eventTime, e.mard, e.bias))
                        .uid("drift-signals").name("calibration drift signals"));

        KeyedStream<DeviceSignal, String> byDevice = signals.keyBy(DeviceSignal::deviceKey);
        List<DevicePattern> patterns = DevicePatterns.all(rules);
        // The series patterns see readings with their sensor's noise baseline.
        DataStream<DeviceSignal> withNoise = readingSignals
                .filter(s -> patterns.stream().anyMatch(p -> p.key() == DevicePattern.Key.SERIES && p.accepts(s)))
                .uid("series-signals").name("series pattern readings")
                .keyBy(DeviceSignal::seriesKey)
                .process(new NoiseBaseline(rules)).uid("noise-baseline").name("sensor noise baseline");

        DataStream<AlertCondition> conditions = null;
        for (DevicePattern p : patterns) {
            DataStream<DeviceSignal> source = p.key() == DevicePattern.Key.SERIES ? withNoise : byDevice;
            KeySelector<DeviceSignal, String> key = p.key() == DevicePattern.Key.SERIES
                    ? DeviceSignal::seriesKey : DeviceSignal::deviceKey;
            // Filtering keeps the partitioning, so the input stays keyed without another shuffle.
            KeyedStream<DeviceSignal, String> input = DataStreamUtils.reinterpretAsKeyedStream(
                    source.filter(p::accepts).uid(p.uid() + "-input").name(p.type() + " input"), key);
            SingleOutputStreamOperator<AlertCondition> matched = CEP.pattern(input, p.pattern(), new SignalOrder()).inEventTime()
                    .process(p.process(), TypeInformation.of(AlertCondition.class))
                    .uid(p.uid()).name(p.type() + " pattern");
            DataStream<AlertCondition> out = p.process() instanceof TimedOutPartialMatchHandler<?>
                    ? matched.union(matched.getSideOutput(DevicePattern.TIMED_OUT)) : matched;
            conditions = conditions == null ? out : conditions.union(out);
        }
        if (!batch) {
            // Wall-clock staleness exists only while streaming; the gap pattern is its event-time twin.
            DevicePattern connectivity = new ConnectivityLostPattern(rules);
            conditions = conditions.union(DataStreamUtils.reinterpretAsKeyedStream(
                            byDevice.filter(connectivity::accepts).uid("watchdog-input").name("watchdog input"),
                            DeviceSignal::deviceKey)
                    .process(new ConnectivityWatchdog(rules)).uid("connectivity-watchdog").name("connectivity watchdog"));
        }

        SingleOutputStreamOperator<DeviceAlert> alerts = conditions
                .keyBy(c -> c.deviceId)
                .process(new AlertLifecycle(rules)).uid("alert-lifecycle").name("alert lifecycle");
        alerts.sinkTo(sinks.alertTable()).uid("sink-alerts").name("device_alerts");
        alerts.sinkTo(sinks.alertTopic()).uid("sink-alert-topic").name("device-anomalies");

        DataStreamUtils.reinterpretAsKeyedStream(
                        byDevice.filter(SyncAdvisor::accepts).uid("sync-input").name("sync monitor input"),
                        DeviceSignal::deviceKey)
                .process(new SyncAdvisor(rules)).uid("sync-monitor").name("sync sessions and interval")
                .sinkTo(sinks.syncSessionTable()).uid("sink-sync-sessions").name("sync_sessions");

        return alerts.getSideOutput(AlertLifecycle.STATUS);
    }
}
