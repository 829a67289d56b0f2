package com.vitasense.jobs;

import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes records through unchanged and watermarks on held back by a fixed delay.
 *
 * <p>A stage that waits until the watermark passes {@code t + d} before it emits a reading of time
 * {@code t} (the cross-device comparison, the calibration stage) emits it just before that
 * watermark, so the next stage receives readings up to {@code d} behind its own watermark: for it
 * they are late, and what it does with them depends on timing (CEP drops late events). Placed right
 * after such a stage, this operator lowers the watermark by {@code d}: every reading the stage
 * releases is ahead of the watermark downstream, as it was upstream, and streaming and batch runs
 * process the same sequence. The cost is {@code d} of extra latency for event-time results downstream.
 */
public final class WatermarkHoldback<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    private final long delayMillis;

    public WatermarkHoldback(Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("a holdback cannot be negative: " + delay);
        this.delayMillis = delay.toMillis();
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        long t = mark.getTimestamp();
        // The end of input stays the end of input; the start of time cannot move further back.
        long held = t == Long.MAX_VALUE ? t : t < Long.MIN_VALUE + delayMillis ? Long.MIN_VALUE : t - delayMillis;
        output.emitWatermark(new Watermark(held));
    }
}
