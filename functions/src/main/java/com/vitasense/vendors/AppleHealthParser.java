package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.NOT_YET_SUPPORTED;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_KIND;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.QualityFlag;
import com.vitasense.units.Metric;
import com.vitasense.vendors.EventTimes.ParsedTime;
import com.vitasense.vendors.apple.AppleDeviceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Apple Health (HealthKit), vendor {@code apple_health}: one sample per envelope, from the
 * {@code export.xml} reader or a HealthKit SDK client, with the export's attribute names.
 *
 * <ul>
 *   <li>{@code record}: {@code {type, value, unit, startDate, endDate?, creationDate?, sourceName?,
 *       sourceVersion?, device?, metadata?}} becomes one point. Quantity types: HeartRate,
 *       RestingHeartRate, StepCount, HeartRateVariabilitySDNN ({@code hrv_sdnn}), OxygenSaturation
 *       (HealthKit's {@code %} is a 0..1 fraction, converted to percent), BodyTemperature
 *       (degC/degF), BloodGlucose (mg/dL, or {@code mmol<180.1558800000541>/L}), BodyMass (kg/lb),
 *       RespiratoryRate. Category type SleepAnalysis becomes {@code sleep_stage} with a
 *       {@link SleepStages} category over [startDate, endDate]. Values may be JSON numbers or the
 *       export's text. Any other sample type is {@code NOT_YET_SUPPORTED}, naming the type, so
 *       users can see what is not mapped yet.
 *   <li>{@code workout}: {@code {workoutActivityType, duration?, durationUnit?, startDate, endDate,
 *       statistics?, ...}} becomes one {@code workout_duration} point in seconds, category the
 *       activity type in snake case ({@code HKWorkoutActivityTypeHighIntensityIntervalTraining}
 *       becomes {@code high_intensity_interval_training}). Without a duration, endDate - startDate.
 *       Statistics are not mapped (their energy and heart-rate figures duplicate the samples).
 * </ul>
 *
 * <p>Time: export dates carry an offset ({@code 2026-11-27 10:00:00 +0100}, VENDOR_OFFSET); SDK
 * clients send ISO-8601, resolved by {@link EventTimes} rules. {@code metadata.HKWasUserEntered}
 * = 1 flags {@code USER_ENTERED}. The device model comes from the HKDevice string:
 * {@code name (hardware)}, e.g. {@code Apple Watch (Watch6,1)}. HealthKit samples in an export have
 * no id, so point ids are content ids.
 */
public final class AppleHealthParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    public static final String VENDOR = "apple_health";
    public static final String KIND_RECORD = "record";
    public static final String KIND_WORKOUT = "workout";

    private static final String P = "payload";
    private static final String QUANTITY = "HKQuantityTypeIdentifier";
    private static final String SLEEP_ANALYSIS = "HKCategoryTypeIdentifierSleepAnalysis";
    private static final String WORKOUT_PREFIX = "HKWorkoutActivityType";

    /** HealthKit quantity type (without prefix) to canonical metric. */
    private static final Map<String, Metric> QUANTITIES = Map.of(
            "HeartRate", Metric.HEART_RATE,
            "RestingHeartRate", Metric.RESTING_HEART_RATE,
            "StepCount", Metric.STEPS,
            "HeartRateVariabilitySDNN", Metric.HRV_SDNN,
            "OxygenSaturation", Metric.SPO2,
            "BodyTemperature", Metric.BODY_TEMPERATURE,
            "BloodGlucose", Metric.GLUCOSE,
            "BodyMass", Metric.BODY_MASS,
            "RespiratoryRate", Metric.RESPIRATORY_RATE);

    /** HKCategoryValueSleepAnalysis names (as the export writes them) to categories. */
    private static final Map<String, String> SLEEP_VALUES = Map.of(
            "HKCategoryValueSleepAnalysisInBed", SleepStages.IN_BED,
            "HKCategoryValueSleepAnalysisAsleep", SleepStages.ASLEEP,
            "HKCategoryValueSleepAnalysisAsleepCore", SleepStages.CORE,
            "HKCategoryValueSleepAnalysisAsleepDeep", SleepStages.DEEP,
            "HKCategoryValueSleepAnalysisAsleepREM", SleepStages.REM,
            "HKCategoryValueSleepAnalysisAwake", SleepStages.AWAKE,
            "HKCategoryValueSleepAnalysisAsleepUnspecified", SleepStages.UNSPECIFIED);

    /**
     * HKCategoryValueSleepAnalysis raw values, as SDK clients may send them: inBed 0,
     * asleepUnspecified 1 (formerly "asleep"), awake 2, asleepCore 3, asleepDeep 4, asleepREM 5.
     */
    private static final String[] SLEEP_RAW = {SleepStages.IN_BED, SleepStages.UNSPECIFIED, SleepStages.AWAKE,
            SleepStages.CORE, SleepStages.DEEP, SleepStages.REM};

    /** A ", key:" starting the next HKDevice field; values such as "Watch6,1" contain bare commas. */
    private static final Pattern CAMEL_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public ParseResult parse(Envelope env) throws RecordRejectedException {
        return switch (env.kind()) {
            case KIND_RECORD -> ParseResult.ofPoint(record(env));
            case KIND_WORKOUT -> ParseResult.ofPoint(workout(env));
            default -> throw new RecordRejectedException(UNKNOWN_KIND, "unknown kind " + JsonFields.quote(env.kind())
                    + " for vendor apple_health (known: record, workout, sync_started, sync_completed, sync_failed, "
                    + "device_status)");
        };
    }

    private static DataPoint record(Envelope env) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String type = JsonFields.requiredText(p, P, "type");
        ParsedTime start = VendorTimes.apple(p, P, "startDate", env.timeZone(), true);
        ParsedTime end = VendorTimes.apple(p, P, "endDate", env.timeZone(), false);
        Instant endTime = end == null ? start.instant() : end.instant();

        VendorPoint point;
        if (SLEEP_ANALYSIS.equals(type)) {
            String raw = sleepValueText(p);
            point = VendorPoint.of(env, Metric.SLEEP_STAGE).category(sleepStage(raw), raw);
        } else {
            Metric metric = type.startsWith(QUANTITY) ? QUANTITIES.get(type.substring(QUANTITY.length())) : null;
            if (metric == null) {
                throw new RecordRejectedException(NOT_YET_SUPPORTED, "apple_health sample type "
                        + JsonFields.quote(type) + " is not mapped yet (mapped: "
                        + String.join(", ", new TreeSet<>(QUANTITIES.keySet())) + ", SleepAnalysis)");
            }
            VendorFields.Num value = VendorFields.requiredNumeric(p, P, "value");
            String unit = JsonFields.optionalText(p, P, "unit");
            String conversionUnit = unit;
            // HealthKit's percent unit is a 0..1 fraction; a client that already scaled to 0..100 is believed.
            if (metric == Metric.SPO2 && "%".equals(unit == null ? null : unit.strip()) && value.value() <= 1) {
                conversionUnit = "fraction";
            }
            point = VendorPoint.of(env, metric).number(value.value(), value.text(), unit, conversionUnit);
        }
        if (userEntered(p)) point.flag(QualityFlag.USER_ENTERED);
        return point.between(start, endTime)
                .model(deviceModel(JsonFields.optionalText(p, P, "device")))
                .build();
    }

    private static DataPoint workout(Envelope env) throws RecordRejectedException {
        JsonNode p = VendorFields.objectPayload(env);
        String activity = JsonFields.requiredText(p, P, "workoutActivityType");
        ParsedTime start = VendorTimes.apple(p, P, "startDate", env.timeZone(), true);
        ParsedTime end = VendorTimes.apple(p, P, "endDate", env.timeZone(), true);
        VendorFields.Num duration = VendorFields.optionalNumeric(p, P, "duration");
        String unit = JsonFields.optionalText(p, P, "durationUnit");
        VendorPoint point = VendorPoint.of(env, Metric.WORKOUT_DURATION).kind(activityCategory(activity));
        if (duration == null) {
            Duration d = Duration.between(start.instant(), end.instant());
            point.number(d.toMillis() / 1000.0, null, null, "s");
        } else {
            point.number(duration, unit);
        }
        if (userEntered(p)) point.flag(QualityFlag.USER_ENTERED);
        return point.between(start, end.instant())
                .model(deviceModel(JsonFields.optionalText(p, P, "device")))
                .build();
    }

    private static String sleepValueText(JsonNode p) throws RecordRejectedException {
        JsonNode v = JsonFields.get(p, "value");
        if (v == null) throw new RecordRejectedException(MISSING_FIELD, "missing field payload.value");
        if (v.isTextual() || v.isIntegralNumber()) return v.asText().strip();
        throw VendorFields.wrongType("payload.value", "a sleep analysis value", v);
    }

    private static String sleepStage(String raw) throws RecordRejectedException {
        String stage = SLEEP_VALUES.get(raw);
        if (stage != null) return stage;
        if (raw.length() == 1 && raw.charAt(0) >= '0' && raw.charAt(0) < '0' + SLEEP_RAW.length) {
            return SLEEP_RAW[raw.charAt(0) - '0'];
        }
        throw new RecordRejectedException(INVALID_FIELD, "payload.value " + JsonFields.quote(raw)
                + " is not an HKCategoryValueSleepAnalysis value");
    }

    /** {@code HKWasUserEntered} is "1" in exports; SDK clients may send 1 or true. */
    private static boolean userEntered(JsonNode p) throws RecordRejectedException {
        JsonNode metadata = VendorFields.optionalObject(p, P, "metadata");
        JsonNode flag = JsonFields.get(metadata, "HKWasUserEntered");
        if (flag == null) return false;
        if (flag.isBoolean()) return flag.booleanValue();
        String text = flag.asText().strip();
        return text.equals("1") || text.equalsIgnoreCase("true");
    }

    /**
     * {@code name (hardware)} from an HKDevice string such as {@code <<HKDevice: 0x283a4c0f0>,
     * name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:9.1>};
     * the name or the hardware alone when only one is present; null without a device.
     */
    static String deviceModel(String device) {
        if (device == null) return null;
        Map<String, String> fields = AppleDeviceIds.deviceFields(device);
        String name = blankToNull(fields.get("name"));
        String hardware = blankToNull(fields.get("hardware"));
        if (name == null) name = blankToNull(fields.get("model"));
        if (name != null && hardware != null) return name + " (" + hardware + ")";
        return name != null ? name : hardware;
    }

    /** {@code HKWorkoutActivityTypeHighIntensityIntervalTraining} -> {@code high_intensity_interval_training}. */
    static String activityCategory(String type) {
        String name = type.startsWith(WORKOUT_PREFIX) ? type.substring(WORKOUT_PREFIX.length()) : type;
        String snake = CAMEL_BOUNDARY.matcher(name.strip()).replaceAll("_").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_");
        snake = snake.replaceAll("^_+|_+$", "");
        return snake.isEmpty() ? "other" : snake;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
