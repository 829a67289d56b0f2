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
    /** The vendor's coarse battery state ({@code high, medium, low, empty}), when reported. */
    public String batteryState;
    /** Event time of {@link #batteryState}; the newest report wins. */
    public Instant batteryStateAt;
    /** Whether the device charges, when reported (Oura {@code charging}). */
    public Boolean charging;
    /** Whether the device sits on its charger, when reported (Oura {@code in_charger}). */
    public Boolean inCharger;
    /** Event time of {@link #charging} and {@link #inCharger}, reported together; the newest report wins. */
    public Instant chargingAt;
    /** The code of a sensor error reported in place of a reading (Nightscout, Dexcom). */
    public String sensorErrorCode;
    /** The description of that sensor error. */
    public String sensorError;
    /** Event time of the sensor error; the newest error wins. */
    public Instant sensorErrorAt;

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
        if (e.batteryState != null) {
            u.batteryState = e.batteryState;
            u.batteryStateAt = e.eventTime;
        }
        // Reported together by one sample: the newest sample's pair wins, a missing one as NULL.
        if (e.charging != null || e.inCharger != null) {
            u.charging = e.charging;
            u.inCharger = e.inCharger;
            u.chargingAt = e.eventTime;
        }
        if (DeviceEvent.Type.SENSOR_ERROR.name().equals(e.type)) {
            u.sensorErrorCode = e.errorCode;
            u.sensorError = e.error;
            u.sensorErrorAt = e.eventTime;
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
                && Objects.equals(status, u.status) && Objects.equals(statusAt, u.statusAt)
                && Objects.equals(batteryState, u.batteryState) && Objects.equals(batteryStateAt, u.batteryStateAt)
                && Objects.equals(charging, u.charging) && Objects.equals(inCharger, u.inCharger)
                && Objects.equals(chargingAt, u.chargingAt) && Objects.equals(sensorErrorCode, u.sensorErrorCode)
                && Objects.equals(sensorError, u.sensorError) && Objects.equals(sensorErrorAt, u.sensorErrorAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, lastSeen, lastSync, batteryAt);
    }

    @Override
    public String toString() {
        return "DeviceUpdate{" + deviceId + " seen=" + lastSeen + " sync=" + lastSync + " battery=" + batteryLevel
                + (batteryState != null ? " batteryState=" + batteryState : "")
                + (chargingAt != null ? " charging=" + charging + " inCharger=" + inCharger : "")
                + (sensorErrorCode != null ? " sensorError=" + sensorErrorCode + "@" + sensorErrorAt : "")
                + (status != null ? " status=" + status + "@" + statusAt : "") + "}";
    }
}
