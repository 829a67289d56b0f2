package com.vitasense.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.units.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
    private static final long T0 = 1_780_000_000_000L;
    private static final long FIVE_MINUTES = 300_000L;

    /** Scores a whole series with a fresh state. */
    private static double[] scores(OutlierDetector detector, double[] values) {
        DetectorState state = new DetectorState();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = detector.score(state, T0 + i * FIVE_MINUTES, values[i]);
        return out;
    }

    private static List<Integer> alarms(OutlierDetector detector, double[] scores) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (detector.isOutlier(scores[i])) at.add(i);
        }
        return at;
    }

    private static double[] gaussian(long seed, int n, double mean, double sd) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = mean + sd * r.nextGaussian();
        return v;
    }

    @Test
    void warmUpIsSilentEvenForWildValues() {
        OutlierDetector d = OutlierDetector.generic();
        double[] v = gaussian(1, d.warmupPoints(), 50, 1);
        v[20] = 5_000;
        v[100] = -5_000;
        assertThat(scores(d, v)).containsOnly(0.0);
    }

    @Test
    void aClearSpikeIsFlaggedAtTheSpike() {
        OutlierDetector d = OutlierDetector.generic();
        double[] v = gaussian(2, 1000, 50, 1);
        v[800] = 75;
        double[] s = scores(d, v);
        assertThat(alarms(d, s)).contains(800);
        assertThat(s[800]).isGreaterThanOrEqualTo(d.threshold());
    }

    @Test
    void aLevelShiftIsFlaggedWhereItStarts() {
        OutlierDetector d = OutlierDetector.generic();
        double[] v = gaussian(3, 1200, 20, 0.5);
        for (int i = 900; i < v.length; i++) v[i] += 10;
        List<Integer> at = alarms(d, scores(d, v));
        assertThat(at).isNotEmpty();
        assertThat(at.get(at.size() - 1)).isBetween(900, 905);
    }

    @Test
    void aFlatSeriesNeverAlarms() {
        OutlierDetector d = OutlierDetector.generic();
        double[] v = new double[3000];
        Arrays.fill(v, 45.0);
        assertThat(scores(d, v)).containsOnly(0.0);
    }

    @Test
    void noiseWithinTheSensorsNoiseFloorNeverAlarms() {
        // A CGM at a steady 110 mg/dL with 1 mg/dL noise: below the 3 mg/dL floor, never surprising.
        OutlierDetector glucose = OutlierDetector.forMetric("glucose");
        double[] v = gaussian(4, 3000, 110, 1.0);
        for (int i = 0; i < v.length; i++) v[i] = Math.round(v[i]);  // CGMs report whole mg/dL
        assertThat(alarms(glucose, scores(glucose, v))).isEmpty();
    }

    @Test
    void gaussianNoiseOfUnknownScaleRarelyAlarms() {
        // NAB's art_noisy is the same idea: noise is no anomaly. Without a noise floor (generic
        // settings) only rare runs of large deviations that beat the stream's record can alarm:
        // under one point in a thousand.
        OutlierDetector d = OutlierDetector.generic();
        int alarms = 0;
        int points = 0;
        for (long seed = 10; seed < 20; seed++) {
            alarms += alarms(d, scores(d, gaussian(seed, 4000, 13.5, 3))).size();
            points += 4000;
        }
        assertThat(alarms).isLessThanOrEqualTo(points / 1000);
    }

    @Test
    void aCgmCompressionLowIsFlaggedAtItsFirstReadingWhileMealsMostlyPass() {
        // Three days of a CGM trace: a daily rhythm, three meal excursions of +70 mg/dL over about an
        // hour, 2 mg/dL noise; at 03:00 on the third day a compression low (the sensor pressed during
        // sleep) reads 55 mg/dL below the trace for four readings. A meal rise is far from the median
        // but made of ordinary steps; the compression low is one jump to a level never seen.
        OutlierDetector glucose = OutlierDetector.forMetric("glucose");
        Random r = new Random(5);
        int perDay = 288;
        double[] v = new double[3 * perDay];
        for (int i = 0; i < v.length; i++) {
            int minuteOfDay = (i % perDay) * 5;
            double meals = 0;
            for (int meal : new int[] {8 * 60, 13 * 60, 19 * 60}) {
                double t = (minuteOfDay - meal) / 45.0;
                if (t > 0) meals += 70 * t * Math.exp(1 - t);
            }
            v[i] = Math.round(100 + 8 * Math.sin(2 * Math.PI * minuteOfDay / 1440.0) + meals + 2 * r.nextGaussian());
        }
        int low = 2 * perDay + 3 * 12;
        for (int i = low; i < low + 4; i++) v[i] -= 55;

        List<Integer> at = alarms(glucose, scores(glucose, v));
        assertThat(at).contains(low);
        assertThat(at).as("alarms in the quiet night before it").noneMatch(i -> i >= 2 * perDay && i < low);
        // Two days are little history: a meal may still stand out once a day while the detector learns it.
        for (int day = 0; day < 3; day++) {
            int from = day * perDay;
            assertThat(at.stream().filter(i -> i >= from && i < from + perDay && i != low)).as("day %d", day)
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void theRefractoryPeriodTurnsABurstIntoOneAlarm() {
        OutlierDetector d = OutlierDetector.generic();
        double[] v = gaussian(6, 1200, 50, 1);
        for (int i = 800; i < 830; i += 3) v[i] = 90;  // a burst of spikes
        double[] s = scores(d, v);
        List<Integer> at = alarms(d, s);
        assertThat(at).containsExactly(800);
        for (int i = 801; i <= 800 + d.refractoryPoints(); i++) {
            assertThat(s[i]).isLessThanOrEqualTo(OutlierDetector.SUPPRESSED_FRACTION * d.threshold());
        }
        // After the refractory period a new, larger event alarms again.
        v[1000] = 200;
        assertThat(alarms(d, scores(d, v))).containsExactly(800, 1000);
    }

    @Test
    void scoresStayWithinZeroAndOneWhateverTheInput() {
        OutlierDetector d = OutlierDetector.generic();
        DetectorState state = new DetectorState();
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double v = switch (r.nextInt(6)) {
                case 0 -> r.nextGaussian() * 1e12;
                case 1 -> r.nextInt(3);
                case 2 -> -1e-12 * r.nextDouble();
                case 3 -> Double.MAX_VALUE / (1 + r.nextInt(10));
                case 4 -> 42.0;
                default -> r.nextGaussian();
            };
            double s = d.score(state, T0 + i, v);
            assertThat(s).isBetween(0.0, 1.0);
        }
        DetectorState garbage = new DetectorState();
        for (int i = 0; i < 500; i++) {
            double v = i % 2 == 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
            assertThat(d.score(garbage, T0 + i, i == 400 ? 1.0 : v)).isBetween(0.0, 1.0);
        }
    }

    @Test
    void nonFiniteValuesScoreZeroAndAreNotLearnt() {
        OutlierDetector d = OutlierDetector.generic();
        DetectorState state = new DetectorState();
        for (int i = 0; i < 300; i++) d.score(state, T0 + i, 10 + (i % 7));
        DetectorState before = state.copy();
        assertThat(d.score(state, T0 + 300, Double.NaN)).isZero();
        assertThat(d.score(state, T0 + 301, Double.POSITIVE_INFINITY)).isZero();
        assertThat(state).isEqualTo(before);
    }

    @Test
    void isOutlierIsScoreAtLeastThreshold() {
        OutlierDetector d = OutlierDetector.generic();
        assertThat(d.threshold()).isEqualTo(OutlierDetector.DEFAULT_THRESHOLD);
        assertThat(d.isOutlier(d.threshold())).isTrue();
        assertThat(d.isOutlier(Math.nextDown(d.threshold()))).isFalse();
        assertThat(OutlierDetector.scoreOf(OutlierDetector.ALARM_P_VALUE)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(OutlierDetector.scoreOf(1.0)).isZero();
        assertThat(OutlierDetector.scoreOf(0.0)).isEqualTo(1.0);
    }

    @Test
    void stateStaysBoundedAndTheSameInputGivesTheSameScores() {
        OutlierDetector d = OutlierDetector.generic();
        double[] v = gaussian(8, 50_000, 0, 1);
        DetectorState state = new DetectorState();
        for (int i = 0; i < v.length; i++) d.score(state, T0 + i, v[i]);
        assertThat(state.recent).hasSize(OutlierDetector.RECENT_CAPACITY);
        assertThat(state.history).hasSize(OutlierDetector.HISTORY_CAPACITY);
        assertThat(state.deviationTail).hasSize(OutlierDetector.TAIL_BINS);
        assertThat(scores(d, v)).containsExactly(scores(d, v));
    }

    @Test
    void aStateRestoredFromItsFlinkSerializerContinuesExactlyAsTheOriginal() throws Exception {
        // What a checkpoint and restore does in the middle of a stream.
        OutlierDetector d = OutlierDetector.generic();
        double[] v = gaussian(9, 1000, 20, 2);
        v[700] = 60;
        DetectorState state = new DetectorState();
        for (int i = 0; i < 500; i++) d.score(state, T0 + i, v[i]);

        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<DetectorState> serializer = TypeInformation.of(DetectorState.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(4096);
        serializer.serialize(state, out);
        assertThat(out.length()).as("serialized state bytes").isLessThan(3_200);
        DetectorState restored = serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(restored).isEqualTo(state);

        for (int i = 500; i < v.length; i++) {
            assertThat(d.score(restored, T0 + i, v[i])).as("point %d", i).isEqualTo(d.score(state, T0 + i, v[i]));
        }
    }

    @Test
    void aStateOfAnotherLayoutStartsAfresh() {
        OutlierDetector d = OutlierDetector.generic();
        DetectorState odd = new DetectorState();
        odd.count = 5_000;
        odd.recent = new float[3];
        assertThat(d.score(odd, T0, 1.0)).isZero();
        assertThat(odd.count).isEqualTo(1);
        assertThat(odd.recent).hasSize(OutlierDetector.RECENT_CAPACITY);
    }

    @Test
    void perMetricSettingsUseTheSensorsNoiseAndUnknownMetricsTheGenericOnes() {
        assertThat(OutlierDetector.forMetric("glucose").noiseFloor()).isEqualTo(3.0);
        assertThat(OutlierDetector.forMetric("heart_rate").noiseFloor()).isEqualTo(2.0);
        assertThat(OutlierDetector.forMetric("skin_temperature").noiseFloor()).isEqualTo(0.1);
        assertThat(OutlierDetector.forMetric("no_such_metric")).isSameAs(OutlierDetector.generic());
        assertThat(OutlierDetector.forMetric(null)).isSameAs(OutlierDetector.generic());
        assertThat(OutlierDetector.generic().warmupPoints()).isEqualTo(OutlierDetector.GENERIC_WARMUP_POINTS);
        assertThat(OutlierDetector.generic().noiseFloor()).isZero();
        for (Metric m : Metric.values()) {
            if (!m.isCategorical()) {
                assertThat(OutlierDetector.metricDefaults()).as("settings for %s", m).containsKey(m.key());
            }
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> new OutlierDetector("x", -1, 60, 50, 10, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutlierDetector("x", 0, 5, 50, 10, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutlierDetector("x", 0, 257, 50, 10, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutlierDetector("x", 0, 60, 5, 10, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutlierDetector("x", 0, 60, 50, -1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutlierDetector("x", 0, 60, 50, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDetectorSurvivesJavaSerialization() throws Exception {
        OutlierDetector copy = InstantiationUtil.clone(OutlierDetector.forMetric("glucose"));
        assertThat(copy.noiseFloor()).isEqualTo(3.0);
        double[] v = gaussian(11, 400, 100, 1);
        assertThat(scores(copy, v)).containsExactly(scores(OutlierDetector.forMetric("glucose"), v));
    }

    @Test
    void selectFindsOrderStatistics() {
        Random r = new Random(12);
        for (int n = 1; n < 60; n++) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = r.nextInt(5);  // many ties
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < n; k++) assertThat(OutlierDetector.select(a.clone(), k)).isEqualTo(sorted[k]);
            double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
            assertThat(OutlierDetector.median(a.clone())).isEqualTo(median);
        }
    }
}
