package com.vitasense.patterns;

import com.vitasense.records.CalibrationEvent;
import com.vitasense.records.DeviceSignal;

/**
 * CALIBRATION_DRIFT: drift that persists across references. The calibration stage reports drift at
 * a reference whose rolling accuracy is beyond its thresholds: {@code DRIFT_DETECTED} at the first,
 * {@code RECALIBRATION_RECOMMENDED} at the next one still beyond ({@link #reportsDrift}). One report
 * can be a bad fingerstick; {@code drift.count} of them within {@code drift.window} (by default both,
 * within 3 days) is a sensor drifting. Per metric.
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

    /** Whether a calibration event of this type reports drift at a reference. */
    public static boolean reportsDrift(String calibrationEventType) {
        return CalibrationEvent.Type.DRIFT_DETECTED.name().equals(calibrationEventType)
                || CalibrationEvent.Type.RECALIBRATION_RECOMMENDED.name().equals(calibrationEventType);
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.CALIBRATION_DRIFT);
    }
}
