package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.vendors.apple.AppleDeviceIds;
import com.vitasense.vendors.apple.AppleHealthDates;
import com.vitasense.vendors.apple.AppleHealthExportReader;
import java.time.Duration;
import java.time.Instant;

/**
 * An Apple Watch and its iPhone as a HealthKit client app posts them every 15 minutes, one
 * {@code record} envelope per sample, in the export's shape ({@code type, value, unit, startDate,
 * endDate, creationDate, sourceName, sourceVersion, device, metadata}, values as text, dates as
 * {@code 2026-11-27 10:00:00 +0100}): heart rate every 5 minutes with motion context, steps every
 * 15 minutes, HRV every 2 hours, SpO2 hourly at night, sleep stages each morning, and blood
 * glucose typed into the Health app in {@code mmol<180.1558800000541>/L} three times a day. The
 * device id is the one {@code import-apple} derives, so both paths name the watch alike.
 */
final class AppleHealthDevice extends DeviceSimulator {
    static final String MMOL = "mmol<180.1558800000541>/L";
    private static final String[] SLEEP = {"HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepREM", "HKCategoryValueSleepAnalysisAwake"};

    private final String watchSource;
    private final String watchDevice;
    private final String phoneSource;

    private AppleHealthDevice(Physiology body, String watchSource, String watchDevice, long seed,
                              Instant start) {
        super(body, AppleDeviceIds.deviceId(watchSource, watchDevice), AppleHealthExportReader.VENDOR,
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
