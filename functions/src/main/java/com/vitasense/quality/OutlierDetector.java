package com.vitasense.quality;

import com.vitasense.units.Metric;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The adaptive outlier detector of one (device, metric) stream: {@link #score} gives each point,
 * in event-time order and without look-ahead, an anomaly score in [0, 1]; {@link #isOutlier} is
 * the {@code OUTLIER} flag. Stateless itself (the stream's memory is a {@link DetectorState} the
 * caller keeps, e.g. in Flink keyed state) and configured per metric by {@link #forMetric}.
 *
 * <h2>How a point is scored</h2>
 * Robust statistics on two time scales measure how surprising the point is, in a unit-free way:
 * <ol>
 *   <li><b>Deviation</b> (spikes, dips, level shifts): the robust z-score of the value against the
 *       median and MAD of the latest {@link #windowPoints()} values (at most
 *       {@value #RECENT_CAPACITY}). The MAD-based sigma never drops below the sensor's noise floor,
 *       1 % of the window's range or a relative epsilon, or quantized and flat signals would make
 *       every wiggle infinitely surprising. The statistic is {@code ln(1 + z)} averaged over the
 *       latest {@value #DEVIATION_SPAN} points, so a sustained shift weighs more than a lone wiggle;
 *       an average below {@value #DEVIATION_MIN_STATISTIC} (an average z under about 1.7) is noise
 *       whatever the history says.
 *   <li><b>Rarity</b> (a level the stream seldom visits: a new plateau, a flat-lined or half-height
 *       cycle): how rarely the long history (every {@value #HISTORY_STEP}th of the latest
 *       {@value #HISTORY_STEP} x {@value #HISTORY_CAPACITY} values) came within half a sigma of the
 *       median of the latest {@value #LEVEL_SPAN} values; statistic {@code -ln(frequency)} averaged
 *       over {@value #RARITY_SPAN} points, and below {@value #RARITY_MIN_STATISTIC} (levels the
 *       history visits more than 13.5 % of the time) never rare.
 * </ol>
 * Neither statistic is a probability yet: real signals are heavy-tailed, and each differently.
 * Each expert therefore calibrates its statistic against the stream's own past: the tail
 * probability is the share of its earlier values (an exponentially forgetting histogram, half-life
 * about {@value #CALIBRATION_HALF_LIFE} points) at least as large, extended beyond the largest one
 * seen by a power-law tail, so a new record is as rare as the margin by which it beats the old one.
 * The point's p-value is the smaller of the two, doubled (Bonferroni). A <b>gross jump</b> (a value
 * at least {@value #GROSS_SPIKE_Z} sigmas from the median and {@value #GROSS_SPIKE_Z} typical steps
 * from the previous value, a bigger step than any the stream still remembers) takes its own
 * extrapolated tail probability when that is smaller: the averaging must not hide one reading that
 * is far out, as sensor artefacts are, while smooth excursions (a meal's glucose rise) made of
 * ordinary steps are left to the experts. The score is {@code ln(1/p) / (2 ln(1/p_alarm))} clipped
 * to [0, 1]: 0.5 at the alarm p-value {@value #ALARM_P_VALUE}, 1 at its square.
 *
 * <h2>Warm-up and refractory period</h2>
 * During the first {@link #warmupPoints()} points the detector only learns: the score is 0. After
 * an alarm the next {@link #refractoryPoints()} points are capped at {@value #SUPPRESSED_FRACTION}
 * of the threshold, so one anomaly is one alarm rather than a burst of them, and the flag marks
 * where something new started.
 *
 * <p>Not this detector's business: physiologically impossible values ({@link PlausibilityRanges})
 * and impossible jumps between consecutive readings, which are rules rather than statistics.
 */
public final class OutlierDetector implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Values kept for the deviation expert's sliding window: the largest {@link #windowPoints()}. */
    public static final int RECENT_CAPACITY = 256;
    /** Values in the long history (the rarity expert's reference). */
    public static final int HISTORY_CAPACITY = 256;
    /** Every this many points one value goes into the long history. */
    public static final int HISTORY_STEP = 4;
    /** Points the deviation surprise is averaged over. */
    public static final int DEVIATION_SPAN = 5;
    /** Points whose median is the "current level" of the rarity expert. */
    public static final int LEVEL_SPAN = 6;
    /** Points the rarity surprise is averaged over. */
    public static final int RARITY_SPAN = 20;
    /** Bins of each calibration histogram, over surprise statistics 0 .. {@link #TAIL_RANGE}. */
    public static final int TAIL_BINS = 32;
    static final double TAIL_RANGE = 8.0;
    /** Half-life, in points, of the calibration histograms' memory. */
    public static final int CALIBRATION_HALF_LIFE = 2773;
    /** Per-point forgetting factor of the calibration: 1 - ln 2 / half-life. */
    static final double CALIBRATION_DECAY = 1.0 - Math.log(2.0) / CALIBRATION_HALF_LIFE;
    /** Power-law exponent of the tail extrapolated beyond the largest statistic seen (per unit of ln(1+z)). */
    static final double TAIL_EXPONENT = 3.0;
    /** The histogram mass above the "largest statistic seen" that anchors the extrapolated tail. */
    static final double TAIL_ANCHOR_MASS = 0.5;
    /** The smallest averaged deviation statistic that counts: an average z of e - 1, about 1.7. */
    public static final double DEVIATION_MIN_STATISTIC = 1.0;
    /** The smallest averaged rarity statistic that counts: levels the history visits under e^-2 (13.5 %) of the time. */
    public static final double RARITY_MIN_STATISTIC = 2.0;
    /** A value this many sigmas off the median and typical steps off the previous one, a step never seen, is a gross jump. */
    public static final double GROSS_SPIKE_Z = 10.0;
    /** Remembered mass of steps at least as large below which a step counts as unprecedented. */
    static final double GROSS_SPIKE_PRECEDENTS = 0.5;
    /** Points needed before anything is scored: a median and MAD of fewer mean nothing. */
    static final int MIN_POINTS = 10;
    /** Long-history values needed before rarity means anything. */
    static final int MIN_HISTORY = 32;
    /** The rarity expert's bandwidth in sigmas of the deviation expert. */
    static final double LEVEL_BANDWIDTH_SIGMAS = 0.5;
    /** ...and as a share of the long history's 10-90 % spread, for multi-modal signals. */
    static final double LEVEL_BANDWIDTH_SPREAD = 0.02;
    /** Sigma never drops below this share of the window's range (quantized, near-flat signals). */
    static final double RELATIVE_RANGE_FLOOR = 0.01;
    /** ...nor below this share of the level itself. */
    static final double RELATIVE_LEVEL_FLOOR = 1e-6;
    /** Values are clamped to +-this: far beyond any measurement, far within float range. */
    static final double MAX_MAGNITUDE = 1e30;
    /** 1 / Phi^-1(3/4): MAD to standard deviation for Gaussian noise. */
    static final double MAD_TO_SIGMA = 1.4826;
    /** The p-value that scores exactly 0.5, the default threshold. */
    public static final double ALARM_P_VALUE = 0.005;
    /** Experts combined, for the Bonferroni correction. */
    static final int EXPERTS = 2;
    /** During the refractory period the score is capped at this share of the threshold. */
    public static final double SUPPRESSED_FRACTION = 0.9;

    /** The default threshold: p-value {@link #ALARM_P_VALUE}. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Deviation window of {@link #generic()}: the whole ring. */
    public static final int GENERIC_WINDOW_POINTS = RECENT_CAPACITY;
    /** Warm-up of {@link #generic()}: half a day of 5-minute readings, 2.5 hours of 1-minute ones. */
    public static final int GENERIC_WARMUP_POINTS = 150;
    /** Refractory period of {@link #generic()}. */
    public static final int GENERIC_REFRACTORY_POINTS = 100;

    private static final OutlierDetector GENERIC =
            new OutlierDetector("generic", 0.0, GENERIC_WINDOW_POINTS, GENERIC_WARMUP_POINTS, GENERIC_REFRACTORY_POINTS,
                    DEFAULT_THRESHOLD);
    private static final Map<String, OutlierDetector> BY_METRIC = buildMetricDefaults();

    private final String name;
    private final double noiseFloor;
    private final int windowPoints;
    private final int warmupPoints;
    private final int refractoryPoints;
    private final double threshold;

    /**
     * @param name what the settings are for (a metric name), for messages
     * @param noiseFloor the sensor's noise in the metric's canonical unit: deviations within it are
     *     never surprising; 0 when unknown
     * @param windowPoints the latest values the deviation is measured against, {@value #MIN_POINTS}
     *     to {@value #RECENT_CAPACITY}: a few hours of a fast signal, a month of a daily one
     * @param warmupPoints points learnt before any score above 0
     * @param refractoryPoints points after an alarm during which no other alarm is raised
     * @param threshold the score from which a point is an outlier, in (0, 1]
     */
    public OutlierDetector(String name, double noiseFloor, int windowPoints, int warmupPoints, int refractoryPoints,
                           double threshold) {
        if (!(noiseFloor >= 0) || Double.isInfinite(noiseFloor)) {
            throw new IllegalArgumentException("noise floor must be finite and not negative, got " + noiseFloor);
        }
        if (windowPoints < MIN_POINTS || windowPoints > RECENT_CAPACITY) {
            throw new IllegalArgumentException("window must be " + MIN_POINTS + " to " + RECENT_CAPACITY + " points, got "
                    + windowPoints);
        }
        if (warmupPoints < MIN_POINTS) {
            throw new IllegalArgumentException("warm-up must be at least " + MIN_POINTS + " points, got " + warmupPoints);
        }
        if (refractoryPoints < 0) throw new IllegalArgumentException("refractory period must not be negative");
        if (!(threshold > 0 && threshold <= 1)) throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        this.name = name;
        this.noiseFloor = noiseFloor;
        this.windowPoints = windowPoints;
        this.warmupPoints = warmupPoints;
        this.refractoryPoints = refractoryPoints;
        this.threshold = threshold;
    }

    /**
     * The detector for series of unknown nature (and for NAB): no absolute noise floor, deviation
     * window {@value #GENERIC_WINDOW_POINTS} points, warm-up {@value #GENERIC_WARMUP_POINTS} points,
     * refractory period {@value #GENERIC_REFRACTORY_POINTS} points, threshold
     * {@value #DEFAULT_THRESHOLD}.
     */
    public static OutlierDetector generic() {
        return GENERIC;
    }

    /**
     * The detector configured for a canonical metric (sensor noise floor, warm-up and refractory
     * period suited to its usual cadence); {@link #generic()} for a null or unknown metric.
     *
     * <table>
     *   <caption>Per-metric settings: noise floor in the canonical unit, window, warm-up and refractory period in points</caption>
     *   <tr><th>metric</th><th>noise floor</th><th>window</th><th>warm-up</th><th>refractory</th><th>why</th></tr>
     *   <tr><td>heart_rate</td><td>2 bpm</td><td>60</td><td>60</td><td>20</td><td>optical HR is good to 2-3 bpm; about minute cadence</td></tr>
     *   <tr><td>resting_heart_rate</td><td>1 bpm</td><td>30</td><td>14</td><td>3</td><td>one value a day</td></tr>
     *   <tr><td>hrv_rmssd, hrv_sdnn</td><td>3 ms</td><td>30</td><td>14</td><td>3</td><td>nightly or a few a day; HRV is noisy by nature</td></tr>
     *   <tr><td>steps</td><td>10</td><td>60</td><td>60</td><td>20</td><td>counts per interval; pedometers miscount a few steps</td></tr>
     *   <tr><td>glucose</td><td>3 mg/dL</td><td>36</td><td>36</td><td>12</td><td>CGM noise a few mg/dL; 5-minute readings: a 3 h window and warm-up, 1 h refractory</td></tr>
     *   <tr><td>spo2</td><td>1 %</td><td>60</td><td>30</td><td>10</td><td>pulse oximeters report whole percent, +-2 %</td></tr>
     *   <tr><td>skin_temperature</td><td>0.1 degC</td><td>60</td><td>60</td><td>20</td><td>wearable thermistors resolve about 0.1 degC</td></tr>
     *   <tr><td>body_temperature</td><td>0.1 degC</td><td>30</td><td>10</td><td>3</td><td>clinical thermometers, occasional readings</td></tr>
     *   <tr><td>temperature_deviation</td><td>0.1 degC</td><td>30</td><td>14</td><td>3</td><td>nightly deviation from baseline</td></tr>
     *   <tr><td>respiratory_rate</td><td>0.5 breaths/min</td><td>30</td><td>14</td><td>3</td><td>nightly averages</td></tr>
     *   <tr><td>recovery_score, readiness_score</td><td>2</td><td>30</td><td>14</td><td>3</td><td>daily scores, integers</td></tr>
     *   <tr><td>strain</td><td>0.5</td><td>30</td><td>14</td><td>3</td><td>daily, 0-21</td></tr>
     *   <tr><td>body_mass</td><td>0.2 kg</td><td>30</td><td>10</td><td>3</td><td>scale resolution and day-to-day water</td></tr>
     *   <tr><td>battery_level</td><td>1 %</td><td>60</td><td>30</td><td>10</td><td>integer percent</td></tr>
     *   <tr><td>sleep_duration</td><td>600 s</td><td>30</td><td>14</td><td>3</td><td>nightly; sleep staging is coarse</td></tr>
     *   <tr><td>sleep_efficiency</td><td>2 %</td><td>30</td><td>14</td><td>3</td><td>nightly, integer percent</td></tr>
     *   <tr><td>workout_duration</td><td>300 s</td><td>30</td><td>14</td><td>3</td><td>per workout; durations vary widely</td></tr>
     *   <tr><td>energy_expenditure</td><td>200 kJ</td><td>30</td><td>14</td><td>3</td><td>daily (WHOOP cycle)</td></tr>
     * </table>
     * Every metric uses threshold {@value #DEFAULT_THRESHOLD}. Categorical metrics (sleep_stage)
     * carry no value to score.
     */
    public static OutlierDetector forMetric(String metric) {
        if (metric == null) return GENERIC;
        return BY_METRIC.getOrDefault(metric, GENERIC);
    }

    /** The per-metric detectors of {@link #forMetric} by metric name, read-only. */
    public static Map<String, OutlierDetector> metricDefaults() {
        return BY_METRIC;
    }

    private static Map<String, OutlierDetector> buildMetricDefaults() {
        Map<String, OutlierDetector> m = new HashMap<>();
        put(m, Metric.HEART_RATE, 2.0, 60, 60, 20);
        put(m, Metric.RESTING_HEART_RATE, 1.0, 30, 14, 3);
        put(m, Metric.HRV_RMSSD, 3.0, 30, 14, 3);
        put(m, Metric.HRV_SDNN, 3.0, 30, 14, 3);
        put(m, Metric.STEPS, 10.0, 60, 60, 20);
        put(m, Metric.GLUCOSE, 3.0, 36, 36, 12);
        put(m, Metric.SPO2, 1.0, 60, 30, 10);
        put(m, Metric.SKIN_TEMPERATURE, 0.1, 60, 60, 20);
        put(m, Metric.BODY_TEMPERATURE, 0.1, 30, 10, 3);
        put(m, Metric.TEMPERATURE_DEVIATION, 0.1, 30, 14, 3);
        put(m, Metric.RESPIRATORY_RATE, 0.5, 30, 14, 3);
        put(m, Metric.RECOVERY_SCORE, 2.0, 30, 14, 3);
        put(m, Metric.READINESS_SCORE, 2.0, 30, 14, 3);
        put(m, Metric.STRAIN, 0.5, 30, 14, 3);
        put(m, Metric.BODY_MASS, 0.2, 30, 10, 3);
        put(m, Metric.BATTERY_LEVEL, 1.0, 60, 30, 10);
        put(m, Metric.SLEEP_DURATION, 600.0, 30, 14, 3);
        put(m, Metric.SLEEP_EFFICIENCY, 2.0, 30, 14, 3);
        put(m, Metric.WORKOUT_DURATION, 300.0, 30, 14, 3);
        put(m, Metric.ENERGY_EXPENDITURE, 200.0, 30, 14, 3);
        return Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, OutlierDetector> m, Metric metric, double noise, int window, int warmup,
                            int refractory) {
        m.put(metric.key(), new OutlierDetector(metric.key(), noise, window, warmup, refractory, DEFAULT_THRESHOLD));
    }

    public String name() {
        return name;
    }

    /** The sensor noise below which deviations never count, in the metric's canonical unit. */
    public double noiseFloor() {
        return noiseFloor;
    }

    /** The latest values the deviation is measured against. */
    public int windowPoints() {
        return windowPoints;
    }

    /** Points learnt, with score 0, before the first possible alarm. */
    public int warmupPoints() {
        return warmupPoints;
    }

    /** Points after an alarm during which the score stays below the threshold. */
    public int refractoryPoints() {
        return refractoryPoints;
    }

    /** The score from which a point is an outlier. */
    public double threshold() {
        return threshold;
    }

    /** True when a score (from {@link #score}) marks an outlier: {@code score >= threshold()}. */
    public boolean isOutlier(double score) {
        return score >= threshold;
    }

    /**
     * Scores a point and learns it. Points must come in event-time order, one at a time; the
     * score depends only on this point and the ones before it.
     *
     * @param state the stream's state, updated in place (a new {@link DetectorState} for a new stream)
     * @param timestampMillis the point's event time
     * @param value the point's value in the metric's canonical unit; a NaN or infinite value scores
     *     0 and is not learnt (it is no measurement)
     * @return the anomaly score in [0, 1]
     */
    public double score(DetectorState state, long timestampMillis, double value) {
        if (!Double.isFinite(value)) return 0.0;
        // The state keeps floats; no sensor reads beyond 1e30, and clamping keeps differences of
        // such garbage finite, so it is scored as the gross outlier it is instead of poisoning the window.
        value = Math.max(-MAX_MAGNITUDE, Math.min(MAX_MAGNITUDE, value));
        ensureLayout(state);
        double p = pValue(state, value);
        learn(state, timestampMillis, value);

        if (state.count <= warmupPoints) return 0.0;
        double score = scoreOf(p);
        if (state.pointsSinceAlarm >= 0) state.pointsSinceAlarm++;
        boolean refractory = state.pointsSinceAlarm >= 0 && state.pointsSinceAlarm <= refractoryPoints;
        if (refractory) return Math.min(score, SUPPRESSED_FRACTION * threshold);
        if (isOutlier(score)) state.pointsSinceAlarm = 0;
        return score;
    }

    /** {@code ln(1/p) / (2 ln(1/p_alarm))} in [0, 1]: 0.5 at {@link #ALARM_P_VALUE}. */
    static double scoreOf(double p) {
        if (p >= 1.0) return 0.0;
        if (p <= 0.0) return 1.0;
        return Math.min(1.0, Math.log(p) / (2.0 * Math.log(ALARM_P_VALUE)));
    }

    /** The point's combined p-value; updates the experts' surprise rings and calibrations. */
    private double pValue(DetectorState s, double x) {
        if (s.count < MIN_POINTS) return 1.0;
        int n = (int) Math.min(s.count, windowPoints);

        float[] window = orderedRecent(s, n);
        float[] scratch = window.clone();
        double median = median(scratch);
        float min = window[0];
        float max = window[0];
        for (float v : window) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < n; i++) scratch[i] = (float) Math.abs(window[i] - median);
        double mad = median(scratch);
        double floor = Math.max(noiseFloor, Math.max(RELATIVE_RANGE_FLOOR * ((double) max - min),
                RELATIVE_LEVEL_FLOOR * Math.max(1.0, Math.abs(median))));
        double sigma = Math.max(MAD_TO_SIGMA * mad, floor);
        double z = Math.abs(x - median) / sigma;
        double surprise = Math.log1p(z);

        double deviation = push(s.deviationSurprises, s.count, surprise);
        double pDeviation = deviation < DEVIATION_MIN_STATISTIC ? 1.0
                : tailProbability(s.deviationTail, s.deviationMass, deviation);
        s.deviationMass = learnTail(s.deviationTail, s.deviationMass, deviation);

        double rarity = push(s.raritySurprises, s.count, raritySurprise(s, window, x, sigma));
        double pRarity = rarity < RARITY_MIN_STATISTIC ? 1.0 : tailProbability(s.rarityTail, s.rarityMass, rarity);
        s.rarityMass = learnTail(s.rarityTail, s.rarityMass, rarity);

        double p = Math.min(1.0, EXPERTS * Math.min(pDeviation, pRarity));

        // The step from the previous value, against the typical step: a meal's smooth glucose rise
        // is far from the median yet made of ordinary steps; an artefact or a failure is one jump.
        for (int i = 1; i < n; i++) scratch[i - 1] = Math.abs(window[i] - window[i - 1]);
        double stepSigma = Math.max(MAD_TO_SIGMA * median(Arrays.copyOf(scratch, n - 1)), floor);
        double jump = Math.log1p(Math.abs(x - window[n - 1]) / stepSigma);
        if (z >= GROSS_SPIKE_Z && jump >= Math.log1p(GROSS_SPIKE_Z) && atLeast(s.spikeTail, jump) < GROSS_SPIKE_PRECEDENTS) {
            p = Math.min(p, tailProbability(s.spikeTail, s.spikeMass, jump));
        }
        s.spikeMass = learnTail(s.spikeTail, s.spikeMass, jump);
        return p;
    }

    /** {@code -ln} of how often the long history came near the current level; 0 while it is short. */
    private static double raritySurprise(DetectorState s, float[] window, double x, double sigma) {
        int h = (int) Math.min(s.historyCount, HISTORY_CAPACITY);
        if (h < MIN_HISTORY) return 0.0;
        float[] history = Arrays.copyOf(s.history, h);
        double spread = (double) select(history, (int) (0.9 * (h - 1))) - select(history, (int) (0.1 * (h - 1)));
        double bandwidth = Math.max(LEVEL_BANDWIDTH_SIGMAS * sigma, Math.max(LEVEL_BANDWIDTH_SPREAD * spread, 1e-12));

        // The level: median of this value and the ones just before it, so a lone spike is no level.
        int k = Math.min(LEVEL_SPAN - 1, window.length);
        double[] latest = new double[k + 1];
        for (int i = 0; i < k; i++) latest[i] = window[window.length - k + i];
        latest[k] = x;
        Arrays.sort(latest);
        double level = (latest.length % 2 == 1) ? latest[latest.length / 2]
                : 0.5 * (latest[latest.length / 2 - 1] + latest[latest.length / 2]);

        int near = 0;
        for (float v : history) {
            if (Math.abs(v - level) <= bandwidth) near++;
        }
        return -Math.log((near + 0.5) / (h + 1.0));
    }

    /**
     * Share of the calibration's past statistics at least as large as {@code a} (interpolated within
     * its bin), plus one pseudo-observation from a power-law tail anchored at the largest statistic
     * seen: a new record is rare in proportion to how far it beats the old one.
     */
    static double tailProbability(double[] tail, double mass, double a) {
        double width = TAIL_RANGE / TAIL_BINS;
        double top = 0.0;
        double cumulative = 0.0;
        for (int j = tail.length - 1; j >= 0; j--) {
            cumulative += tail[j];
            if (cumulative >= TAIL_ANCHOR_MASS) {
                top = (j + 1) * width;
                break;
            }
        }
        double extrapolated = Math.min(1.0, Math.exp(-TAIL_EXPONENT * (a - top)));
        return Math.min(1.0, (atLeast(tail, a) + extrapolated) / (mass + 1.0));
    }

    /** The histogram's mass at or above {@code a}, assuming mass spread evenly within a bin. */
    static double atLeast(double[] tail, double a) {
        double width = TAIL_RANGE / TAIL_BINS;
        int bin = binOf(a);
        double within = Math.min(1.0, (Math.max(0.0, a) - bin * width) / width);
        double mass = tail[bin] * (1.0 - within);
        for (int j = bin + 1; j < tail.length; j++) mass += tail[j];
        return mass;
    }

    /** Forgets a little of the past and adds {@code a}; returns the new total mass. */
    static double learnTail(double[] tail, double mass, double a) {
        for (int j = 0; j < tail.length; j++) tail[j] *= CALIBRATION_DECAY;
        tail[binOf(a)] += 1.0;
        return mass * CALIBRATION_DECAY + 1.0;
    }

    private static int binOf(double a) {
        double width = TAIL_RANGE / TAIL_BINS;
        return (int) Math.min(TAIL_BINS - 1, Math.floor(Math.max(0.0, a) / width));
    }

    /**
     * Writes {@code surprise} into a ring indexed by the point count and returns the mean of the
     * entries written so far (at most the ring's length). The sum is recomputed each time: the
     * ring is tiny and a running sum would drift.
     */
    private static double push(double[] ring, long count, double surprise) {
        long written = count - MIN_POINTS;  // surprises start once MIN_POINTS values are known
        ring[(int) (written % ring.length)] = surprise;
        int filled = (int) Math.min(written + 1, ring.length);
        double sum = 0;
        for (int i = 0; i < filled; i++) sum += ring[i];
        return Math.max(0.0, sum / filled);
    }

    private static void learn(DetectorState s, long timestampMillis, double x) {
        s.recent[(int) (s.count % RECENT_CAPACITY)] = (float) x;
        if (s.count % HISTORY_STEP == 0) {
            s.history[(int) (s.historyCount % HISTORY_CAPACITY)] = (float) x;
            s.historyCount++;
        }
        s.count++;
        s.lastTimestampMillis = timestampMillis;
    }

    /** The latest {@code n} values, oldest first. */
    private static float[] orderedRecent(DetectorState s, int n) {
        float[] out = new float[n];
        long start = s.count - n;
        for (int i = 0; i < n; i++) out[i] = s.recent[(int) ((start + i) % RECENT_CAPACITY)];
        return out;
    }

    /** The median of {@code a}, reordering it. */
    static double median(float[] a) {
        int n = a.length;
        float upper = select(a, n / 2);
        if (n % 2 == 1) return upper;
        // select leaves everything before n/2 not above it: the lower middle is their maximum.
        float lower = a[0];
        for (int i = 1; i < n / 2; i++) lower = Math.max(lower, a[i]);
        return 0.5 * ((double) lower + upper);
    }

    /**
     * The {@code k}-th smallest value of {@code a} (0-based), reordering {@code a} so that nothing
     * before position k is larger and nothing after it smaller. Quickselect with a median-of-three
     * pivot: linear on average, where sorting the window for every point would dominate the cost.
     */
    static float select(float[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) swap(a, mid, lo);
            if (a[hi] < a[lo]) swap(a, hi, lo);
            if (a[hi] < a[mid]) swap(a, hi, mid);
            float pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Gives a new (or differently laid out, e.g. restored from an older version) state its arrays. */
    private static void ensureLayout(DetectorState s) {
        if (s.recent != null && s.recent.length == RECENT_CAPACITY && s.history != null
                && s.history.length == HISTORY_CAPACITY && s.deviationSurprises != null
                && s.deviationSurprises.length == DEVIATION_SPAN && s.raritySurprises != null
                && s.raritySurprises.length == RARITY_SPAN && s.deviationTail != null
                && s.deviationTail.length == TAIL_BINS && s.rarityTail != null && s.rarityTail.length == TAIL_BINS
                && s.spikeTail != null && s.spikeTail.length == TAIL_BINS) {
            return;
        }
        // A state this detector cannot read is started afresh rather than misread.
        s.count = 0;
        s.historyCount = 0;
        s.recent = new float[RECENT_CAPACITY];
        s.history = new float[HISTORY_CAPACITY];
        s.deviationSurprises = new double[DEVIATION_SPAN];
        s.raritySurprises = new double[RARITY_SPAN];
        s.deviationTail = new double[TAIL_BINS];
        s.deviationMass = 0;
        s.rarityTail = new double[TAIL_BINS];
        s.rarityMass = 0;
        s.spikeTail = new double[TAIL_BINS];
        s.spikeMass = 0;
        s.pointsSinceAlarm = -1;
    }

    @Override
    public String toString() {
        return "OutlierDetector{" + name + ", noiseFloor=" + noiseFloor + ", window=" + windowPoints + ", warmup=" + warmupPoints
                + ", refractory=" + refractoryPoints + ", threshold=" + threshold + "}";
    }
}
