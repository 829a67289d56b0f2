package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.units.Metric;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Oura API v2, vendor {@code oura}: the {@code /v2/usercollection/...} collection responses,
 * {@code {data: [...], next_token}} ({@code next_token} is the fetcher's business).
 *
 * <ul>
 *   <li>{@code heartrate}: one {@code heart_rate} point per sample at its {@code timestamp}. The
 *       sample's {@code source} (awake, rest, sleep, workout, ...) is not kept: the data point has
 *       no field for it.
 *   <li>{@code daily_readiness}: {@code score} as {@code readiness_score} and
 *       {@code temperature_deviation} (degC from the personal baseline) as
 *       {@code temperature_deviation}, at the document's {@code timestamp} (the local start of
 *       {@code day}); either may be null (no point then; a document with both null is reported as
 *       skipped, see below). The trend deviation and the contributors are not mapped.
 *   <li>{@code sleep}: per sleep period over [{@code bedtime_start}, {@code bedtime_end}]:
 *       {@code total_sleep_duration} (s) as {@code sleep_duration}, {@code efficiency} as
 *       {@code sleep_efficiency}, {@code average_breath} as {@code respiratory_rate},
 *       {@code lowest_heart_rate} as {@code resting_heart_rate} (Oura's resting heart rate is the
 *       lowest of the night); the 5-minute series {@code heart_rate} and {@code hrv} as
 *       {@code heart_rate} and {@code hrv_rmssd} points, one per non-null item (null items are
 *       gaps: the ring had no reading, which is not a value, so they are reported as skipped);
 *       and {@code sleep_phase_5_min} as one
 *       {@code sleep_stage} point per 5-minute epoch (1 deep, 2 light = {@code core}, 3 rem,
 *       4 awake). {@code low_battery_alert: true} becomes a {@code DEVICE_STATUS} event with
 *       battery state {@code low} at {@code bedtime_end}. A period of type {@code deleted} (Oura
 *       keeps it in the collection with its values nulled) is reported as skipped.
 *   <li>{@code ring_battery_level}: one {@code DEVICE_STATUS} event per sample: {@code level} as
 *       battery percent, {@code charging} and {@code in_charger} (on the charger, which a full
 *       ring is without charging).
 * </ul>
 *
 * <p>Nothing is dropped in silence: skipped items (deleted periods, null series items, documents
 * without any value) are named in one {@code NO_MEASUREMENT} dead letter of the envelope, and the
 * envelope's other output is kept ({@link SkippedItems}).
 *
 * <p>Time: Oura sends ISO-8601 with an offset (VENDOR_OFFSET). Ids: a document's {@code id} is the
 * points' source record id; series samples and sleep epochs use {@code id@sampleTime}. Heart-rate
 * and battery samples have no id: content ids.
 */
public final class OuraParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "oura";
    public static final String KIND_HEARTRATE = "heartrate";
    public static final String KIND_DAILY_READINESS = "daily_readiness";
    public static final String KIND_SLEEP = "sleep";
    public static final String KIND_RING_BATTERY_LEVEL = "ring_battery_level";

    /** Length of one {@code sleep_phase_5_min} epoch. */
    static final long PHASE_SECONDS = 300;

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        return switch (env.kind()) {
            case KIND_HEARTRATE -> ParseResult.ofPoints(heartRate(env));
            case KIND_DAILY_READINESS -> readiness(env);
            case KIND_SLEEP -> sleep(env);
            case KIND_RING_BATTERY_LEVEL -> ParseResult.of(List.of(), battery(env), List.of());
            default -> throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor oura (known: heartrate, daily_readiness, sleep, ring_battery_level, sync_started, "
                    + "sync_completed, sync_failed, device_status)");
        };
    }

    private static List<DataPoint> heartRate(Envelope env) throws RecordRejectedException {
        JsonNode data = data(env);
        List<DataPoint> points = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            String path = VendorFields.at("payload.data", i);
            JsonNode sample = VendorFields.objectAt(data, i, "payload.data");
            ParsedTime time = EventTimes.required(sample, path, "timestamp", env.timeZone());
            VendorFields.Num bpm = VendorFields.requiredNumeric(sample, path, "bpm");
            points.add(VendorPoint.of(env, Metric.HEART_RATE).number(bpm, "bpm").at(time).label(path).build());
        }
        return points;
    }

    private static ParseResult readiness(Envelope env) throws RecordRejectedException {
        JsonNode data = data(env);
        List<DataPoint> points = new ArrayList<>();
        SkippedItems skipped = new SkippedItems();
        for (int i = 0; i < data.size(); i++) {
            String path = VendorFields.at("payload.data", i);
            JsonNode doc = VendorFields.objectAt(data, i, "payload.data");
            String id = JsonFields.optionalId(doc, path, "id");
            ParsedTime time = EventTimes.optional(doc, path, "timestamp", env.timeZone());
            if (time == null) {
                String day = JsonFields.requiredText(doc, path, "day");
                LocalDate date = VendorTimes.date(day, path + ".day");
                time = VendorTimes.local(date.atStartOfDay(), env.timeZone(), path + ".day", day);
            }
            VendorFields.Num score = VendorFields.optionalNumeric(doc, path, "score");
            if (score != null) {
                points.add(VendorPoint.of(env, Metric.READINESS_SCORE).number(score, null).at(time).record(id)
                        .label(path + ".score").build());
            }
            VendorFields.Num deviation = VendorFields.optionalNumeric(doc, path, "temperature_deviation");
            if (deviation != null) {
                points.add(VendorPoint.of(env, Metric.TEMPERATURE_DEVIATION).number(deviation, "degC").at(time)
                        .record(id).label(path + ".temperature_deviation").build());
            }
            if (score == null && deviation == null) {
                skipped.record(path, "score and temperature_deviation are both null");
            }
        }
        return skipped.attachTo(ParseResult.ofPoints(points), env);
    }

    private static ParseResult sleep(Envelope env) throws RecordRejectedException {
        JsonNode data = data(env);
        List<DataPoint> points = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        SkippedItems skipped = new SkippedItems();
        for (int i = 0; i < data.size(); i++) {
            String path = VendorFields.at("payload.data", i);
            JsonNode doc = VendorFields.objectAt(data, i, "payload.data");
            String id = JsonFields.optionalId(doc, path, "id");
            if ("deleted".equals(JsonFields.optionalText(doc, path, "type"))) {
                // Oura keeps a period the user deleted in the collection, with its values nulled.
                skipped.record(path, "sleep period of type 'deleted'" + (id == null ? "" : " (id " + id + ")"));
                continue;
            }
            int before = points.size() + events.size();
            ParsedTime start = EventTimes.required(doc, path, "bedtime_start", env.timeZone());
            ParsedTime end = EventTimes.required(doc, path, "bedtime_end", env.timeZone());

            periodValue(env, doc, path, "total_sleep_duration", Metric.SLEEP_DURATION, "s", start, end, id, points);
            periodValue(env, doc, path, "efficiency", Metric.SLEEP_EFFICIENCY, "%", start, end, id, points);
            periodValue(env, doc, path, "average_breath", Metric.RESPIRATORY_RATE, "breaths/min", start, end, id, points);
            periodValue(env, doc, path, "lowest_heart_rate", Metric.RESTING_HEART_RATE, "bpm", start, end, id, points);
            series(env, doc, path, "heart_rate", Metric.HEART_RATE, "bpm", id, points, skipped);
            series(env, doc, path, "hrv", Metric.HRV_RMSSD, "ms", id, points, skipped);
            phases(env, doc, path, start, id, points);

            if (Boolean.TRUE.equals(JsonFields.optionalBoolean(doc, path, "low_battery_alert"))) {
                DeviceEvent e = VendorRecords.event(env, DeviceEvent.Type.DEVICE_STATUS, env.deviceId(), end, id);
                e.batteryState = "low";
                events.add(e);
            }
            if (points.size() + events.size() == before) {
                skipped.record(path, "sleep period of type " + JsonFields.quote(JsonFields.optionalText(doc, path, "type"))
                        + " without any value");
            }
        }
        return skipped.attachTo(ParseResult.of(points, events, List.of()), env);
    }

    /** A summary value of the whole sleep period; absent or null means no point. */
    private static void periodValue(Envelope env, JsonNode doc, String path, String field, Metric metric, String unit,
                                    ParsedTime start, ParsedTime end, String id, List<DataPoint> out)
            throws RecordRejectedException {
        VendorFields.Num v = VendorFields.optionalNumeric(doc, path, field);
        if (v == null) return;
        out.add(VendorPoint.of(env, metric).number(v, unit).between(start, end.instant()).record(id)
                .label(path + "." + field).build());
    }

    /**
     * {@code {interval, items: [number | null], timestamp}}: one point per non-null item; null items
     * go to {@code skipped}.
     */
    private static void series(Envelope env, JsonNode doc, String path, String field, Metric metric, String unit,
                               String id, List<DataPoint> out, SkippedItems skipped) throws RecordRejectedException {
        JsonNode s = VendorFields.optionalObject(doc, path, field);
        if (s == null) return;
        String sPath = path + "." + field;
        ParsedTime first = EventTimes.required(s, sPath, "timestamp", env.timeZone());
        double interval = JsonFields.requiredNumber(s, sPath, "interval").doubleValue();
        if (!(interval >= 1 && interval <= 86_400) || interval != Math.rint(interval)) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + sPath
                    + ".interval must be a whole number of seconds within 1..86400, got " + interval);
        }
        long step = (long) interval;
        JsonNode items = VendorFields.requiredArray(s, sPath, "items");
        for (int i = 0; i < items.size(); i++) {
            String itemPath = VendorFields.at(sPath + ".items", i);
            JsonNode item = items.get(i);
            if (item.isNull()) {
                // A gap in the series (the ring had no reading), not a value: reported, not invented.
                skipped.element(sPath + ".items", i, "null (the ring had no reading)");
                continue;
            }
            VendorFields.Num v = VendorFields.numeric(item, itemPath);
            ParsedTime t = VendorTimes.plusSeconds(first, i * step, itemPath);
            out.add(VendorPoint.of(env, metric).number(v, unit)
                    .between(t, t.instant().plusSeconds(step))
                    .record(VendorPoint.seriesId(id, t.instant()))
                    .label(itemPath)
                    .build());
        }
    }

    private static void phases(Envelope env, JsonNode doc, String path, ParsedTime start, String id,
                               List<DataPoint> out) throws RecordRejectedException {
        String phases = JsonFields.optionalText(doc, path, "sleep_phase_5_min");
        if (phases == null) return;
        String label = path + ".sleep_phase_5_min";
        for (int i = 0; i < phases.length(); i++) {
            char c = phases.charAt(i);
            String stage = switch (c) {
                case '1' -> SleepStages.DEEP;
                case '2' -> SleepStages.CORE;
                case '3' -> SleepStages.REM;
                case '4' -> SleepStages.AWAKE;
                default -> throw new RecordRejectedException(INVALID_FIELD, "field " + label + " holds "
                        + JsonFields.quote(String.valueOf(c)) + " at position " + i + "; expected digits 1-4");
            };
            ParsedTime t = VendorTimes.plusSeconds(start, i * PHASE_SECONDS, label);
            out.add(VendorPoint.of(env, Metric.SLEEP_STAGE).category(stage, String.valueOf(c))
                    .between(t, t.instant().plusSeconds(PHASE_SECONDS))
                    .record(VendorPoint.seriesId(id, t.instant()))
                    .label(label)
                    .build());
        }
    }

    private static List<DeviceEvent> battery(Envelope env) throws RecordRejectedException {
        JsonNode data = data(env);
        List<DeviceEvent> events = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            String path = VendorFields.at("payload.data", i);
            JsonNode sample = VendorFields.objectAt(data, i, "payload.data");
            ParsedTime time = EventTimes.required(sample, path, "timestamp", env.timeZone());
            VendorFields.Num level = VendorFields.requiredNumeric(sample, path, "level");
            if (level.value() < 0 || level.value() > 100) {
                throw new RecordRejectedException(INVALID_FIELD, "field " + path + ".level must be within 0..100 %, got "
                        + level.text());
            }
            DeviceEvent e = VendorRecords.event(env, DeviceEvent.Type.DEVICE_STATUS, env.deviceId(), time, null);
            e.batteryLevel = level.value();
            e.charging = JsonFields.optionalBoolean(sample, path, "charging");
            e.inCharger = JsonFields.optionalBoolean(sample, path, "in_charger");
            events.add(e);
        }
        return events;
    }

    /** The documents of a collection response, {@code payload.data}. */
    private static JsonNode data(Envelope env) throws RecordRejectedException {
        return VendorFields.requiredArray(VendorFields.objectPayload(env), "payload", "data");
    }
}
