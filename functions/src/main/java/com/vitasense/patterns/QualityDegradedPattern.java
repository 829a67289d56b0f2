package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;

/**
 * QUALITY_DEGRADED: at least {@code quality.count} quality issues of one device within
 * {@code quality.window}. Revision conflicts are SYNC_CONFLICT, not counted here.
 */
public final class QualityDegradedPattern extends CountWithinPattern {
    private static final long serialVersionUID = 1L;

    public QualityDegradedPattern(AlertRules rules) {
        super(rules.count("quality.count"), rules.duration("quality.window"));
    }

    @Override
    public AlertType type() {
        return AlertType.QUALITY_DEGRADED;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.WARNING;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.QUALITY_ISSUE);
    }
}
