package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;
import com.vitasense.records.QualityFlag;

/**
 * SENSOR_ERROR: repeated sensor errors (a Nightscout sgv error code, a Dexcom EGV without a value)
 * or sentinel statuses (readings at the sensor's limit, reported as "high"/"low" instead of a
 * value): {@code sensor-error.count} within {@code sensor-error.window}.
 */
public final class SensorErrorPattern extends CountWithinPattern {
    private static final long serialVersionUID = 1L;

    public SensorErrorPattern(AlertRules rules) {
        super(rules.count("sensor-error.count"), rules.duration("sensor-error.window"));
    }

    @Override
    public AlertType type() {
        return AlertType.SENSOR_ERROR;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.WARNING;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.SENSOR_ERROR) || (s.is(DeviceSignal.Kind.READING)
                && (s.hasFlag(QualityFlag.SENSOR_LIMIT_HIGH) || s.hasFlag(QualityFlag.SENSOR_LIMIT_LOW)));
    }
}
