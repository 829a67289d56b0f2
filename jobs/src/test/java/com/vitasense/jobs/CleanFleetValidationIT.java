package com.vitasense.jobs;

import com.vitasense.jobs.testing.TestFlinkCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.simulate.FleetSimulator;
import com.vitasense.jobs.testing.BoundedRawSource;
import com.vitasense.jobs.testing.CollectingSink;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.QualityIssue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No false rejections: a day of clean simulated data from every vendor passes validation. At least
 * 99.9 % of its readings carry none of the validation flags (implausible value, impossible jump,
 * suspect timestamp), and nothing but the not-yet-consumed calibration references is dead-lettered.
 */
class CleanFleetValidationIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    @Test
    void cleanDataFromEveryVendorPassesValidation() throws Exception {
        FleetSimulator fleet = new FleetSimulator(7, 4, Instant.parse("2026-11-26T00:00:00Z"), 0.0);
        List<String> envelopes = new ArrayList<>();
        Map<String, Integer> vendors = new TreeMap<>();
        fleet.advance(Duration.ofHours(24), e -> {
            envelopes.add(e.json());
            vendors.merge(e.vendor(), 1, Integer::sum);
        });
        assertThat(vendors.keySet()).contains("apple_health", "canonical", "dexcom", "fitbit", "libre", "nightscout",
                "oura", "whoop");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        CollectingSink<DataPoint> points = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        CollectingSink<QualityIssue> issues = new CollectingSink<>();
        DevicePipeline.build(env, BoundedRawSource.of("device-data-raw", envelopes),
                new PipelineSinks(points, new CollectingSink<>(), new CollectingSink<>(), deadLetters, issues,
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>()),
                PipelineConfig.defaults());
        env.execute("clean-fleet-validation");

        List<DataPoint> real = points.values().stream().filter(p -> !p.hasFlag(QualityFlag.INTERPOLATED)).toList();
        Map<String, Long> rejectedByFlag = new TreeMap<>();
        long rejected = 0;
        for (DataPoint p : real) {
            boolean bad = false;
            for (QualityFlag f : List.of(QualityFlag.OUT_OF_RANGE, QualityFlag.IMPOSSIBLE_JUMP, QualityFlag.TIMESTAMP_SUSPECT)) {
                if (p.hasFlag(f)) {
                    rejectedByFlag.merge(f.name() + " " + p.vendor + "/" + p.metric, 1L, Long::sum);
                    bad = true;
                }
            }
            if (bad) rejected++;
        }
        long outliers = real.stream().filter(p -> p.hasFlag(QualityFlag.OUTLIER)).count();
        System.out.printf("clean fleet: %d envelopes, %d readings, %d failed validation %s, %d outliers (%.3f %%)%n",
                envelopes.size(), real.size(), rejected, rejectedByFlag, outliers, 100.0 * outliers / real.size());

        assertThat(real).hasSizeGreaterThan(10_000);
        assertThat((double) rejected / real.size()).as("share failing validation: " + rejectedByFlag).isLessThanOrEqualTo(0.001);
        // Reference measurements reach the calibration stage: a clean fleet's only dead letters are
        // the reports of the gaps the simulated Oura rings leave in their sleep series (null items,
        // which carry no measurement); the envelopes' other points are kept.
        assertThat(deadLetters.values()).allSatisfy(d -> {
            assertThat(d.reason + " " + d.vendor + "/" + d.kind).isEqualTo("NO_MEASUREMENT oura/sleep");
            assertThat(d.error).startsWith("no measurement in ").contains("null (the ring had no reading)");
        });
    }
}
