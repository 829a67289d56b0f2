package com.vitasense.records;

import java.time.Instant;
import java.util.Objects;

/**
 * A device-level event that is not a measurement: a status report (battery, firmware,
 * connectivity, calibration), a step of a sync session, or a sensor error reported in place of a
 * reading. Feeds the {@code devices} table now and the device and sync patterns later.
 *
 * <p>A Flink POJO: every field is public and nullable except {@link #type}; fields that a kind of
 * event does not carry stay null.
 */
public class DeviceEvent {
    /**
     * What kind of event this is. Consumers match on the names; new types are appended.
     */
    public enum Type {
        DEVICE_STATUS,
        SYNC_STARTED,
        SYNC_COMPLETED,
        SYNC_FAILED,
        /**
         * The sensor reported an error instead of a reading (a Nightscout sgv below 39, a Dexcom EGV
         * without a value): {@link #errorCode} and {@link #error} say which. Not a measurement, so
         * it never becomes a data point.
         */
        SENSOR_ERROR
    }

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
    /** Why a sync failed, or the description of a {@link Type#SENSOR_ERROR}. */
    public String error;
    /** The vendor's coarse battery state in lower case ({@code high, medium, low, empty}), when reported. */
    public String batteryState;
    /** True while the device charges, when reported (Oura ring battery). */
    public Boolean charging;
    /**
     * True while the device sits on its charger, when reported (Oura {@code in_charger}); a full
     * ring is in the charger without charging.
     */
    public Boolean inCharger;
    /**
     * When the device last uploaded to its vendor's cloud, as the vendor reports it (Fitbit
     * {@code lastSyncTime}, Dexcom {@code lastUploadDate}); becomes {@code devices.last_sync}.
     */
    public Instant lastSync;
    /** The vendor's own id of the device (Fitbit device id, Dexcom transmitter id), when known. */
    public String vendorDeviceId;
    /**
     * True while the vendor says its scores are still calibrating to the user, so they are not yet
     * reliable (WHOOP {@code user_calibrating}); false once calibrated; null when not reported.
     */
    public Boolean calibrating;
    /** {@link Type#SENSOR_ERROR}: the vendor's error code as text (Nightscout {@code 1, 5, 9, 12}). */
    public String errorCode;
    /** A {@link TimeSource} name: how {@link #eventTime} was determined; null when it is the receive time. */
    public String timeSource;

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
                && Objects.equals(error, e.error) && Objects.equals(batteryState, e.batteryState)
                && Objects.equals(charging, e.charging) && Objects.equals(inCharger, e.inCharger)
                && Objects.equals(lastSync, e.lastSync)
                && Objects.equals(vendorDeviceId, e.vendorDeviceId) && Objects.equals(calibrating, e.calibrating)
                && Objects.equals(errorCode, e.errorCode) && Objects.equals(timeSource, e.timeSource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, deviceId, eventTime);
    }

    @Override
    public String toString() {
        return "DeviceEvent{" + type + " " + deviceId + " @" + eventTime
                + (batteryLevel != null ? " battery=" + batteryLevel : "")
                + (errorCode != null ? " code=" + errorCode : "")
                + (error != null ? " error=" + error : "") + "}";
    }
}
