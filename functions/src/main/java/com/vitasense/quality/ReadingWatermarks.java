package com.vitasense.quality;

import com.vitasense.records.DataPoint;
import com.vitasense.records.ParsedMeasurement;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks for readings: bounded out-of-orderness over the readings' own times, with
 * idle sources skipped, and one protection a plain bounded-out-of-orderness strategy lacks: a
 * reading dated after its own receipt (a device clock running ahead, a mis-set time zone) counts
 * no later than its receipt plus the clock-skew tolerance. Without that, one reading dated a year
 * ahead would move the watermark a year ahead and make every other reading LATE.
 *
 * <p>The strategy runs on the parse stage's whole output ({@link ParsedMeasurement}): references
 * and device events get their own time as timestamp but do not move the watermark, which the
 * readings alone drive (references are rare and entered by hand; events are sparse, and a device
 * event's time is its receipt when the vendor gives none).
 */
public final class ReadingWatermarks {
    private ReadingWatermarks() {}

    public static WatermarkStrategy<ParsedMeasurement> strategy(Duration maxOutOfOrderness, Duration idleness,
                                                               Duration clockSkew) {
        long skew = clockSkew.toMillis();
        long delay = maxOutOfOrderness.toMillis();
        return WatermarkStrategy.<ParsedMeasurement>forGenerator(context -> new Generator(delay, skew))
                .withTimestampAssigner((m, previous) -> m.eventTimeMillis())
                .withIdleness(idleness);
    }

    /** The time a reading may advance the watermark to. */
    static long trustedTime(DataPoint p, long clockSkewMillis) {
        long t = p.eventTimeMillis();
        return p.ingestedAt == null ? t : Math.min(t, p.ingestedAt.toEpochMilli() + clockSkewMillis);
    }

    /** Bounded out-of-orderness over {@link #trustedTime} of the readings. */
    static final class Generator implements WatermarkGenerator<ParsedMeasurement> {
        private final long delay;
        private final long skew;
        private long maxTime;

        Generator(long delay, long skew) {
            this.delay = delay;
            this.skew = skew;
            this.maxTime = Long.MIN_VALUE + delay + 1;
        }

        @Override
        public void onEvent(ParsedMeasurement event, long eventTimestamp, WatermarkOutput output) {
            if (event.point != null) maxTime = Math.max(maxTime, trustedTime(event.point, skew));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(maxTime - delay - 1));
        }
    }
}
