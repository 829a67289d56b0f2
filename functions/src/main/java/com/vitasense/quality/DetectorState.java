package com.vitasense.quality;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything {@link OutlierDetector} remembers about one (device, metric) stream. A Flink POJO of
 * primitives and primitive arrays, so it lives in keyed state without Kryo; the detector owns the
 * layout and allocates the arrays on first use, so a new instance is empty and tiny.
 *
 * <p>Bounded: once filled it holds two rings of {@value OutlierDetector#RECENT_CAPACITY} and
 * {@value OutlierDetector#HISTORY_CAPACITY} floats, two short rings of surprises and three
 * histograms of {@value OutlierDetector#TAIL_BINS} bins: about 3 KB however long the stream. Values
 * are kept as {@code float}: seven significant digits are far finer than any sensor's noise.
 */
public class DetectorState {
    /** Points learnt so far, including the warm-up. */
    public long count;
    /** Event time of the latest point, epoch millis; lets the caller expire idle state. */
    public long lastTimestampMillis;
    /** Ring of the latest values; slot {@code count % capacity} holds the oldest once full. */
    public float[] recent;
    /** Ring of every {@value OutlierDetector#HISTORY_STEP}th value: the stream's long-run distribution. */
    public float[] history;
    /** Values written to {@link #history} so far. */
    public long historyCount;
    /** Ring of the latest deviation surprises, averaged into the deviation statistic. */
    public double[] deviationSurprises;
    /** Ring of the latest rarity surprises, averaged into the rarity statistic. */
    public double[] raritySurprises;
    /** Exponentially forgetting histogram of past deviation statistics: that expert's calibration. */
    public double[] deviationTail;
    /** Total (forgetting) mass of {@link #deviationTail}. */
    public double deviationMass;
    /** Exponentially forgetting histogram of past rarity statistics. */
    public double[] rarityTail;
    /** Total (forgetting) mass of {@link #rarityTail}. */
    public double rarityMass;
    /** Exponentially forgetting histogram of past steps between consecutive values, for the gross-jump rule. */
    public double[] spikeTail;
    /** Total (forgetting) mass of {@link #spikeTail}. */
    public double spikeMass;
    /** Points since the latest alarm; negative before the first one. Drives the refractory period. */
    public long pointsSinceAlarm = -1;

    public DetectorState() {}

    /** A deep copy, e.g. to score a what-if without touching the real state. */
    public DetectorState copy() {
        DetectorState c = new DetectorState();
        c.count = count;
        c.lastTimestampMillis = lastTimestampMillis;
        c.recent = recent == null ? null : recent.clone();
        c.history = history == null ? null : history.clone();
        c.historyCount = historyCount;
        c.deviationSurprises = deviationSurprises == null ? null : deviationSurprises.clone();
        c.raritySurprises = raritySurprises == null ? null : raritySurprises.clone();
        c.deviationTail = deviationTail == null ? null : deviationTail.clone();
        c.deviationMass = deviationMass;
        c.rarityTail = rarityTail == null ? null : rarityTail.clone();
        c.rarityMass = rarityMass;
        c.spikeTail = spikeTail == null ? null : spikeTail.clone();
        c.spikeMass = spikeMass;
        c.pointsSinceAlarm = pointsSinceAlarm;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DetectorState s)) return false;
        return count == s.count && lastTimestampMillis == s.lastTimestampMillis && historyCount == s.historyCount
                && Double.compare(deviationMass, s.deviationMass) == 0 && Double.compare(rarityMass, s.rarityMass) == 0
                && Double.compare(spikeMass, s.spikeMass) == 0 && pointsSinceAlarm == s.pointsSinceAlarm
                && Arrays.equals(recent, s.recent) && Arrays.equals(history, s.history)
                && Arrays.equals(deviationSurprises, s.deviationSurprises)
                && Arrays.equals(raritySurprises, s.raritySurprises) && Arrays.equals(deviationTail, s.deviationTail)
                && Arrays.equals(rarityTail, s.rarityTail) && Arrays.equals(spikeTail, s.spikeTail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, lastTimestampMillis, historyCount, pointsSinceAlarm, Arrays.hashCode(recent));
    }

    @Override
    public String toString() {
        return "DetectorState{count=" + count + ", historyCount=" + historyCount + ", pointsSinceAlarm="
                + pointsSinceAlarm + ", last=" + lastTimestampMillis + "}";
    }
}
