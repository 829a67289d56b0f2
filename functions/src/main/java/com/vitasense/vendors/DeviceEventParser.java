package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.Ids;
import java.util.Map;

/**
 * The record kinds every vendor shares (docs/design.md, "any vendor"): sync-session steps and device
 * status reports, each becoming one {@link DeviceEvent}.
 *
 * <ul>
 *   <li>{@code sync_started}, {@code sync_completed}, {@code sync_failed}: {@code {sync_id, error?,
 *       time?, device_model?}}. The payload's {@code sync_id} wins; the envelope's is the fallback.
 *   <li>{@code device_status}: {@code {battery_level?, firmware?, connected?, time?, device_model?}},
 *       battery in percent within [0, 100].
 * </ul>
 *
 * <p>The event time is the payload's {@code time} when present (same rules as reading times, see
 * {@link EventTimes}), else the envelope's {@code received_at}. The id hashes type, user, device,
 * event time and sync id: a re-sent event keeps its id, and two reports at the same instant upsert
 * into one.
 */
public final class DeviceEventParser {
    public static final String KIND_SYNC_STARTED = "sync_started";
    public static final String KIND_SYNC_COMPLETED = "sync_completed";
    public static final String KIND_SYNC_FAILED = "sync_failed";
    public static final String KIND_DEVICE_STATUS = "device_status";

    private static final Map<String, DeviceEvent.Type> TYPES = Map.of(
            KIND_SYNC_STARTED, DeviceEvent.Type.SYNC_STARTED,
            KIND_SYNC_COMPLETED, DeviceEvent.Type.SYNC_COMPLETED,
            KIND_SYNC_FAILED, DeviceEvent.Type.SYNC_FAILED,
            KIND_DEVICE_STATUS, DeviceEvent.Type.DEVICE_STATUS);

    private static final String P = "payload";

    private DeviceEventParser() {}

    /** True for the kinds this parser handles, whatever the vendor. */
    public static boolean handles(String kind) {
        return kind != null && TYPES.containsKey(kind);
    }

    /** Parses a device-event envelope; {@link #handles} must be true for its kind. */
    public static DeviceEvent parse(Envelope env) throws RecordRejectedException {
        DeviceEvent.Type type = TYPES.get(env.kind());
        if (type == null) throw new IllegalArgumentException("not a device-event kind: " + env.kind());
        JsonNode p = env.payload();
        if (!p.isObject()) {
            throw new RecordRejectedException(INVALID_FIELD, "payload of " + env.kind() + " must be an object");
        }

        DeviceEvent e = new DeviceEvent();
        e.type = type.name();
        e.userId = env.userId();
        e.deviceId = env.deviceId();
        e.vendor = env.vendor();
        e.deviceModel = JsonFields.optionalText(p, P, "device_model");
        EventTimes.ParsedTime time = EventTimes.optional(p, P, "time", env.timeZone());
        e.eventTime = time == null ? env.receivedAt() : time.instant();
        String syncId = JsonFields.optionalId(p, P, "sync_id");
        e.syncId = syncId != null ? syncId : env.syncId();

        if (type == DeviceEvent.Type.DEVICE_STATUS) {
            e.batteryLevel = JsonFields.optionalNumber(p, P, "battery_level");
            if (e.batteryLevel != null && (e.batteryLevel < 0 || e.batteryLevel > 100)) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "payload.battery_level must be within 0..100 %, got " + e.batteryLevel);
            }
            e.firmware = JsonFields.optionalText(p, P, "firmware");
            e.connected = JsonFields.optionalBoolean(p, P, "connected");
        } else {
            if (e.syncId == null) {
                throw new RecordRejectedException(MISSING_FIELD, "missing field payload.sync_id");
            }
            e.error = JsonFields.optionalText(p, P, "error");
        }
        e.id = Ids.hash("device_event", e.type, e.userId, e.deviceId, e.eventTime.toString(), e.syncId);
        return e;
    }
}
