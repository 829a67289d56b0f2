package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.vendors.apple.AppleDeviceIds;
import com.vitasense.vendors.apple.AppleHealthDates;
import com.vitasense.vendors.apple.AppleHealthExportReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An Apple Watch and its iPhone as a HealthKit client app posts them every 15 minutes, one
 * {@code record} envelope per sample, in the export's shape ({@code type, value, unit, startDate,
 * endDate, creationDate, sourceName, sourceVersion, device, metadata}, values as text, dates as
 * {@code 2026-11-27 10:00:00 +0100}): heart rate every 5 minutes with motion context, steps every
 * 15 minutes, HRV every 2 hours, SpO2 hourly at night, sleep stages each morning, blood
 * glucose typed into the Health app in {@code mmol<180.1558800000541>/L} three times a day, a
 * morning body temperature typed in degF and a morning weighing from a Withings scale (in lb for
 * every other Apple user, kg for the rest), and an evening {@code workout} envelope with its statistics,
 * so the Apple parser's unit conversions and its workout path all run in the demo. The device id
 * is the one {@code import-apple} derives, so both paths name the watch alike.
 *
 * <p>The daily samples draw their variation from {@link Physiology#daily}, not from the device's
 * random, so adding them left every other simulated sample as it was for a given seed.
 */
final class AppleHealthDevice extends DeviceSimulator {
    static final String MMOL = "mmol<180.1558800000541>/L";
    /** Workout types the simulated users do; the day decides which. */
    private static final String[] WORKOUTS = {"HKWorkoutActivityTypeRunning", "HKWorkoutActivityTypeCycling",
        "HKWorkoutActivityTypeTraditionalStrengthTraining"};
    private static final double KG_PER_LB = 0.45359237;
    private static final String[] SLEEP = {"HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepREM", "HKCategoryValueSleepAnalysisAwake"};

    private final String watchSource;
    private final String watchDevice;
    private final String phoneSource;

    private AppleHealthDevice(Physiology body, String watchSource, String watchDevice, long seed,
                              Instant start) {
        super(body, AppleDeviceIds.deviceId(body.user().id(), watchSource, watchDevice), AppleHealthExportReader.VENDOR,
                Duration.ofMinutes(15), seed, start);
        this.watchSource = watchSource;
        this.watchDevice = watchDevice;
        this.phoneSource = body.user().name() + "\u2019s iPhone";
    }

    static AppleHealthDevice create(Physiology body, long seed, Instant start) {
        String source = body.user().name() + "\u2019s Apple Watch";
        String device = "<<HKDevice: 0x28" + Integer.toHexString(0x3a4c0f0 + body.user().index())
                + ">, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch7,1, software:10.1>";
        return new AppleHealthDevice(body, source, device, seed, start);
    }

    @Override
    protected void collect(Instant from, Instant to, boolean first, Delivery out) {
        every(from, to, Duration.ofMinutes(5), t -> {
            Instant at = t.plusSeconds(random.nextInt(60));
            ObjectNode r = sample("HKQuantityTypeIdentifierHeartRate", Long.toString(Math.round(body.heartRate(at) + noise(2))),
                    "count/min", at, at, at.plusSeconds(6), watchSource, watchDevice);
            r.putObject("metadata").put("HKMetadataKeyHeartRateMotionContext", body.asleep(at) ? "1" : "0");
            out.envelope("record", r);
        });
        every(from, to, Duration.ofMinutes(15), t -> {
            int steps = 0;
            for (int m = 0; m < 15; m++) steps += body.stepsPerMinute(t.plusSeconds(60L * m), random);
            if (steps > 0) {
                out.envelope("record", sample("HKQuantityTypeIdentifierStepCount", Integer.toString(steps), "count",
                        t, t.plusSeconds(14 * 60 + 50), t.plusSeconds(15 * 60 + 40), watchSource, watchDevice));
            }
        });
        every(from, to, Duration.ofHours(2), t -> out.envelope("record", sample(
                "HKQuantityTypeIdentifierHeartRateVariabilitySDNN", Double.toString(round(38 + noise(9), 4)), "ms",
                t, t.plusSeconds(60), t.plusSeconds(65), watchSource, watchDevice)));
        every(from, to, Duration.ofHours(1), t -> {
            if (body.asleep(t)) {
                out.envelope("record", sample("HKQuantityTypeIdentifierOxygenSaturation",
                        Double.toString(round(Math.min(1, 0.96 + noise(0.012)), 2)), "%", t, t, t.plusSeconds(20),
                        watchSource, watchDevice));
            }
        });
        if (first || dailyAt(from, to, 7, 30)) sleep(to, out);
        every(from, to, Duration.ofMinutes(30), t -> {
            int hour = body.local(t).getHour();
            int minute = body.local(t).getMinute();
            if (minute < 30 && (hour == 8 || hour == 13 || hour == 20)) {
                ObjectNode r = sample("HKQuantityTypeIdentifierBloodGlucose",
                        Double.toString(round((body.glucose(t) + noise(6)) / 18.0156, 1)), MMOL, t, t, t.plusSeconds(50),
                        phoneSource, null);
                r.putObject("metadata").put("HKWasUserEntered", "1").put("HKBloodGlucoseMealTime", hour == 8 ? "1" : "2");
                out.envelope("record", r);
            }
        });
        every(from, to, Duration.ofMinutes(5), t -> {
            var local = body.local(t);
            if (local.getHour() == 7 && local.getMinute() == 5) morning(t, out);
            if (local.getHour() == 18 && local.getMinute() == 50) workout(t, out);
        });
    }

    /** A thermometer reading typed into the Health app in degF, then a weighing from the scale's app. */
    private void morning(Instant t, Delivery out) {
        LocalDate day = body.local(t).toLocalDate();
        double celsius = 36.6 + 0.25 * body.daily(day, "body-temperature") + body.temperatureDeviation(day);
        ObjectNode temperature = sample("HKQuantityTypeIdentifierBodyTemperature",
                Double.toString(round(celsius * 9 / 5 + 32, 1)), "degF", t, t, t.plusSeconds(40), phoneSource, null);
        temperature.putObject("metadata").put("HKWasUserEntered", "1");
        out.envelope("record", temperature);

        Instant weighed = t.plusSeconds(5 * 60);
        double kg = body.bodyMass(day);
        // Every other Apple user (those wear Apple every second user) weighs in pounds.
        boolean pounds = body.user().index() / 2 % 2 == 1;
        out.envelope("record", sample("HKQuantityTypeIdentifierBodyMass",
                Double.toString(pounds ? round(kg / KG_PER_LB, 1) : round(kg, 2)), pounds ? "lb" : "kg",
                weighed, weighed, weighed.plusSeconds(90), "Withings", null));
    }

    /** The day's workout, which ended at {@code end}: kind {@code workout}, as the export writes it. */
    private void workout(Instant end, Delivery out) {
        LocalDate day = body.local(end).toLocalDate();
        int type = (int) Math.floor((body.daily(day, "workout-type") + 1) / 2 * WORKOUTS.length);
        double minutes = round(37.5 + 12.5 * body.daily(day, "workout-minutes"), 2);
        Instant start = end.minusMillis(Math.round(minutes * 60_000));
        double averageHr = 128 + 20 * body.daily(day, "workout-hr");
        ObjectNode w = object().put("workoutActivityType", WORKOUTS[type])
                .put("duration", Double.toString(minutes)).put("durationUnit", "min")
                .put("sourceName", watchSource).put("sourceVersion", "10.1").put("device", watchDevice)
                .put("creationDate", date(end.plusSeconds(20))).put("startDate", date(start)).put("endDate", date(end));
        var statistics = w.putArray("statistics");
        statistics.addObject().put("type", "HKQuantityTypeIdentifierActiveEnergyBurned")
                .put("sum", Double.toString(round(minutes * (7.5 + body.daily(day, "workout-kcal")), 1))).put("unit", "kcal");
        statistics.addObject().put("type", "HKQuantityTypeIdentifierHeartRate")
                .put("average", Long.toString(Math.round(averageHr))).put("minimum", Long.toString(Math.round(averageHr - 35)))
                .put("maximum", Long.toString(Math.round(averageHr + 25))).put("unit", "count/min");
        w.putObject("metadata").put("HKIndoorWorkout", type == 2 ? "1" : "0");
        out.envelope("workout", w);
    }

    /** Last night's sleep stages, in 30-minute segments from 23:00 to 07:00 local. */
    private void sleep(Instant now, Delivery out) {
        Instant wake = body.local(now).withHour(7).withMinute(0).withSecond(0).withNano(0).toInstant();
        if (wake.isAfter(now)) wake = wake.minus(Duration.ofDays(1));
        Instant created = wake.plusSeconds(25 * 60).isAfter(now) ? now : wake.plusSeconds(25 * 60);
        for (Instant t = wake.minus(Duration.ofHours(8)); t.isBefore(wake); t = t.plus(Duration.ofMinutes(30))) {
            out.envelope("record", sample("HKCategoryTypeIdentifierSleepAnalysis", SLEEP[random.nextInt(SLEEP.length)],
                    null, t, t.plusSeconds(30 * 60 - 1), created, watchSource, watchDevice));
        }
    }

    private ObjectNode sample(String type, String value, String unit, Instant start, Instant end, Instant created,
                              String source, String device) {
        ObjectNode r = object().put("type", type).put("value", value);
        if (unit != null) r.put("unit", unit);
        r.put("startDate", date(start)).put("endDate", date(end)).put("creationDate", date(created))
                .put("sourceName", source).put("sourceVersion", device != null ? "10.1" : "17.1.2");
        if (device != null) r.put("device", device);
        return r;
    }

    private String date(Instant t) {
        return AppleHealthDates.format(body.local(t));
    }

    @Override
    protected ObjectNode status(Instant at) {
        double level = 100 - (body.local(at).getHour() + 24 - 7) % 24 * 3.6;
        return object().put("battery_level", Math.round(Math.max(5, level))).put("firmware", "watchOS 10.1")
                .put("connected", true);
    }
}
