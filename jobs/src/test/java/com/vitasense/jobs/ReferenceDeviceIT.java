package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.calibration.CalibrationRules;
import com.vitasense.jobs.config.PipelineConfig;
import com.vitasense.jobs.testing.BoundedRawSource;
import com.vitasense.jobs.testing.CollectingSink;
import com.vitasense.jobs.testing.TestFlinkCluster;
import com.vitasense.records.Calibration;
import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DataPoint;
import com.vitasense.records.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A chest strap as the reference of a watch of the same user: with
 * {@code calibration.reference-device.heart_rate} set, the watch's heart rate is corrected against
 * the strap's, once an hour, identically in streaming and in batch mode.
 */
class ReferenceDeviceIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestFlinkCluster.perClass();

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void theWatchIsCorrectedAgainstTheStrap(RuntimeExecutionMode mode) throws Exception {
        // Two hours, a reading a minute from each; the watch reads 5 bpm high.
        List<String> input = new ArrayList<>();
        for (int m = 0; m < 120; m++) {
            Instant t = T0.plusSeconds(60L * m);
            double bpm = 70 + (m % 7);
            input.add(reading("watch-1", "Apple Watch", bpm + 5, t));
            input.add(reading("strap-1", "Polar H10", bpm, t.plusSeconds(10)));
        }
        Properties p = new Properties();
        p.setProperty("calibration.metrics", "glucose,heart_rate");
        p.setProperty("calibration.reference-device.heart_rate", "Polar H10");
        p.setProperty("calibration.tolerance.heart_rate", "1m");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(DevicePipeline.requiredConfiguration());
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        CollectingSink<DataPoint> points = new CollectingSink<>();
        CollectingSink<Calibration> versions = new CollectingSink<>();
        CollectingSink<CalibrationEvent> events = new CollectingSink<>();
        DevicePipeline.build(env, BoundedRawSource.of("device-data-raw", input),
                new PipelineSinks(points, new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(),
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), versions, events,
                        new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>(), new CollectingSink<>()),
                new PipelineConfig(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofHours(48))
                        .withCalibrationRules(CalibrationRules.defaults().withProperties(p)));
        env.execute("reference-device-" + mode);

        List<DataPoint> watch = points.values().stream().filter(x -> x.deviceId.equals("watch-1"))
                .sorted(Comparator.comparing(x -> x.startTime)).toList();
        assertThat(watch).hasSize(120);
        // The strap's first reading (08:00:10) pairs with the watch's 08:00 reading: offset -5 from 08:00:10.
        assertThat(watch.get(0).calibrationId).isNull();
        assertThat(watch.subList(1, 120)).allSatisfy(x -> {
            assertThat(x.value).isEqualTo(Double.parseDouble(x.rawValue) - 5);
            assertThat(x.calibrationId).isNotNull();
        });
        assertThat(versions.values().stream().map(v -> v.source + " " + v.validFrom + " " + v.offset).distinct().sorted())
                .containsExactly("device:strap-1 2026-11-20T08:00:10Z -5.0", "device:strap-1 2026-11-20T09:00:10Z -5.0");
        assertThat(events.values().stream().map(e -> e.deviceId + " " + e.eventType + " " + e.eventTime).sorted())
                .containsExactly("watch-1 CALIBRATION_APPLIED 2026-11-20T08:00:10Z",
                        "watch-1 CALIBRATION_APPLIED 2026-11-20T09:00:10Z");
        assertThat(points.values().stream().filter(x -> x.deviceId.equals("strap-1")))
                .hasSize(120).allSatisfy(x -> assertThat(x.calibrationId).isNull());
    }

    private static String reading(String device, String model, double bpm, Instant t) {
        var payload = Json.mapper().createObjectNode().put("metric", "heart_rate").put("value", bpm).put("unit", "bpm")
                .put("start_time", t.toString()).put("device_model", model);
        var e = Json.mapper().createObjectNode().put("vendor", "canonical").put("kind", "data_point")
                .put("user_id", "u-1").put("device_id", device).put("received_at", t.plusSeconds(5).toString());
        e.set("payload", payload);
        return e.toString();
    }
}
