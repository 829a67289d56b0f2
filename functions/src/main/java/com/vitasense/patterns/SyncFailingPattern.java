package com.vitasense.patterns;

import com.vitasense.records.DeviceSignal;

/** SYNC_FAILING: {@code sync-failing.count} failed syncs of one device within {@code sync-failing.window}. */
public final class SyncFailingPattern extends CountWithinPattern {
    private static final long serialVersionUID = 1L;

    public SyncFailingPattern(AlertRules rules) {
        super(rules.count("sync-failing.count"), rules.duration("sync-failing.window"));
    }

    @Override
    public AlertType type() {
        return AlertType.SYNC_FAILING;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.URGENT;
    }

    @Override
    public boolean accepts(DeviceSignal s) {
        return s.is(DeviceSignal.Kind.SYNC_FAILED);
    }
}
