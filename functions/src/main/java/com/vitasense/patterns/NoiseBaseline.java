package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The typical change between consecutive readings of one sensor (keyed by device and metric): a
 * running mean of absolute successive differences, turning into an exponential average once enough
 * readings are known. Each reading leaves with the baseline from before it in
 * {@link DeviceSignal#noise} (null until {@code flatline.min-baseline} readings), so the flatline
 * and spike patterns scale to the sensor's own noise.
 *
 * <p>Readings reach this step in event-time order per series in both modes (the quality stage
 * releases each series in order; batch input is sorted by key and time); a reading older than the
 * newest is passed on without touching the baseline, and so is an implausible one ({@code OUT_OF_RANGE},
 * {@code IMPOSSIBLE_JUMP}): it is no measure of the sensor's noise, and one 1500 mg/dL would
 * inflate the baseline for the next fifty readings, making ordinary readings look flat. State is dropped after
 * {@code watchdog.retention} of event time without a reading.
 */
public class NoiseBaseline extends KeyedProcessFunction<String, DeviceSignal, DeviceSignal> {
    private static final long serialVersionUID = 1L;
    /** The weight of a new difference once the baseline is established: about the last 50 readings. */
    private static final double ALPHA = 0.02;
    private static final long HOUR = 3_600_000L;

    private final int minReadings;
    private final long retention;
    private transient ValueState<NoiseState> state;

    public NoiseBaseline(AlertRules rules) {
        this.minReadings = rules.count("flatline.min-baseline");
        this.retention = rules.duration("watchdog.retention").toMillis();
    }

    /** The baseline of one series. A Flink POJO. */
    public static class NoiseState {
        public long lastTime;
        public double lastValue;
        public double meanAbsChange;
        public int differences;

        public NoiseState() {}
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("noise", NoiseState.class));
    }

    @Override
    public void processElement(DeviceSignal s, Context ctx, Collector<DeviceSignal> out) throws Exception {
        if (s.value == null) {
            out.collect(s);
            return;
        }
        NoiseState n = state.value();
        long t = s.eventTimeMillis();
        if (n == null) {
            n = new NoiseState();
            n.lastTime = t;
            n.lastValue = s.value;
        } else if (t > n.lastTime && !implausible(s)) {
            s.noise = n.differences >= minReadings ? n.meanAbsChange : null;
            double d = Math.abs(s.value - n.lastValue);
            n.differences++;
            double alpha = Math.max(1.0 / n.differences, ALPHA);
            n.meanAbsChange += alpha * (d - n.meanAbsChange);
            n.lastTime = t;
            n.lastValue = s.value;
        } else {
            s.noise = n.differences >= minReadings ? n.meanAbsChange : null;
        }
        state.update(n);
        // One cleanup timer per hour of event time, not one per reading: onTimer checks the retention.
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(t + retention, HOUR) * HOUR + HOUR);
        out.collect(s);
    }

    private static boolean implausible(DeviceSignal s) {
        return s.hasFlag(QualityFlag.OUT_OF_RANGE) || s.hasFlag(QualityFlag.IMPOSSIBLE_JUMP);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeviceSignal> out) throws Exception {
        NoiseState n = state.value();
        if (n != null && n.lastTime + retention <= timestamp) state.clear();
    }
}
