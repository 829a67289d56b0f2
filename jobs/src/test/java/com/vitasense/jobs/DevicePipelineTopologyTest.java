package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.BoundedRawSource;
import com.vitasense.jobs.testing.CollectingSink;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The shape of the topology: every operator named and with a stable uid. Savepoints map state to
 * operators by uid, so this list changes only together with a state migration note.
 */
class DevicePipelineTopologyTest {

    @Test
    void everyOperatorHasAStableUidAndAName() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        DevicePipeline.build(env, BoundedRawSource.of("raw", List.of()),
                new PipelineSinks(new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>()),
                PipelineConfig.defaults());
        StreamGraph graph = env.getStreamGraph();

        List<String> uids = graph.getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
        assertThat(uids).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(graph.getStreamNodes()).allSatisfy(n -> assertThat(n.getOperatorName()).isNotBlank());
        // Sink V2 adds writer/committer nodes whose uids derive from the sink's uid.
        assertThat(uids).contains(
                "raw-source", "parse-normalize", "event-time", "split-references", "reading-admission",
                "device-metric-quality", "cross-device-agreement", "agreement-holdback", "quality-score", "calibration",
                "calibration-holdback", "user-calibrating",
                "device-seen", "device-status",
                "reading-signals", "event-signals", "issue-signals", "completeness-signals",
                "noise-baseline", "pattern-battery-low", "pattern-battery-critical", "pattern-flatline", "pattern-spike",
                "pattern-sensor-error", "pattern-quality-degraded", "pattern-calibration-drift",
                "pattern-connectivity-lost", "pattern-sync-timeout", "pattern-sync-failing", "pattern-data-incomplete",
                "pattern-sync-conflict", "drift-events", "drift-signals", "connectivity-watchdog", "alert-lifecycle", "sync-monitor");
        assertThat(uids).anyMatch(u -> u.startsWith("sink-data-points"))
                .anyMatch(u -> u.startsWith("sink-processed-topic"))
                .anyMatch(u -> u.startsWith("sink-devices"))
                .anyMatch(u -> u.startsWith("sink-dead-letters"))
                .anyMatch(u -> u.startsWith("sink-quality-issues"))
                .anyMatch(u -> u.startsWith("sink-quality-issue-topic"))
                .anyMatch(u -> u.startsWith("sink-completeness"))
                .anyMatch(u -> u.startsWith("sink-calibrations"))
                .anyMatch(u -> u.startsWith("sink-calibration-events"))
                .anyMatch(u -> u.startsWith("sink-calibration-event-topic"))
                .anyMatch(u -> u.startsWith("sink-alerts"))
                .anyMatch(u -> u.startsWith("sink-alert-topic"))
                .anyMatch(u -> u.startsWith("sink-sync-sessions"));
    }

    @Test
    void referenceDevicesAddTheirOwnStatefulOperatorWithAUid() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("calibration.metrics", "glucose,heart_rate");
        p.setProperty("calibration.reference-device.heart_rate", "Polar H10");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        DevicePipeline.build(env, BoundedRawSource.of("raw", List.of()),
                new PipelineSinks(new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>()),
                PipelineConfig.defaults().withCalibrationRules(
                        com.vitasense.calibration.CalibrationRules.defaults().withProperties(p)));
        List<String> uids = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
        assertThat(uids).doesNotContainNull().doesNotHaveDuplicates()
                .contains("reference-device-metrics", "reference-devices", "calibration");
    }
}
