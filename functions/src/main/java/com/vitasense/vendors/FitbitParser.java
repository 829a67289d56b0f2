package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.units.Metric;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fitbit Web API, vendor {@code fitbit}.
 *
 * <ul>
 *   <li>{@code heart_intraday}: the intraday heart-rate response ({@code activities-heart} day
 *       summary, {@code activities-heart-intraday} dataset). One {@code heart_rate} point per
 *       dataset entry over [time, time + datasetInterval), and the summary's
 *       {@code restingHeartRate} as one {@code resting_heart_rate} point over the day. The older
 *       summary format, whose {@code value} is a string, carries no resting heart rate.
 *       Heart-rate zones are not mapped.
 *   <li>{@code steps_intraday}: the same shape for steps: one {@code steps} point per dataset entry
 *       (zero-step minutes included: they are measurements). Without an intraday dataset (apps
 *       without intraday access), the summary's day total (a string, {@code "8765"}) becomes one
 *       point over the day; with one, the total is not emitted, as it would count every step twice.
 *   <li>{@code devices}: the devices list (a JSON array). One {@code DEVICE_STATUS} event per
 *       device: {@code batteryLevel} in percent, {@code battery} as the coarse state,
 *       {@code deviceVersion} as model, {@code lastSyncTime} as event time and last sync. The
 *       envelope's device is the account's tracker (the heart-rate and step data come from it under
 *       the same device id): the TRACKER entry, the most recently synced one if there are several,
 *       or the only entry. Every other device (an Aria scale, an older tracker) gets the device id
 *       {@code <device_id>/<fitbit device id>}, so its battery never overwrites the tracker's.
 * </ul>
 *
 * <p>Time: Fitbit sends local wall-clock times without an offset ({@code dateTime} +
 * {@code HH:mm:ss}, {@code lastSyncTime}). They are resolved with the envelope's
 * {@code time_zone} (PROFILE_TIME_ZONE), else read as UTC and marked ASSUMED_UTC. A dataset is
 * resolved in order, so on the day clocks go back, the repeated hour's second pass takes the later
 * offset ({@link VendorTimes.LocalSequence}). Only single-day responses are accepted (the intraday
 * API serves at most 24 h). Fitbit readings have no ids: point ids are content ids. Values may be
 * numbers or numeric strings.
 */
public final class FitbitParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "fitbit";
    public static final String KIND_HEART = "heart_intraday";
    public static final String KIND_STEPS = "steps_intraday";
    public static final String KIND_DEVICES = "devices";

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        return switch (env.kind()) {
            case KIND_HEART -> ParseResult.ofPoints(intraday(env, "activities-heart", Metric.HEART_RATE));
            case KIND_STEPS -> ParseResult.ofPoints(intraday(env, "activities-steps", Metric.STEPS));
            case KIND_DEVICES -> ParseResult.of(List.of(), devices(env), List.of());
            default -> throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor fitbit (known: heart_intraday, steps_intraday, devices, sync_started, sync_completed, "
                    + "sync_failed, device_status)");
        };
    }

    private static List<DataPoint> intraday(Envelope env, String resource, Metric metric) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String summaryPath = "payload." + resource;
        JsonNode summaries = VendorFields.requiredArray(p, "payload", resource);
        if (summaries.size() != 1) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + summaryPath + " must hold exactly one day, got "
                    + summaries.size() + " (send one day per envelope)");
        }
        String dayPath = VendorFields.at(summaryPath, 0);
        JsonNode summary = VendorFields.objectAt(summaries, 0, summaryPath);
        LocalDate day = VendorTimes.date(JsonFields.requiredText(summary, dayPath, "dateTime"), dayPath + ".dateTime");

        List<DataPoint> points = new ArrayList<>();
        JsonNode intraday = VendorFields.optionalObject(p, "payload", resource + "-intraday");
        if (metric == Metric.HEART_RATE) {
            restingHeartRate(env, summary, dayPath, day, points);
        } else if (intraday == null) {
            dayTotal(env, summary, dayPath, day, points);
        }
        if (intraday != null) {
            dataset(env, intraday, "payload." + resource + "-intraday", day, metric, points);
        }
        return points;
    }

    private static void dataset(Envelope env, JsonNode intraday, String path, LocalDate day, Metric metric,
                                List<DataPoint> out) throws RecordRejectedException {
        JsonNode dataset = VendorFields.requiredArray(intraday, path, "dataset");
        long stepSeconds = intervalSeconds(intraday, path);
        String setPath = path + ".dataset";
        VendorTimes.LocalSequence times = new VendorTimes.LocalSequence(env.timeZone());
        for (int i = 0; i < dataset.size(); i++) {
            String itemPath = VendorFields.at(setPath, i);
            JsonNode item = VendorFields.objectAt(dataset, i, setPath);
            String clock = JsonFields.requiredText(item, itemPath, "time");
            LocalTime time = VendorTimes.clock(clock, itemPath + ".time");
            ParsedTime start = times.resolve(LocalDateTime.of(day, time), itemPath + ".time", day + " " + clock);
            VendorFields.Num value = VendorFields.requiredNumeric(item, itemPath, "value");
            out.add(VendorPoint.of(env, metric)
                    .number(value, metric.canonicalUnit())
                    .between(start, start.instant().plusSeconds(stepSeconds))
                    .label(itemPath)
                    .build());
        }
    }

    /** datasetInterval (default 1) times the datasetType's unit: minute or second. */
    private static long intervalSeconds(JsonNode intraday, String path) throws RecordRejectedException {
        String type = VendorFields.requiredLower(intraday, path, "datasetType");
        Integer interval = VendorFields.optionalInt(intraday, path, "datasetInterval");
        int n = interval == null ? 1 : interval;
        if (n < 1 || n > 1440) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + path + ".datasetInterval must be within 1..1440, got " + n);
        }
        return switch (type) {
            case "minute" -> n * 60L;
            case "second" -> n;
            default -> throw new RecordRejectedException(INVALID_FIELD, "field " + path
                    + ".datasetType must be minute or second, got " + JsonFields.quote(type));
        };
    }

    private static void restingHeartRate(Envelope env, JsonNode summary, String dayPath, LocalDate day,
                                         List<DataPoint> out) throws RecordRejectedException {
        JsonNode value = JsonFields.get(summary, "value");
        if (value == null || value.isTextual()) return; // older format: no resting heart rate in it
        if (!value.isObject()) throw VendorFields.wrongType(dayPath + ".value", "an object or a string", value);
        VendorFields.Num resting = VendorFields.optionalNumeric(value, dayPath + ".value", "restingHeartRate");
        if (resting == null) return; // Fitbit omits it on days without enough wear
        out.add(wholeDay(env, Metric.RESTING_HEART_RATE, resting, day, dayPath + ".value.restingHeartRate"));
    }

    private static void dayTotal(Envelope env, JsonNode summary, String dayPath, LocalDate day, List<DataPoint> out)
            throws RecordRejectedException {
        VendorFields.Num total = VendorFields.requiredNumeric(summary, dayPath, "value");
        out.add(wholeDay(env, Metric.STEPS, total, day, dayPath + ".value"));
    }

    /** A value over the local day [midnight, next midnight), which is 23 or 25 h on DST days. */
    private static DataPoint wholeDay(Envelope env, Metric metric, VendorFields.Num value, LocalDate day, String label)
            throws RecordRejectedException {
        ParsedTime start = VendorTimes.local(day.atStartOfDay(), env.timeZone(), label, day.toString());
        ParsedTime end = VendorTimes.local(day.plusDays(1).atStartOfDay(), env.timeZone(), label, day.toString());
        return VendorPoint.of(env, metric)
                .number(value, metric.canonicalUnit())
                .between(start, end.instant())
                .label(label)
                .build();
    }

    /** One entry of the devices list, read before the device ids are assigned. */
    private record FitbitDevice(String fitbitId, boolean tracker, ParsedTime lastSync, String model,
                                Double batteryLevel, String batteryState) {}

    private static List<DeviceEvent> devices(Envelope env) throws RecordRejectedException {
        JsonNode list = VendorFields.arrayPayload(env);
        List<FitbitDevice> devices = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = VendorFields.at("payload", i);
            JsonNode d = VendorFields.objectAt(list, i, "payload");
            String fitbitId = JsonFields.optionalId(d, path, "id");
            if (fitbitId == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + path + ".id");
            VendorFields.Num level = VendorFields.optionalNumeric(d, path, "batteryLevel");
            if (level != null && (level.value() < 0 || level.value() > 100)) {
                throw new RecordRejectedException(INVALID_FIELD, "field " + path
                        + ".batteryLevel must be within 0..100 %, got " + level.text());
            }
            String battery = JsonFields.optionalText(d, path, "battery");
            String type = JsonFields.optionalText(d, path, "type");
            devices.add(new FitbitDevice(fitbitId, type != null && type.strip().equalsIgnoreCase("TRACKER"),
                    EventTimes.optional(d, path, "lastSyncTime", env.timeZone()),
                    JsonFields.optionalText(d, path, "deviceVersion"),
                    level == null ? null : level.value(),
                    battery == null ? null : battery.strip().toLowerCase(Locale.ROOT)));
        }

        FitbitDevice primary = primary(devices);
        List<DeviceEvent> events = new ArrayList<>();
        for (FitbitDevice d : devices) {
            String deviceId = d == primary ? env.deviceId() : env.deviceId() + "/" + d.fitbitId();
            DeviceEvent e = VendorRecords.event(env, DeviceEvent.Type.DEVICE_STATUS, deviceId, d.lastSync(), d.fitbitId());
            e.vendorDeviceId = d.fitbitId();
            e.deviceModel = d.model();
            e.lastSync = d.lastSync() == null ? null : d.lastSync().instant();
            e.batteryLevel = d.batteryLevel();
            e.batteryState = d.batteryState();
            events.add(e);
        }
        return events;
    }

    /** The most recently synced tracker, else the only device, else none. */
    private static FitbitDevice primary(List<FitbitDevice> devices) {
        FitbitDevice primary = null;
        for (FitbitDevice d : devices) {
            if (!d.tracker()) continue;
            if (primary == null || (d.lastSync() != null
                    && (primary.lastSync() == null || d.lastSync().instant().isAfter(primary.lastSync().instant())))) {
                primary = d;
            }
        }
        return primary == null && devices.size() == 1 ? devices.get(0) : primary;
    }
}
