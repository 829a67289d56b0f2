package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.NOT_YET_SUPPORTED;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.units.Metric;
import com.vitasense.units.Units;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Nightscout, vendor {@code nightscout}: kind {@code entries}, the payload an array of entries as
 * {@code /api/v1/entries.json} returns them. Glucose in Nightscout is always mg/dL.
 *
 * <ul>
 *   <li>{@code sgv} (sensor glucose): {@code sgv} below 39 is not glucose but a Dexcom error code
 *       (1 sensor not active, 2 minimal deviation, 3 no antenna, 5 sensor not calibrated, 6 counts
 *       deviation, 9 absolute deviation, 10 power deviation, 12 bad RF): a {@code SENSOR_ERROR}
 *       device event with the code and its description, never a glucose point. {@code sgv} 39 is
 *       the uploaders' "LOW" (below the sensor's range): a point flagged {@code SENSOR_LIMIT_LOW}
 *       with the limit {@value DexcomParser#LOW_LIMIT_MG_DL} mg/dL as value and "39" as raw value.
 *       Anything else is a glucose point. Values above 400 are kept as sent: Libre-based uploaders
 *       report up to 500, so there is no high sentinel to rely on.
 *   <li>{@code mbg} (meter glucose): a {@link ReferenceMeasurement}, source {@code nightscout_mbg}.
 *   <li>{@code cal}: the sensor's calibration parameters ({@code slope}, {@code intercept},
 *       {@code scale}) as a {@link ReferenceMeasurement} without value, source
 *       {@code nightscout_cal}.
 *   <li>Any other entry type is {@code NOT_YET_SUPPORTED}, naming the type.
 * </ul>
 *
 * <p>Time: {@code date} (epoch millis, UTC: VENDOR_OFFSET), else {@code dateString} or
 * {@code sysTime} (ISO-8601, by {@link EventTimes} rules). Ids: content ids. The entry's
 * {@code _id} is Nightscout's database key, not the reading's identity: uploaders re-post the same
 * reading under new {@code _id}s, which Nightscout itself de-duplicates by date and type. The
 * {@code device} text (e.g. {@code xDrip-DexcomG6}) is the device model. Trend, noise and raw
 * signal fields are not mapped.
 */
public final class NightscoutParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "nightscout";
    public static final String KIND_ENTRIES = "entries";

    /** sgv values below this are error codes. */
    public static final int FIRST_GLUCOSE_SGV = 39;
    /** The sgv uploaders send for a reading below the sensor's range ("LOW"). */
    public static final int LOW_SGV = 39;

    /** Dexcom error codes as Nightscout's errorcodes plugin knows them. */
    static final Map<Integer, String> ERROR_CODES = Map.of(
            1, "sensor not active",
            2, "minimal deviation",
            3, "no antenna",
            5, "sensor not calibrated",
            6, "counts deviation",
            9, "absolute deviation",
            10, "power deviation",
            12, "bad RF");

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        if (!KIND_ENTRIES.equals(env.kind())) {
            throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor nightscout (known: entries, sync_started, sync_completed, sync_failed, device_status)");
        }
        JsonNode entries = VendorFields.arrayPayload(env);
        List<DataPoint> points = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        List<ReferenceMeasurement> refs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = VendorFields.at("payload", i);
            JsonNode e = VendorFields.objectAt(entries, i, "payload");
            String type = JsonFields.requiredText(e, path, "type");
            ParsedTime time = time(e, path, env);
            String device = JsonFields.optionalText(e, path, "device");
            switch (type) {
                case "sgv" -> sgv(env, e, path, time, device, points, events);
                case "mbg" -> {
                    VendorFields.Num mbg = VendorFields.requiredNumeric(e, path, "mbg");
                    refs.add(VendorRecords.glucoseReference(env, mbg.value(), mbg.text(), Units.MG_DL, time.instant(),
                            VendorRecords.SOURCE_NIGHTSCOUT_MBG));
                }
                case "cal" -> {
                    ReferenceMeasurement r = VendorRecords.glucoseReference(env, null, null, null, time.instant(),
                            VendorRecords.SOURCE_NIGHTSCOUT_CAL);
                    r.slope = VendorFields.requiredNumeric(e, path, "slope").value();
                    r.intercept = VendorFields.requiredNumeric(e, path, "intercept").value();
                    VendorFields.Num scale = VendorFields.optionalNumeric(e, path, "scale");
                    r.scale = scale == null ? null : scale.value();
                    refs.add(r);
                }
                default -> throw new RecordRejectedException(NOT_YET_SUPPORTED, "nightscout entry type "
                        + JsonFields.quote(type) + " at " + path + " is not mapped yet (mapped: sgv, mbg, cal)");
            }
        }
        return ParseResult.of(points, events, refs);
    }

    private static void sgv(Envelope env, JsonNode e, String path, ParsedTime time, String device,
                            List<DataPoint> points, List<DeviceEvent> events) throws RecordRejectedException {
        VendorFields.Num sgv = VendorFields.requiredNumeric(e, path, "sgv");
        if (sgv.value() < FIRST_GLUCOSE_SGV) {
            if (sgv.value() < 0 || sgv.value() != Math.rint(sgv.value())) {
                throw new RecordRejectedException(INVALID_FIELD, "field " + path + ".sgv " + sgv.text()
                        + " is neither glucose nor an error code");
            }
            int code = (int) sgv.value();
            DeviceEvent ev = VendorRecords.event(env, DeviceEvent.Type.SENSOR_ERROR, env.deviceId(), time,
                    Integer.toString(code));
            ev.deviceModel = device;
            ev.errorCode = Integer.toString(code);
            ev.error = ERROR_CODES.getOrDefault(code, "unknown sensor error");
            events.add(ev);
            return;
        }
        VendorPoint point = VendorPoint.of(env, Metric.GLUCOSE);
        if (sgv.value() == LOW_SGV) {
            point.number(DexcomParser.LOW_LIMIT_MG_DL, sgv.text(), Units.MG_DL, Units.MG_DL)
                    .flag(QualityFlag.SENSOR_LIMIT_LOW);
        } else {
            point.number(sgv, Units.MG_DL);
        }
        points.add(point.at(time).model(device).label(path).build());
    }

    private static ParsedTime time(JsonNode e, String path, Envelope env) throws RecordRejectedException {
        JsonNode date = JsonFields.get(e, "date");
        if (date != null) {
            // Some uploaders write the epoch millis as a float ("1764237300000.0"): whole numbers are fine.
            if (date.isNumber() && !date.isIntegralNumber() && date.doubleValue() == Math.rint(date.doubleValue())
                    && Math.abs(date.doubleValue()) < 1e15) {
                date = LongNode.valueOf((long) date.doubleValue());
            }
            return EventTimes.parse(date, path + ".date", env.timeZone());
        }
        ParsedTime t = EventTimes.optional(e, path, "dateString", env.timeZone());
        if (t == null) t = EventTimes.optional(e, path, "sysTime", env.timeZone());
        if (t == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + path + ".date");
        return t;
    }
}
