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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No false rejections: a day of clean simulated data from every vendor passes validation. For every
 * vendor on its own, at least 99.9 % of its readings carry none of the validation flags
 * (implausible value, impossible jump, suspect timestamp), every vendor is present among the
 * readings written, and nothing is dead-lettered. The per-vendor figures are printed.
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
        // Per vendor, not pooled: a vendor with few readings (WHOOP's daily records) could fail
        // validation wholesale and still hide under 99.9 % of a fleet dominated by CGMs.
        Map<String, long[]> byVendor = new TreeMap<>(); // vendor -> {readings, failed, outliers}
        Map<String, Long> rejectedByFlag = new TreeMap<>();
        for (DataPoint p : real) {
            long[] counts = byVendor.computeIfAbsent(p.vendor, v -> new long[3]);
            counts[0]++;
            boolean bad = false;
            for (QualityFlag f : List.of(QualityFlag.OUT_OF_RANGE, QualityFlag.IMPOSSIBLE_JUMP, QualityFlag.TIMESTAMP_SUSPECT)) {
                if (p.hasFlag(f)) {
                    rejectedByFlag.merge(f.name() + " " + p.vendor + "/" + p.metric, 1L, Long::sum);
                    bad = true;
                }
            }
            if (bad) counts[1]++;
            if (p.hasFlag(QualityFlag.OUTLIER)) counts[2]++;
        }
        System.out.printf("clean fleet: %d envelopes, %d readings, failed validation %s%n", envelopes.size(),
                real.size(), rejectedByFlag);
        byVendor.forEach((vendor, c) -> System.out.printf(Locale.ROOT,
                "clean fleet: %-12s %6d readings, %3d failed validation, %6.2f %% passed, %3d outliers (%.3f %%)%n",
                vendor, c[0], c[1], 100.0 * (c[0] - c[1]) / c[0], c[2], 100.0 * c[2] / c[0]));

        assertThat(real).hasSizeGreaterThan(10_000);
        // Every vendor the simulator sent has readings among the output, each passing on its own.
        assertThat(byVendor.keySet()).containsExactlyInAnyOrderElementsOf(vendors.keySet());
        byVendor.forEach((vendor, c) -> assertThat((double) (c[0] - c[1]) / c[0])
                .as("share of %s readings passing validation: %s", vendor, rejectedByFlag)
                .isGreaterThanOrEqualTo(0.999));
        // Reference measurements reach the calibration stage: a clean fleet's only dead letters are
        // the reports of the gaps the simulated Oura rings leave in their sleep series (null items,
        // which carry no measurement); the envelopes' other points are kept.
        assertThat(deadLetters.values()).allSatisfy(d -> {
            assertThat(d.reason + " " + d.vendor + "/" + d.kind).isEqualTo("NO_MEASUREMENT oura/sleep");
            assertThat(d.error).startsWith("no measurement in ").contains("null (the ring had no reading)");
        });
    }
}
