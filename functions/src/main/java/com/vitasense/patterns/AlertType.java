package com.vitasense.patterns;

/** The alert types of the device and sync patterns. Consumers match on the names; append new ones. */
public enum AlertType {
    BATTERY_LOW,
    BATTERY_CRITICAL,
    FLATLINE,
    SPIKE,
    SENSOR_ERROR,
    QUALITY_DEGRADED,
    CALIBRATION_DRIFT,
    CONNECTIVITY_LOST,
    SYNC_TIMEOUT,
    SYNC_FAILING,
    DATA_INCOMPLETE,
    SYNC_CONFLICT;

    /** How much an alert matters, lowest first (the order is used to compare). */
    public enum Severity { INFO, WARNING, URGENT, CRITICAL }
}
