package com.vitasense.vendors;

import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Ids;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.units.Metric;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.time.Instant;

/**
 * Device events and reference measurements read from vendor payloads, with the envelope's fields
 * and deterministic ids filled in the same way for every vendor.
 */
final class VendorRecords {
    /** Source of a fingerstick calibration entered on a Dexcom system. */
    static final String SOURCE_DEXCOM_CALIBRATION = "dexcom_calibration";
    /** Source of a meter glucose value uploaded to Nightscout ({@code mbg} entry). */
    static final String SOURCE_NIGHTSCOUT_MBG = "nightscout_mbg";
    /** Source of calibration parameters uploaded to Nightscout ({@code cal} entry). */
    static final String SOURCE_NIGHTSCOUT_CAL = "nightscout_cal";

    private VendorRecords() {}

    /**
     * A device event of the envelope's user and device at {@code time} (null: the envelope's
     * {@code received_at}, with a null time source).
     *
     * <p>Id: {@code Ids.hash("device_event", type, user, device, eventTime, discriminator)}, the
     * recipe of {@link DeviceEventParser} with the vendor's record or device id in place of the
     * sync id: the same vendor record re-sent in another sync session is the same event.
     */
    static DeviceEvent event(Envelope env, DeviceEvent.Type type, String deviceId, ParsedTime time,
                             String discriminator) {
        DeviceEvent e = new DeviceEvent();
        e.type = type.name();
        e.userId = env.userId();
        e.deviceId = deviceId;
        e.vendor = env.vendor();
        e.eventTime = time == null ? env.receivedAt() : time.instant();
        e.timeSource = time == null ? null : time.source().name();
        e.syncId = env.syncId();
        e.id = Ids.hash("device_event", e.type, e.userId, e.deviceId, e.eventTime.toString(), discriminator);
        return e;
    }

    /**
     * A glucose reference in mg/dL at {@code time}. Id: the recipe of {@link CanonicalParser}
     * ({@code Ids.hash("reference", user, device, metric, time, source)}), so a corrected
     * reference for the same moment and source replaces the earlier one on upsert.
     *
     * @param valueMgDl null for a record that only carries calibration parameters
     */
    static ReferenceMeasurement glucoseReference(Envelope env, Double valueMgDl, String rawValue, String rawUnit,
                                                 Instant time, String source) {
        ReferenceMeasurement r = new ReferenceMeasurement();
        r.userId = env.userId();
        r.deviceId = env.deviceId();
        r.vendor = env.vendor();
        r.metric = Metric.GLUCOSE.key();
        r.value = valueMgDl;
        r.unit = Metric.GLUCOSE.canonicalUnit();
        r.rawValue = rawValue;
        r.rawUnit = rawUnit;
        r.time = time;
        r.source = source;
        r.id = Ids.hash("reference", r.userId, r.deviceId, r.metric, r.time.toString(), r.source);
        return r;
    }
}
