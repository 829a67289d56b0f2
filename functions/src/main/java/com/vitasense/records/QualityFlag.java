package com.vitasense.records;

/**
 * A quality finding attached to a data point. Stored as a bit set on {@link DataPoint}, so the
 * position of each constant is part of the state format: append new flags, never reorder.
 */
public enum QualityFlag {
    OUT_OF_RANGE,
    SENSOR_LIMIT_HIGH,
    SENSOR_LIMIT_LOW,
    OUTLIER,
    INTERPOLATED,
    DUPLICATE,
    LATE,
    CALIBRATED,
    DEVICE_DISAGREEMENT,
    USER_ENTERED,
    /** A change from the previous reading faster than the body (or the sensor) can produce. */
    IMPOSSIBLE_JUMP,
    /** The reading's time is implausible: in the future, or long before the device was first seen. */
    TIMESTAMP_SUSPECT;

    long bit() {
        return 1L << ordinal();
    }
}
