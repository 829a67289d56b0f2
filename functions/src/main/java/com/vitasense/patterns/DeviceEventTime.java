package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for device events (battery reports, sync steps, sensor errors): their own time, and no
 * watermarks of their own. The events ride on the readings' watermark, with which they are unioned:
 * the generator declares its output idle, so it never holds the union back. A watermark of their
 * own would stall all alerts whenever devices stop sending events while readings go on (events are
 * sparse: a sync an hour, a battery report a day), for as long as the source idleness, and alerts
 * would wait on the slowest of two clocks instead of one.
 *
 * <p>An event is then late when it arrives more than the readings' out-of-orderness behind the
 * newest readings, the same rule readings follow.
 */
public final class DeviceEventTime {
    private DeviceEventTime() {}

    public static WatermarkStrategy<DeviceSignal> strategy() {
        return WatermarkStrategy.<DeviceSignal>forGenerator(context -> new AlwaysIdle())
                .withTimestampAssigner((signal, previous) -> signal.eventTimeMillis());
    }

    /** Emits no watermark and keeps its output idle. */
    static final class AlwaysIdle implements WatermarkGenerator<DeviceSignal> {
        @Override
        public void onEvent(DeviceSignal event, long eventTimestamp, WatermarkOutput output) {
            output.markIdle();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
