package com.vitasense.jobs.nab;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.quality.DeviceMetricQuality;
import com.vitasense.quality.OutlierDetector;
import com.vitasense.quality.QualityRules;
import com.vitasense.quality.ReadingAdmission;
import com.vitasense.records.DataPoint;
import com.vitasense.records.Ids;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./vitasense nab}'s flag is 1 exactly where the pipeline sets OUTLIER: NAB series run
 * through the pipeline's own quality operators ({@link ReadingAdmission}, then {@link
 * DeviceMetricQuality} with the default rules) as one device's readings of a metric with no
 * per-metric settings (so the detector is {@link OutlierDetector#generic()}, as in the command),
 * received in file order with the watermark following every reading by the default
 * out-of-orderness, and the pipeline's flags and scores are compared row by row with {@link
 * NabCommand#replay}.
 *
 * <p>The two files with irregular times are the point: {@code ec2_request_latency_system_failure}
 * repeats a time twelve times (revisions of one reading), {@code
 * machine_temperature_system_failure} steps back an hour (late readings, and revisions of the two
 * still held). The others check the plain case and a week-long gap.
 */
class NabPipelineEquivalenceTest {
    private static final String METRIC = "nab_value";
    private static final Duration OUT_OF_ORDERNESS = PipelineConfig.defaults().maxOutOfOrderness();

    @ParameterizedTest
    @ValueSource(strings = {
            "realKnownCause/ec2_request_latency_system_failure.csv",
            "realKnownCause/machine_temperature_system_failure.csv",
            "realKnownCause/ambient_temperature_system_failure.csv",
            "artificialWithAnomaly/art_daily_jumpsup.csv"})
    void nabFlagsAreThePipelinesOutlierFlags(String file) throws Exception {
        NabSeries series = NabSeries.read(NabCommandTest.repositoryRoot().resolve("data/nab/data").resolve(file));
        assertThat(OutlierDetector.forMetric(METRIC)).isSameAs(OutlierDetector.generic());
        NabCommand.Verdicts command = NabCommand.replay(OutlierDetector.generic(), series, OUT_OF_ORDERNESS);
        Map<Integer, DataPoint> pipeline = throughThePipeline(series);

        int outliers = 0;
        for (int i = 0; i < series.size(); i++) {
            DataPoint p = pipeline.get(i);
            boolean scored = p != null && p.anomalyScore != null;
            String row = String.format("%s row %d (%s)", file, i + 2, series.timestampTexts().get(i));
            assertThat(command.flags()[i]).as(row).isEqualTo(p != null && p.hasFlag(QualityFlag.OUTLIER));
            assertThat(command.fates()[i] == NabCommand.RowFate.SCORED).as(row + " scored").isEqualTo(scored);
            assertThat(command.scores()[i]).as(row).isEqualTo(scored ? p.anomalyScore : 0.0);
            if (command.flags()[i]) outliers++;
        }
        // Not a vacuous comparison: the labelled files have outliers to agree on.
        if (file.startsWith("realKnownCause") || file.startsWith("artificialWith")) assertThat(outliers).isPositive();
        if (file.contains("ec2_request_latency")) {
            assertThat(command.count(NabCommand.RowFate.SUPERSEDED)).isEqualTo(11);
            assertThat(command.count(NabCommand.RowFate.LATE)).isZero();
        }
        if (file.contains("machine_temperature")) {
            // 02:00-02:45 again after 02:55 are behind the watermark; 02:50 and 02:55 were still held.
            assertThat(command.count(NabCommand.RowFate.LATE)).isEqualTo(10);
            assertThat(command.count(NabCommand.RowFate.SUPERSEDED)).isEqualTo(2);
        }
    }

    /**
     * Each row through admission and quality, as the streaming job receives it; returns, by row
     * index, the point the quality stage wrote for it (none for a row it superseded or dropped).
     */
    private static Map<Integer, DataPoint> throughThePipeline(NabSeries series) throws Exception {
        QualityRules rules = QualityRules.defaults();
        try (var admission = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReadingAdmission(ReadingAdmission.DEFAULT_RETENTION, rules.clockSkew(), false)),
                ReadingAdmission.keySelector(), Types.STRING);
             var quality = new KeyedOneInputStreamOperatorTestHarness<>(
                     new KeyedProcessOperator<>(new DeviceMetricQuality(rules)), ReadingAdmission.keySelector(),
                     Types.STRING)) {
            admission.open();
            quality.open();
            // The version (id and revision) admission made of each row.
            Map<Integer, String> versionOfRow = new HashMap<>();
            long newest = Long.MIN_VALUE;
            int admitted = 0;
            for (int i = 0; i < series.size(); i++) {
                DataPoint p = reading(series, i);
                admission.processElement(new StreamRecord<>(p, p.eventTimeMillis()));
                List<DataPoint> out = admission.extractOutputValues();
                for (; admitted < out.size(); admitted++) {
                    DataPoint a = out.get(admitted);
                    versionOfRow.put(i, a.id + "#" + a.revision);
                    quality.processElement(new StreamRecord<>(a, a.eventTimeMillis()));
                }
                newest = Math.max(newest, p.eventTimeMillis());
                long watermark = newest - OUT_OF_ORDERNESS.toMillis() - 1;
                admission.processWatermark(watermark);
                quality.processWatermark(watermark);
            }
            quality.processWatermark(Long.MAX_VALUE);

            Map<String, DataPoint> written = new HashMap<>();
            for (DataPoint p : quality.extractOutputValues()) written.put(p.id + "#" + p.revision, p);
            Map<Integer, DataPoint> byRow = new HashMap<>();
            versionOfRow.forEach((row, version) -> {
                if (written.containsKey(version)) byRow.put(row, written.get(version));
            });
            return byRow;
        }
    }

    /** Row {@code i} as the parser would make it: the point id depends on device, metric and time only. */
    private static DataPoint reading(NabSeries series, int i) {
        Instant t = Instant.ofEpochMilli(series.epochMillis(i));
        DataPoint p = new DataPoint();
        p.id = Ids.hash("point", "nab-user", "nab-device", METRIC, t.toString());
        p.revision = 1;
        p.userId = "nab-user";
        p.deviceId = "nab-device";
        p.vendor = "canonical";
        p.metric = METRIC;
        p.value = series.values()[i];
        p.unit = "count";
        p.rawValue = Double.toString(p.value);
        p.rawUnit = p.unit;
        p.startTime = t;
        p.endTime = t;
        p.timeSource = TimeSource.ASSUMED_UTC.name();
        p.ingestedAt = t;
        return p;
    }
}
