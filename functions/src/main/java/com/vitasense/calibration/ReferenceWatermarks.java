package com.vitasense.calibration;

import com.vitasense.records.ReferenceMeasurement;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for reference measurements: their own time as timestamp, and no watermarks of their
 * own. References are rare (a few a day per device), so a watermark of theirs would hold the
 * calibration stage back for hours; instead the reference input is always idle and the readings'
 * watermark alone drives the stage. Whether a reference is on time is judged against it.
 */
public final class ReferenceWatermarks {
    private ReferenceWatermarks() {}

    public static WatermarkStrategy<ReferenceMeasurement> strategy() {
        return WatermarkStrategy.<ReferenceMeasurement>forGenerator(context -> new AlwaysIdle())
                .withTimestampAssigner((r, previous) -> r.time.toEpochMilli());
    }

    /** Emits no watermark and declares the input idle, so it never holds the readings back. */
    static final class AlwaysIdle implements WatermarkGenerator<ReferenceMeasurement> {
        @Override
        public void onEvent(ReferenceMeasurement event, long eventTimestamp, WatermarkOutput output) {
            output.markIdle();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
