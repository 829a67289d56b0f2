package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;
import static com.vitasense.records.DeadLetterReason.UNSUPPORTED_UNIT;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.QualityFlag;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.units.Metric;
import com.vitasense.units.Units;
import com.vitasense.units.UnsupportedUnitException;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dexcom API v3, vendor {@code dexcom}: the {@code /v3/users/self/...} responses,
 * {@code {recordType, recordVersion, userId, records: [...]}}.
 *
 * <ul>
 *   <li>{@code egvs}: one {@code glucose} point per record, in mg/dL ({@code unit} mmol/L is
 *       converted with the one factor; {@code unknown} or absent is mg/dL, the unit of v3 EGV
 *       values). Sentinels are not measurements: {@code status} {@code high} or {@code low} (the
 *       value is usually null) becomes a point flagged {@code SENSOR_LIMIT_HIGH} / {@code
 *       SENSOR_LIMIT_LOW} whose value is the sensor's reporting limit, {@value #HIGH_LIMIT_MG_DL} /
 *       {@value #LOW_LIMIT_MG_DL} mg/dL: the true glucose is at least / at most that, and the
 *       sent value, if any, is kept as raw value. A record with a null value and any other status
 *       (ok, unknown, none: warm-up, signal loss, a sensor error the receiver shows as "???") is
 *       no reading; it becomes a {@code SENSOR_ERROR} device event with error code
 *       {@code no_value} and the status in the description, so the gap is visible and never
 *       silent. Trend and rate are not mapped.
 *   <li>{@code calibrations}: one {@link ReferenceMeasurement} per record (a fingerstick entered
 *       on the receiver or app), source {@code dexcom_calibration}, in mg/dL.
 *   <li>{@code devices}: one {@code DEVICE_STATUS} event per record (a display device: app,
 *       receiver) with {@code lastUploadDate} as event time and last sync, the transmitter id and
 *       the model from {@code transmitterGeneration} ({@code g7} becomes {@code Dexcom G7}). All
 *       records describe the envelope's CGM system, so they share its device id; they are emitted
 *       oldest upload first, so the newest model is written last. Alert settings are not mapped.
 * </ul>
 *
 * <p>Time: {@code systemTime} and {@code lastUploadDate} are UTC, sent without an offset:
 * VENDOR_OFFSET. {@code displayTime} is the receiver's local clock, which users set by hand and
 * which can be off; it is used only when {@code systemTime} is missing, with its own offset if it
 * has one (VENDOR_OFFSET), else the profile zone (PROFILE_TIME_ZONE) or UTC (ASSUMED_UTC). Ids:
 * {@code recordId} is the source record id, so a revised record (Dexcom re-sends after signal
 * loss, and occasionally revises) keeps its id and becomes the next revision.
 */
public final class DexcomParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "dexcom";
    public static final String KIND_EGVS = "egvs";
    public static final String KIND_CALIBRATIONS = "calibrations";
    public static final String KIND_DEVICES = "devices";

    /** Upper limit of a Dexcom sensor's reporting range; "high" means at least this. */
    public static final double HIGH_LIMIT_MG_DL = 400;
    /** Lower limit of a Dexcom sensor's reporting range; "low" means at most this. */
    public static final double LOW_LIMIT_MG_DL = 40;

    /** {@link DeviceEvent#errorCode} of an EGV record without a value. */
    public static final String ERROR_NO_VALUE = "no_value";

    private static final Map<String, String> GENERATIONS = Map.of(
            "g4", "Dexcom G4", "g5", "Dexcom G5", "g6", "Dexcom G6", "g6+", "Dexcom G6+", "g7", "Dexcom G7",
            "dexcompro", "Dexcom Pro", "one", "Dexcom ONE", "one+", "Dexcom ONE+", "stelo", "Dexcom Stelo");

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        return switch (env.kind()) {
            case KIND_EGVS -> egvs(env);
            case KIND_CALIBRATIONS -> ParseResult.of(List.of(), List.of(), calibrations(env));
            case KIND_DEVICES -> ParseResult.of(List.of(), devices(env), List.of());
            default -> throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor dexcom (known: egvs, calibrations, devices, sync_started, sync_completed, "
                    + "sync_failed, device_status)");
        };
    }

    private static ParseResult egvs(Envelope env) throws RecordRejectedException {
        JsonNode records = records(env, "egv");
        List<DataPoint> points = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String path = VendorFields.at("payload.records", i);
            JsonNode r = VendorFields.objectAt(records, i, "payload.records");
            String recordId = JsonFields.optionalId(r, path, "recordId");
            ParsedTime time = time(r, path, env);
            String model = model(r, path);
            String status = lower(JsonFields.optionalText(r, path, "status"));
            VendorFields.Num value = VendorFields.optionalNumeric(r, path, "value");
            String unit = JsonFields.optionalText(r, path, "unit");

            if ("high".equals(status) || "low".equals(status)) {
                boolean high = "high".equals(status);
                points.add(VendorPoint.of(env, Metric.GLUCOSE)
                        .number(high ? HIGH_LIMIT_MG_DL : LOW_LIMIT_MG_DL, value == null ? null : value.text(), unit,
                                Units.MG_DL)
                        .flag(high ? QualityFlag.SENSOR_LIMIT_HIGH : QualityFlag.SENSOR_LIMIT_LOW)
                        .at(time).model(model).record(recordId).label(path).build());
            } else if (value == null) {
                DeviceEvent e = VendorRecords.event(env, DeviceEvent.Type.SENSOR_ERROR, env.deviceId(), time, recordId);
                e.deviceModel = model;
                e.errorCode = ERROR_NO_VALUE;
                e.error = "EGV without a value (status " + (status == null ? "missing" : status) + ")";
                e.vendorDeviceId = JsonFields.optionalText(r, path, "transmitterId");
                events.add(e);
            } else {
                points.add(VendorPoint.of(env, Metric.GLUCOSE)
                        .number(value.value(), value.text(), unit, glucoseUnit(unit, path))
                        .at(time).model(model).record(recordId).label(path).build());
            }
        }
        return ParseResult.of(points, events, List.of());
    }

    private static List<ReferenceMeasurement> calibrations(Envelope env) throws RecordRejectedException {
        JsonNode records = records(env, "calibration");
        List<ReferenceMeasurement> refs = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String path = VendorFields.at("payload.records", i);
            JsonNode r = VendorFields.objectAt(records, i, "payload.records");
            ParsedTime time = time(r, path, env);
            VendorFields.Num value = VendorFields.requiredNumeric(r, path, "value");
            String unit = JsonFields.optionalText(r, path, "unit");
            double mgDl;
            try {
                mgDl = Units.normalize(Metric.GLUCOSE, value.value(), glucoseUnit(unit, path)).value();
            } catch (UnsupportedUnitException e) {
                throw new RecordRejectedException(UNSUPPORTED_UNIT, path + ": " + e.getMessage());
            }
            if (!Double.isFinite(mgDl)) {
                throw new RecordRejectedException(INVALID_FIELD, path + ": value " + value.text() + " overflows in conversion");
            }
            refs.add(VendorRecords.glucoseReference(env, mgDl, value.text(), unit, time.instant(),
                    VendorRecords.SOURCE_DEXCOM_CALIBRATION));
        }
        return refs;
    }

    private static List<DeviceEvent> devices(Envelope env) throws RecordRejectedException {
        JsonNode records = records(env, "device");
        List<DeviceEvent> events = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String path = VendorFields.at("payload.records", i);
            JsonNode r = VendorFields.objectAt(records, i, "payload.records");
            ParsedTime upload = VendorTimes.optionalUtc(r, path, "lastUploadDate");
            if (upload == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + path + ".lastUploadDate");
            String transmitter = JsonFields.optionalText(r, path, "transmitterId");
            String display = JsonFields.optionalText(r, path, "displayDevice");
            DeviceEvent e = VendorRecords.event(env, DeviceEvent.Type.DEVICE_STATUS, env.deviceId(), upload,
                    transmitter + "/" + display);
            e.deviceModel = model(r, path);
            e.lastSync = upload.instant();
            e.vendorDeviceId = transmitter;
            events.add(e);
        }
        events.sort(Comparator.comparing(e -> e.lastSync));
        return events;
    }

    /**
     * The records of a response. A {@code recordType} that is not the kind's (a calibrations page
     * sent as egvs) is {@code INVALID_FIELD}; an absent one is accepted.
     */
    private static JsonNode records(Envelope env, String recordType) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String type = JsonFields.optionalText(p, "payload", "recordType");
        if (type != null && !type.equalsIgnoreCase(recordType)) {
            throw new RecordRejectedException(INVALID_FIELD, "field payload.recordType is " + JsonFields.quote(type)
                    + ", but kind " + env.kind() + " carries " + recordType + " records");
        }
        return VendorFields.requiredArray(p, "payload", "records");
    }

    /** systemTime (UTC), else displayTime (the receiver's clock). */
    private static ParsedTime time(JsonNode r, String path, Envelope env) throws RecordRejectedException {
        ParsedTime system = VendorTimes.optionalUtc(r, path, "systemTime");
        if (system != null) return system;
        ParsedTime display = EventTimes.optional(r, path, "displayTime", env.timeZone());
        if (display == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + path + ".systemTime");
        return display;
    }

    /** The unit to convert from: mg/dL or mmol/L as sent; "unknown" or absent is mg/dL. */
    private static String glucoseUnit(String unit, String path) throws RecordRejectedException {
        if (unit == null || unit.strip().equalsIgnoreCase("unknown")) return Units.MG_DL;
        String u = unit.strip().toLowerCase(Locale.ROOT);
        if (u.equals("mg/dl") || u.equals("mmol/l")) return unit;
        throw new RecordRejectedException(UNSUPPORTED_UNIT, "field " + path + ".unit must be mg/dL, mmol/L or unknown, got "
                + JsonFields.quote(unit));
    }

    private static String model(JsonNode r, String path) throws RecordRejectedException {
        String generation = JsonFields.optionalText(r, path, "transmitterGeneration");
        if (generation == null) return null;
        String known = GENERATIONS.get(generation.strip().toLowerCase(Locale.ROOT));
        return known != null ? known : "Dexcom " + generation.strip();
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }
}
