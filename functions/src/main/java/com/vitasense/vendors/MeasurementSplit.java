package com.vitasense.vendors;

import com.vitasense.records.DataPoint;
import com.vitasense.records.ParsedMeasurement;
import com.vitasense.records.ReferenceMeasurement;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits the parse stage's output, once event time is assigned, into readings (main output) and
 * reference measurements ({@link #REFERENCES}). Watermarks pass to both outputs in the order they
 * arrive, so each reference precedes, on its channel, every watermark that passes its time (see
 * {@link ParsedMeasurement}).
 */
public class MeasurementSplit extends ProcessFunction<ParsedMeasurement, DataPoint> {
    private static final long serialVersionUID = 1L;

    /** Reference measurements for calibration, with their own time as timestamp. */
    public static final OutputTag<ReferenceMeasurement> REFERENCES =
            new OutputTag<>("references", TypeInformation.of(ReferenceMeasurement.class));

    @Override
    public void processElement(ParsedMeasurement m, Context ctx, Collector<DataPoint> out) {
        if (m.point != null) {
            out.collect(m.point);
        } else {
            ctx.output(REFERENCES, m.reference);
        }
    }
}
