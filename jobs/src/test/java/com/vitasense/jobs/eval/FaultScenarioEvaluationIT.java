package com.vitasense.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.io.JsonLinesEnvelopeWriter;
import com.vitasense.jobs.simulate.FaultScenario;
import com.vitasense.jobs.simulate.SimulatedEnvelope;
import com.vitasense.jobs.simulate.Simulate;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.patterns.AlertType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labelled evaluation end to end on a small fault scenario (8 patients, 2 days): the scenario
 * written as files, as {@code ./vitasense simulate --scenario faults} writes them, and scored by
 * {@code ./vitasense evaluate-alerts}'s code on the batch pipeline. Every alert type reaches the
 * goal of 95 % precision and recall.
 */
class FaultScenarioEvaluationIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    @TempDir
    Path dir;

    @Test
    void everyAlertTypeReachesNinetyFivePercentPrecisionAndRecall() throws Exception {
        FaultScenario.Result scenario = new FaultScenario(42, 8, Simulate.DEFAULT_START, Duration.ofHours(48)).run();
        Path input = dir.resolve("faults.jsonl");
        Path labels = dir.resolve("labels.json");
        try (JsonLinesEnvelopeWriter out = new JsonLinesEnvelopeWriter(input)) {
            for (SimulatedEnvelope e : scenario.envelopes()) out.write(e.key(), e.json());
        }
        AlertLabels.write(labels, scenario.labels());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        EvaluateAlerts.Report report;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            report = EvaluateAlerts.run(new EvaluateAlerts.Options(input, labels, EvaluateAlerts.DEFAULT_TOLERANCE, 2,
                    PipelineConfig.defaults()), out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        assertThat(report.deadLetters()).isZero();
        for (AlertType type : AlertType.values()) {
            AlertMatching.Score s = report.result().score(type);
            assertThat(s.labeled()).as(type + " episodes in the scenario").isPositive();
            assertThat(s.precision()).as(type + " precision\n" + text).isGreaterThanOrEqualTo(0.95);
            assertThat(s.recall()).as(type + " recall\n" + text).isGreaterThanOrEqualTo(0.95);
        }
        assertThat(text).contains("alert type").contains("overall");
    }
}
