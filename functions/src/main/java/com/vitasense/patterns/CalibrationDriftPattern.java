package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;

/**
 * CALIBRATION_DRIFT: drift that persists across references. The calibration stage reports a drift
 * when a reference measurement disagrees with the sensor; one such report can be a bad fingerstick,
 * {@code drift.count} of them within {@code drift.window} is a sensor drifting. Per metric.
 */
public final class CalibrationDriftPattern extends CountWithinPattern {
    private static final long serialVersionUID = 1L;

    public CalibrationDriftPattern(AlertRules rules) {
        super(rules.count("drift.count"), rules.duration("drift.window"));
    }

    @Override
    public AlertType type() {
        return AlertType.CALIBRATION_DRIFT;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.WARNING;
    }

    @Override
    boolean perMetric() {
        return true;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.CALIBRATION_DRIFT);
    }
}
