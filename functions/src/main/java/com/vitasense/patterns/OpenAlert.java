package com.vitasense.patterns;

import com.vitasense.records.DeviceAlert;

/**
 * An alert the lifecycle holds open, with what decides when it ends. A Flink POJO (lifecycle state).
 */
public class OpenAlert {
    public DeviceAlert alert;
    public String vendor;
    /** Event time of the last condition that held it open. */
    public long lastSeen;
    /** Clears when no condition held it for this long; null when only an explicit end clears it. */
    public Long quietMillis;

    public OpenAlert() {}

    boolean expiredAt(long t) {
        return quietMillis != null && lastSeen + quietMillis <= t;
    }
}
