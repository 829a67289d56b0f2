package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.BoundedRawSource;
import com.vitasense.jobs.testing.CollectingSink;
import com.vitasense.jobs.testing.Envelopes;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeviceUpdate;
import com.vitasense.records.QualityFlag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared topology on bounded input with collecting sinks, in streaming and in batch mode:
 * both must give the same points, device updates and dead letters.
 */
class DevicePipelineIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void sameResultsInStreamingAndBatch(RuntimeExecutionMode mode) throws Exception {
        List<String> input = List.of(
                Envelopes.point("u-1", "cgm-1", "glucose", 6.0, "mmol/L", T0),
                Envelopes.point("u-1", "cgm-1", "glucose", 6.0, "mmol/L", T0),
                Envelopes.point("u-1", "cgm-1", "glucose", 1500, "mg/dL", T0.plusSeconds(300)),
                Envelopes.point("u-1", "ring-1", "skin_temperature", 93.2, "degF", T0.plusSeconds(60)),
                Envelopes.battery("u-1", "cgm-1", 15, T0.plusSeconds(120)),
                "not json at all",
                Envelopes.envelope("oura", "heartrate", "u-1", "ring-1", T0,
                        com.vitasense.records.Json.mapper().createObjectNode()));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        CollectingSink<DataPoint> points = new CollectingSink<>();
        CollectingSink<DataPoint> processed = new CollectingSink<>();
        CollectingSink<DeviceUpdate> devices = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        DevicePipeline.build(env, BoundedRawSource.of("device-data-raw", input),
                new PipelineSinks(points, processed, devices, deadLetters),
                new PipelineConfig(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofHours(48)));
        env.execute("device-pipeline-" + mode);

        assertThat(points.values().stream().map(DevicePipelineIT::describe))
                .containsExactlyInAnyOrder(
                        "cgm-1 glucose 108.09 mg/dL r1 []",
                        "cgm-1 glucose 1500.00 mg/dL r1 [OUT_OF_RANGE]",
                        "ring-1 skin_temperature 34.00 degC r1 []");
        assertThat(processed.values()).containsExactlyInAnyOrderElementsOf(points.values());
        assertThat(points.values().stream().map(p -> p.id).collect(Collectors.toSet())).hasSize(3);

        assertThat(deadLetters.values().stream().map(d -> d.reason + " " + d.offset))
                .containsExactlyInAnyOrder("MALFORMED_JSON 5", "MISSING_FIELD 6");

        Set<String> deviceRows = devices.values().stream()
                .map(u -> u.deviceId + " seen=" + u.lastSeen + " battery=" + u.batteryLevel)
                .collect(Collectors.toSet());
        assertThat(deviceRows).containsExactlyInAnyOrder(
                "cgm-1 seen=" + T0 + " battery=null",
                "cgm-1 seen=" + T0.plusSeconds(300) + " battery=null",
                "ring-1 seen=" + T0.plusSeconds(60) + " battery=null",
                "cgm-1 seen=null battery=15.0");
    }

    private static String describe(DataPoint p) {
        List<String> flags = p.flags().stream().map(QualityFlag::name).sorted().toList();
        return String.format("%s %s %.2f %s r%d %s", p.deviceId, p.metric, p.value, p.unit, p.revision, flags);
    }
}
