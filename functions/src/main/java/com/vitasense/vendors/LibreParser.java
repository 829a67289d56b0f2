package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.units.Metric;
import com.vitasense.units.Units;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.util.ArrayList;
import java.util.List;

/**
 * FreeStyle Libre through LibreLinkUp, vendor {@code libre}.
 *
 * <ul>
 *   <li>{@code glucose}: {@code {sensor: {deviceId, sn, a}, items: [glucose items]}}, one
 *       {@code glucose} point per item. {@code ValueInMgPerDl} is used when present (exact, no
 *       conversion); otherwise {@code Value} in the account's unit, {@code GlucoseUnits} 0 =
 *       mmol/L (converted with the one factor) or 1 = mg/dL. {@code isHigh} / {@code isLow} mark
 *       a reading at the sensor's reporting limit (HI / LO on the reader): the point is flagged
 *       {@code SENSOR_LIMIT_HIGH} / {@code SENSOR_LIMIT_LOW}; unlike Dexcom, LibreLinkUp still
 *       sends a number, which is kept. Trend arrow and colour are not mapped.
 * </ul>
 *
 * <p>Time: {@code FactoryTimestamp} is UTC (sent as {@code M/d/yyyy h:mm:ss AM}, no offset):
 * VENDOR_OFFSET. {@code Timestamp} is the phone's local clock, used only without a factory
 * timestamp: resolved with the profile zone (PROFILE_TIME_ZONE), else ASSUMED_UTC. Items have no
 * ids: content ids. The device model is {@code FreeStyle Libre}; the sensor serial is not kept.
 */
public final class LibreParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "libre";
    public static final String KIND_GLUCOSE = "glucose";
    public static final String MODEL = "FreeStyle Libre";

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        if (!KIND_GLUCOSE.equals(env.kind())) {
            throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor libre (known: glucose, sync_started, sync_completed, sync_failed, device_status)");
        }
        JsonNode p = VendorFields.objectPayload(env);
        JsonNode items = VendorFields.requiredArray(p, "payload", "items");
        List<DataPoint> points = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = VendorFields.at("payload.items", i);
            JsonNode item = VendorFields.objectAt(items, i, "payload.items");
            points.add(glucose(env, item, path));
        }
        return ParseResult.ofPoints(points);
    }

    private static DataPoint glucose(Envelope env, JsonNode item, String path) throws RecordRejectedException {
        ParsedTime time = VendorTimes.libre(item, path, "FactoryTimestamp", true, env.timeZone());
        if (time == null) time = VendorTimes.libre(item, path, "Timestamp", false, env.timeZone());
        if (time == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + path + ".FactoryTimestamp");

        VendorPoint point = VendorPoint.of(env, Metric.GLUCOSE);
        VendorFields.Num mgDl = VendorFields.optionalNumeric(item, path, "ValueInMgPerDl");
        if (mgDl != null) {
            point.number(mgDl, Units.MG_DL);
        } else {
            VendorFields.Num value = VendorFields.requiredNumeric(item, path, "Value");
            Integer units = VendorFields.optionalInt(item, path, "GlucoseUnits");
            if (units == null) {
                throw new RecordRejectedException(MISSING_FIELD, "missing field " + path
                        + ".GlucoseUnits (needed to read Value without ValueInMgPerDl)");
            }
            String unit = switch (units) {
                case 0 -> "mmol/L";
                case 1 -> Units.MG_DL;
                default -> throw new RecordRejectedException(INVALID_FIELD, "field " + path
                        + ".GlucoseUnits must be 0 (mmol/L) or 1 (mg/dL), got " + units);
            };
            point.number(value, unit);
        }
        if (Boolean.TRUE.equals(JsonFields.optionalBoolean(item, path, "isHigh"))) point.flag(QualityFlag.SENSOR_LIMIT_HIGH);
        if (Boolean.TRUE.equals(JsonFields.optionalBoolean(item, path, "isLow"))) point.flag(QualityFlag.SENSOR_LIMIT_LOW);
        return point.at(time).model(MODEL).label(path).build();
    }
}
