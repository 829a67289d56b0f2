package com.vitasense.vendors;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.ReferenceMeasurement;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits the parse stage's output, once event time is assigned, into readings (main output),
 * reference measurements ({@link #REFERENCES}) and device events ({@link #DEVICE_EVENTS}).
 * Watermarks pass to every output in the order they arrive, so each reference or event precedes,
 * on its channel, every watermark that passes its time (see {@link ParsedMeasurement}).
 */
public class MeasurementSplit extends ProcessFunction<ParsedMeasurement, DataPoint> {
    private static final long serialVersionUID = 1L;

    /** Reference measurements for calibration, with their own time as timestamp. */
    public static final OutputTag<ReferenceMeasurement> REFERENCES =
            new OutputTag<>("references", TypeInformation.of(ReferenceMeasurement.class));
    /** Sync-session steps, device status reports and sensor errors, with their own time as timestamp. */
    public static final OutputTag<DeviceEvent> DEVICE_EVENTS =
            new OutputTag<>("device-events", TypeInformation.of(DeviceEvent.class));

    @Override
    public void processElement(ParsedMeasurement m, Context ctx, Collector<DataPoint> out) {
        if (m.point != null) {
            out.collect(m.point);
        } else if (m.reference != null) {
            ctx.output(REFERENCES, m.reference);
        } else {
            ctx.output(DEVICE_EVENTS, m.event);
        }
    }
}
