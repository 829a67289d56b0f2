package com.vitasense.calibration;

import com.vitasense.records.DataPoint;
import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps the readings of metrics that have a reference device configured, the input of {@link ReferenceDevices}. */
public class ReferenceDeviceMetrics implements FilterFunction<DataPoint> {
    private static final long serialVersionUID = 1L;

    private final CalibrationRules rules;

    public ReferenceDeviceMetrics(CalibrationRules rules) {
        this.rules = rules;
    }

    @Override
    public boolean filter(DataPoint p) {
        return rules.hasReferenceDevice(p.metric);
    }
}
