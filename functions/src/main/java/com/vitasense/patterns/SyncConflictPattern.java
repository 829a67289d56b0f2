package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;

/**
 * SYNC_CONFLICT: a re-send that contradicts what was received (a revision conflict found by the
 * quality stage: the same reading re-sent with another value). One conflict is enough; the alert
 * is per metric and clears after {@code conflict.clear-after} without another.
 */
public final class SyncConflictPattern extends CountWithinPattern {
    private static final long serialVersionUID = 1L;

    public SyncConflictPattern(AlertRules rules) {
        super(1, rules.duration("conflict.clear-after"));
    }

    @Override
    public AlertType type() {
        return AlertType.SYNC_CONFLICT;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.INFO;
    }

    @Override
    boolean perMetric() {
        return true;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.REVISION_CONFLICT);
    }
}
