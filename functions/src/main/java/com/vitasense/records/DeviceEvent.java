package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * A device-level event that is not a measurement: a status report (battery, firmware,
 * connectivity) or a step of a sync session. Feeds the {@code devices} table now and the device
 * and sync patterns later.
 */
public class DeviceEvent {
    /** What kind of event this is. */
    public enum Type { DEVICE_STATUS, SYNC_STARTED, SYNC_COMPLETED, SYNC_FAILED }

    public String id;
    public String type;
    public String userId;
    public String deviceId;
    public String vendor;
    public String deviceModel;
    public Instant eventTime;
    /** Battery level in percent, when reported. */
    public Double batteryLevel;
    public String firmware;
    public Boolean connected;
    public String syncId;
    public String error;

    public DeviceEvent() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeviceEvent e)) return false;
        return Objects.equals(id, e.id) && Objects.equals(type, e.type) && Objects.equals(userId, e.userId)
                && Objects.equals(deviceId, e.deviceId) && Objects.equals(vendor, e.vendor)
                && Objects.equals(deviceModel, e.deviceModel) && Objects.equals(eventTime, e.eventTime)
                && Objects.equals(batteryLevel, e.batteryLevel) && Objects.equals(firmware, e.firmware)
                && Objects.equals(connected, e.connected) && Objects.equals(syncId, e.syncId)
                && Objects.equals(error, e.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, deviceId, eventTime);
    }

    @Override
    public String toString() {
        return "DeviceEvent{" + type + " " + deviceId + " @" + eventTime + "}";
    }
}
