package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * What one record tells about a device, as an upsert into {@code devices}. Null fields mean "not
 * known from this record"; the upsert keeps the newest of each, so the result does not depend on
 * the order in which updates arrive.
 */
public class DeviceUpdate {
    public String deviceId;
    public String userId;
    public String vendor;
    public String deviceModel;
    public Instant lastSeen;
    public Instant lastSync;
    public Double batteryLevel;
    /** Event time of {@link #batteryLevel}; the newest report wins. */
    public Instant batteryAt;
    /** {@code ok}, {@code degraded} or {@code offline}, from the device's open alerts; null when not known. */
    public String status;
    /** Event time of {@link #status}; the newest status wins. */
    public Instant statusAt;

    public DeviceUpdate() {}

    /** The key that routes all updates of one device to one writer. */
    public static String deviceKey(DeviceUpdate u) {
        return u.deviceId;
    }

    public static DeviceUpdate seen(DataPoint p) {
        DeviceUpdate u = new DeviceUpdate();
        u.deviceId = p.deviceId;
        u.userId = p.userId;
        u.vendor = p.vendor;
        u.deviceModel = p.deviceModel;
        u.lastSeen = p.startTime;
        return u;
    }

    /** The device's status changed at {@code at}, from its open alerts. */
    public static DeviceUpdate status(String deviceId, String userId, String vendor, String status, Instant at) {
        DeviceUpdate u = new DeviceUpdate();
        u.deviceId = deviceId;
        u.userId = userId;
        u.vendor = vendor;
        u.status = status;
        u.statusAt = at;
        return u;
    }

    public static DeviceUpdate from(DeviceEvent e) {
        DeviceUpdate u = new DeviceUpdate();
        u.deviceId = e.deviceId;
        u.userId = e.userId;
        u.vendor = e.vendor;
        u.deviceModel = e.deviceModel;
        // A completed sync session, or the last upload the vendor reports for the device.
        if (DeviceEvent.Type.SYNC_COMPLETED.name().equals(e.type)) u.lastSync = e.eventTime;
        if (e.lastSync != null && (u.lastSync == null || e.lastSync.isAfter(u.lastSync))) u.lastSync = e.lastSync;
        if (e.batteryLevel != null) {
            u.batteryLevel = e.batteryLevel;
            u.batteryAt = e.eventTime;
        }
        return u;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeviceUpdate u)) return false;
        return Objects.equals(deviceId, u.deviceId) && Objects.equals(userId, u.userId)
                && Objects.equals(vendor, u.vendor) && Objects.equals(deviceModel, u.deviceModel)
                && Objects.equals(lastSeen, u.lastSeen) && Objects.equals(lastSync, u.lastSync)
                && Objects.equals(batteryLevel, u.batteryLevel) && Objects.equals(batteryAt, u.batteryAt)
                && Objects.equals(status, u.status) && Objects.equals(statusAt, u.statusAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, lastSeen, lastSync, batteryAt);
    }

    @Override
    public String toString() {
        return "DeviceUpdate{" + deviceId + " seen=" + lastSeen + " sync=" + lastSync + " battery=" + batteryLevel
                + (status != null ? " status=" + status + "@" + statusAt : "") + "}";
    }
}
