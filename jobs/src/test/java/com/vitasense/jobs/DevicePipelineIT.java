package com.vitasense.jobs;

import com.vitasense.jobs.testing.TestFlinkCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.BoundedRawSource;
import com.vitasense.jobs.testing.CollectingSink;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.quality.QualityRules;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceCompleteness;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.Json;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared topology on bounded input with collecting sinks, in streaming and in batch mode:
 * both must give the same points, flags, quality issues, completeness, device updates and dead
 * letters. The input exercises every quality rule once.
 */
class DevicePipelineIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void sameResultsInStreamingAndBatch(RuntimeExecutionMode mode) throws Exception {
        // In time order: each half of the input goes to one source subtask, and each half must stay
        // within the out-of-orderness bound, or streaming would rightly flag readings LATE.
        List<String> input = List.of(
                Envelopes.point("u-1", "cgm-1", "glucose", 6.0, "mmol/L", at(0)),
                Envelopes.point("u-1", "cgm-1", "glucose", 6.0, "mmol/L", at(0)),      // exact repeat
                Envelopes.point("u-1", "watch-1", "heart_rate", 70, "bpm", at(1)),
                Envelopes.point("u-1", "ring-1", "skin_temperature", 93.2, "degF", at(1)),
                Envelopes.point("u-1", "ring-1", "heart_rate", 100, "bpm", at(1).plusSeconds(20)),
                Envelopes.battery("u-1", "cgm-1", 15, at(2)),
                Envelopes.point("u-1", "cgm-1", "glucose", 110, "mg/dL", at(5)),
                Envelopes.point("u-1", "cgm-1", "glucose", 120, "mg/dL", at(15)),      // one reading missing
                Envelopes.point("u-1", "cgm-1", "glucose", 400, "mg/dL", at(16)),      // +280 in 1 min
                Envelopes.point("u-1", "cgm-1", "glucose", 1500, "mg/dL", at(20)),     // implausible
                Envelopes.point("u-1", "cgm-1", "glucose", 200, "mg/dL", at(25)),      // +80 in 10 min: plausible
                Envelopes.point("u-1", "cgm-1", "glucose", 125, "mg/dL", at(30)),
                Envelopes.point("u-1", "cgm-1", "glucose", 130, "mg/dL", at(80)),      // nine missing
                "not json at all",
                Envelopes.envelope("acme_wearables", "heartrate", "u-1", "acme-1", T0, Json.mapper().createObjectNode()));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        CollectingSink<DataPoint> points = new CollectingSink<>();
        CollectingSink<DataPoint> processed = new CollectingSink<>();
        CollectingSink<DeviceUpdate> devices = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        CollectingSink<QualityIssue> issues = new CollectingSink<>();
        CollectingSink<QualityIssue> issueTopic = new CollectingSink<>();
        CollectingSink<DeviceCompleteness> completeness = new CollectingSink<>();
        Properties overrides = new Properties();
        overrides.setProperty("interval.canonical.glucose", "5m");
        DevicePipeline.build(env, BoundedRawSource.of("device-data-raw", input),
                new PipelineSinks(points, processed, devices, deadLetters, issues, issueTopic, completeness,
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>()),
                // Idleness longer than the job: a source subtask that starts late must not be skipped,
                // or its readings would be LATE in streaming and the modes would differ.
                new PipelineConfig(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofHours(48),
                        QualityRules.defaults().withProperties(overrides)));
        env.execute("device-pipeline-" + mode);

        assertThat(points.values().stream().map(DevicePipelineIT::describe)).containsExactlyInAnyOrder(
                "08:00 cgm-1 glucose 108.09 mg/dL [] q=1.0",
                "08:05 cgm-1 glucose 110.00 mg/dL [] q=1.0",
                "08:10 cgm-1 glucose 115.00 mg/dL [INTERPOLATED] q=0.5",
                "08:15 cgm-1 glucose 120.00 mg/dL [] q=1.0",
                "08:16 cgm-1 glucose 400.00 mg/dL [IMPOSSIBLE_JUMP] q=0.2",
                "08:20 cgm-1 glucose 1500.00 mg/dL [OUT_OF_RANGE] q=0.0",
                "08:25 cgm-1 glucose 200.00 mg/dL [] q=1.0",
                "08:30 cgm-1 glucose 125.00 mg/dL [] q=1.0",
                "09:20 cgm-1 glucose 130.00 mg/dL [] q=1.0",
                "08:01 watch-1 heart_rate 70.00 bpm [DEVICE_DISAGREEMENT] q=0.7",
                "08:01 ring-1 heart_rate 100.00 bpm [DEVICE_DISAGREEMENT] q=0.7",
                "08:01 ring-1 skin_temperature 34.00 degC [] q=1.0");
        assertThat(processed.values()).containsExactlyInAnyOrderElementsOf(points.values());
        assertThat(points.values().stream().map(p -> p.id).distinct()).hasSize(12);

        assertThat(issues.values().stream().map(i -> i.rule + " " + i.severity + " " + i.deviceId + " " + i.observedValue))
                .containsExactlyInAnyOrder(
                        "OUT_OF_RANGE WARNING cgm-1 1500.0",
                        "IMPOSSIBLE_JUMP WARNING cgm-1 400.0",
                        "DATA_GAP INFO cgm-1 130.0",
                        "DEVICE_DISAGREEMENT WARNING watch-1 70.0",
                        "DEVICE_DISAGREEMENT WARNING ring-1 100.0");
        assertThat(issueTopic.values()).containsExactlyInAnyOrderElementsOf(issues.values());
        assertThat(issues.values().stream().map(i -> i.id).distinct()).hasSize(5);
        assertThat(issues.values()).allSatisfy(i -> assertThat(points.values().stream().map(p -> p.id))
                .contains(i.dataPointId));

        assertThat(completeness.values().stream().map(c -> c.deviceId + " " + c.metric + " " + c.hour + " "
                + c.received + "/" + c.expected)).containsExactlyInAnyOrder(
                "cgm-1 glucose " + at(0) + " 7/12",
                "cgm-1 glucose " + at(60) + " 1/12");

        assertThat(deadLetters.values().stream().map(d -> d.reason + " " + d.offset))
                .containsExactlyInAnyOrder("MALFORMED_JSON 13", "UNKNOWN_VENDOR 14");

        Map<String, Instant> lastSeen = new TreeMap<>();
        devices.values().stream().filter(u -> u.lastSeen != null)
                .forEach(u -> lastSeen.merge(u.deviceId, u.lastSeen, (a, b) -> a.isAfter(b) ? a : b));
        assertThat(lastSeen).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cgm-1", at(80), "watch-1", at(1), "ring-1", at(1).plusSeconds(20)));
        assertThat(devices.values().stream().map(u -> u.batteryLevel).filter(Objects::nonNull).collect(Collectors.toList()))
                .containsExactly(15.0);
    }

    private static String describe(DataPoint p) {
        List<String> flags = p.flags().stream().map(QualityFlag::name).sorted().toList();
        return String.format("%s %s %s %.2f %s %s q=%s", p.startTime.toString().substring(11, 16), p.deviceId, p.metric,
                p.value, p.unit, flags, p.qualityScore);
    }
}
