package com.vitasense.patterns;

import java.util.List;

/** Every device and sync pattern, in a fixed order (the topology derives operator uids from them). */
public final class DevicePatterns {
    private DevicePatterns() {}

    public static List<DevicePattern> all(AlertRules rules) {
        return List.of(
                new BatteryLowPattern(rules),
                new BatteryCriticalPattern(rules),
                new FlatlinePattern(rules),
                new SpikePattern(rules),
                new SensorErrorPattern(rules),
                new QualityDegradedPattern(rules),
                new CalibrationDriftPattern(rules),
                new ConnectivityLostPattern(rules),
                new SyncTimeoutPattern(rules),
                new SyncFailingPattern(rules),
                new DataIncompletePattern(rules),
                new SyncConflictPattern(rules));
    }
}
