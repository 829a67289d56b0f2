package com.vitasense.jobs.apple;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * Writes a synthetic Apple Health {@code export.xml} of a requested size, shaped like a real one:
 * the Health app's DOCTYPE with its internal DTD, {@code ExportDate} and {@code Me}, then years of
 * samples from a watch, a phone, a glucose meter and a scale (heart rate with motion context,
 * steps, active energy, distance, HRV with its beat-to-beat list, SpO2 at night, blood glucose in
 * mg/dL and in {@code mmol<180.1558800000541>/L}, body mass, body temperature, sleep stages),
 * daily workouts with statistics, events and routes, activity summaries and blood-pressure
 * correlations. Streams as it goes, so any size is written in constant memory. The same seed and
 * size give the same bytes.
 */
public final class AppleExportGenerator {
    private static final String WATCH_SOURCE = "Jane\u2019s Apple Watch";
    private static final String WATCH_DEVICE = "&lt;&lt;HKDevice: 0x283a4c0f0&gt;, name:Apple Watch, "
            + "manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:9.1&gt;";
    private static final String PHONE_SOURCE = "Jane\u2019s iPhone";
    private static final String PHONE_DEVICE = "&lt;&lt;HKDevice: 0x283a4d270&gt;, name:iPhone, "
            + "manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.1.2&gt;";
    private static final String METER_DEVICE = "&lt;&lt;HKDevice: 0x283a51a40&gt;, name:Contour Next One, "
            + "manufacturer:Ascensia Diabetes Care, model:Contour Next One&gt;";
    private static final String MMOL = "mmol&lt;180.1558800000541&gt;/L";
    private static final String[] SLEEP = {"HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepREM", "HKCategoryValueSleepAnalysisAwake"};
    private static final String[] WORKOUTS = {"HKWorkoutActivityTypeRunning", "HKWorkoutActivityTypeWalking",
        "HKWorkoutActivityTypeCycling", "HKWorkoutActivityTypeTraditionalStrengthTraining"};

    /** What a generated file holds. */
    public record Generated(long bytes, long records, long workouts) {}

    private final Random random;
    private final ZoneId zone = ZoneId.of("Europe/Berlin");
    private final StringBuilder line = new StringBuilder(4096);
    private long records;
    private long workouts;

    private AppleExportGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** Writes at least {@code targetBytes} (stopping after the first day that reaches it) to {@code file}. */
    public static Generated write(Path file, long targetBytes, long seed) throws IOException {
        try (CountingStream counted = new CountingStream(Files.newOutputStream(file));
             Writer out = new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8), 1 << 16)) {
            AppleExportGenerator g = new AppleExportGenerator(seed);
            g.header(out);
            ZonedDateTime day = ZonedDateTime.of(2021, 1, 1, 0, 0, 0, 0, g.zone);
            while (counted.count + 65536 < targetBytes) {
                g.day(out, day);
                out.flush();
                day = day.plusDays(1);
            }
            out.write("</HealthData>\n");
            out.flush();
            return new Generated(counted.count, g.records, g.workouts);
        }
    }

    private void header(Writer out) throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        try (InputStream dtd = AppleExportGenerator.class.getResourceAsStream("/apple/export-doctype.txt")) {
            if (dtd == null) throw new IOException("resource /apple/export-doctype.txt missing from the class path");
            out.write(new String(dtd.readAllBytes(), StandardCharsets.UTF_8));
        }
        out.write("<HealthData locale=\"en_DE\">\n <ExportDate value=\"2026-11-27 18:02:11 +0100\"/>\n");
        out.write(" <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1986-04-12\" HKCharacteristicTypeIdentifierBiologicalSex="
                + "\"HKBiologicalSexFemale\" HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeNotSet\" "
                + "HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\" "
                + "HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\"/>\n");
    }

    /** One day of samples, in five-minute slots plus the daily extras. */
    private void day(Writer out, ZonedDateTime midnight) throws IOException {
        for (int slot = 0; slot < 288; slot++) {
            ZonedDateTime t = midnight.plusMinutes(5L * slot).plusSeconds(random.nextInt(60));
            int hour = t.getHour();
            boolean asleep = hour < 7 || hour >= 23;
            double hr = (asleep ? 56 : 74) + random.nextGaussian() * 6;
            line.setLength(0);
            record("HKQuantityTypeIdentifierHeartRate", WATCH_SOURCE, "9.1", WATCH_DEVICE, "count/min",
                    Long.toString(Math.round(hr)), t, t, t.plusSeconds(7));
            line.append("  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"")
                    .append(asleep ? 1 : random.nextInt(3)).append("\"/>\n </Record>\n");
            if (!asleep) {
                ZonedDateTime end = t.plusMinutes(4);
                emptyRecord("HKQuantityTypeIdentifierStepCount", PHONE_SOURCE, "17.1.2", PHONE_DEVICE, "count",
                        Integer.toString(random.nextInt(600)), t, end, end.plusSeconds(95));
                emptyRecord("HKQuantityTypeIdentifierActiveEnergyBurned", WATCH_SOURCE, "9.1", WATCH_DEVICE, "kcal",
                        decimal(random.nextDouble() * 9, 3), t, end, end.plusSeconds(20));
                if (slot % 3 == 0) {
                    emptyRecord("HKQuantityTypeIdentifierDistanceWalkingRunning", PHONE_SOURCE, "17.1.2", PHONE_DEVICE,
                            "km", decimal(random.nextDouble() * 0.4, 5), t, end, end.plusSeconds(95));
                }
            }
            if (slot % 12 == 6) hrv(t);
            if (asleep && slot % 12 == 3) {
                emptyRecord("HKQuantityTypeIdentifierOxygenSaturation", WATCH_SOURCE, "9.1", WATCH_DEVICE, "%",
                        decimal(0.93 + random.nextDouble() * 0.06, 2), t, t, t.plusSeconds(20));
            }
            if (slot % 48 == 20) glucose(t, slot % 96 == 20);
            if (asleep && slot % 6 == 0) {
                emptyRecord("HKCategoryTypeIdentifierSleepAnalysis", WATCH_SOURCE, "9.1", WATCH_DEVICE, null,
                        SLEEP[random.nextInt(SLEEP.length)], t, t.plusMinutes(29), midnight.plusHours(7).plusMinutes(5));
            }
            if (slot == 86) {
                emptyRecord("HKQuantityTypeIdentifierBodyMass", "Withings", "6.2.0", null, "kg",
                        decimal(61.5 + random.nextGaussian() * 0.4, 2), t, t, t.plusMinutes(3));
            }
            if (slot == 90 && random.nextInt(4) == 0) {
                emptyRecord("HKQuantityTypeIdentifierBodyTemperature", "Health", "17.1.2", null, "degC",
                        decimal(36.6 + random.nextGaussian() * 0.2, 1), t, t, t.plusSeconds(40));
            }
            if (slot == 100 && midnight.getDayOfYear() % 3 == 1) bloodPressure(t);
            if (slot == 210) workout(t);
            out.append(line);
        }
        line.setLength(0);
        line.append(" <ActivitySummary dateComponents=\"").append(midnight.toLocalDate())
                .append("\" activeEnergyBurned=\"").append(decimal(300 + random.nextDouble() * 300, 3))
                .append("\" activeEnergyBurnedGoal=\"500\" activeEnergyBurnedUnit=\"kcal\" appleMoveTime=\"0\" "
                        + "appleMoveTimeGoal=\"0\" appleExerciseTime=\"").append(20 + random.nextInt(40))
                .append("\" appleExerciseTimeGoal=\"30\" appleStandHours=\"").append(6 + random.nextInt(8))
                .append("\" appleStandHoursGoal=\"12\"/>\n");
        out.append(line);
    }

    private void hrv(ZonedDateTime t) {
        record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", WATCH_SOURCE, "9.1", WATCH_DEVICE, "ms",
                decimal(25 + random.nextDouble() * 50, 4), t, t.plusMinutes(1), t.plusSeconds(65));
        line.append("  <HeartRateVariabilityMetadataList>\n");
        ZonedDateTime beat = t;
        for (int i = 0; i < 60; i++) {
            int bpm = 58 + random.nextInt(15);
            line.append("   <InstantaneousBeatsPerMinute bpm=\"").append(bpm).append("\" time=\"");
            clock(beat);
            line.append(".").append(10 + random.nextInt(89)).append("\"/>\n");
            beat = beat.plusNanos(60_000_000_000L / bpm);
        }
        line.append("  </HeartRateVariabilityMetadataList>\n </Record>\n");
    }

    private void glucose(ZonedDateTime t, boolean mmol) {
        double mgdl = 85 + random.nextDouble() * 90;
        if (mmol) {
            record("HKQuantityTypeIdentifierBloodGlucose", "Health", "17.1.2", null, MMOL,
                    decimal(mgdl / 18.0156, 1), t, t, t.plusMinutes(2));
            line.append("  <MetadataEntry key=\"HKWasUserEntered\" value=\"1\"/>\n");
        } else {
            record("HKQuantityTypeIdentifierBloodGlucose", "Contour", "4.3.1", METER_DEVICE, "mg/dL",
                    Long.toString(Math.round(mgdl)), t, t, t.plusSeconds(75));
            line.append("  <MetadataEntry key=\"HKMetadataKeySyncIdentifier\" value=\"CNO-").append(records).append("\"/>\n");
        }
        line.append("  <MetadataEntry key=\"HKBloodGlucoseMealTime\" value=\"").append(1 + random.nextInt(2))
                .append("\"/>\n </Record>\n");
    }

    private void bloodPressure(ZonedDateTime t) {
        line.append(" <Correlation type=\"HKCorrelationTypeIdentifierBloodPressure\" sourceName=\"Health\" sourceVersion=\"17.1.2\"");
        dates(t, t, t.plusSeconds(30));
        line.append(">\n  <MetadataEntry key=\"HKWasUserEntered\" value=\"1\"/>\n");
        for (String[] part : new String[][] {{"Systolic", "118"}, {"Diastolic", "76"}}) {
            line.append("  <Record type=\"HKQuantityTypeIdentifierBloodPressure").append(part[0])
                    .append("\" sourceName=\"Health\" sourceVersion=\"17.1.2\" unit=\"mmHg\"");
            dates(t, t, t.plusSeconds(30));
            line.append(" value=\"").append(part[1]).append("\"/>\n");
        }
        line.append(" </Correlation>\n");
        // The export lists a correlation's records at the top level as well.
        emptyRecord("HKQuantityTypeIdentifierBloodPressureSystolic", "Health", "17.1.2", null, "mmHg", "118", t, t, t.plusSeconds(30));
        emptyRecord("HKQuantityTypeIdentifierBloodPressureDiastolic", "Health", "17.1.2", null, "mmHg", "76", t, t, t.plusSeconds(30));
    }

    private void workout(ZonedDateTime start) {
        workouts++;
        double minutes = 20 + random.nextDouble() * 50;
        ZonedDateTime end = start.plusSeconds(Math.round(minutes * 60));
        line.append(" <Workout workoutActivityType=\"").append(WORKOUTS[random.nextInt(WORKOUTS.length)])
                .append("\" duration=\"").append(decimal(minutes, 11)).append("\" durationUnit=\"min\" sourceName=\"")
                .append(WATCH_SOURCE).append("\" sourceVersion=\"9.1\" device=\"").append(WATCH_DEVICE).append('"');
        dates(start, end, end.plusSeconds(9));
        line.append(">\n  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n"
                + "  <MetadataEntry key=\"HKTimeZone\" value=\"Europe/Berlin\"/>\n"
                + "  <MetadataEntry key=\"HKAverageMETs\" value=\"").append(decimal(6 + random.nextDouble() * 4, 5))
                .append(" kcal/hr·kg\"/>\n");
        for (int i = 0; i < 3; i++) {
            line.append("  <WorkoutEvent type=\"HKWorkoutEventTypeSegment\" date=\"");
            date(start.plusMinutes(6L * i));
            line.append("\" duration=\"").append(decimal(5 + random.nextDouble(), 5)).append("\" durationUnit=\"min\"/>\n");
        }
        statistic("HKQuantityTypeIdentifierHeartRate", start, end, "average=\"" + decimal(140 + random.nextDouble() * 20, 4)
                + "\" minimum=\"" + (90 + random.nextInt(10)) + "\" maximum=\"" + (165 + random.nextInt(15)) + "\"", "count/min");
        statistic("HKQuantityTypeIdentifierActiveEnergyBurned", start, end, "sum=\"" + decimal(minutes * 10.5, 4) + "\"", "kcal");
        statistic("HKQuantityTypeIdentifierDistanceWalkingRunning", start, end, "sum=\"" + decimal(minutes * 0.16, 4) + "\"", "km");
        line.append("  <WorkoutRoute sourceName=\"").append(WATCH_SOURCE).append("\" sourceVersion=\"9.1\"");
        dates(start, end, end.plusSeconds(14));
        line.append(">\n   <MetadataEntry key=\"HKMetadataKeySyncVersion\" value=\"2\"/>\n   <FileReference path=\"/workout-routes/route_")
                .append(start.toLocalDate()).append(".gpx\"/>\n  </WorkoutRoute>\n </Workout>\n");
    }

    private void statistic(String type, ZonedDateTime start, ZonedDateTime end, String values, String unit) {
        line.append("  <WorkoutStatistics type=\"").append(type).append("\" startDate=\"");
        date(start);
        line.append("\" endDate=\"");
        date(end);
        line.append("\" ").append(values).append(" unit=\"").append(unit).append("\"/>\n");
    }

    /** A record element left open for children; the caller closes it. */
    private void record(String type, String source, String version, String device, String unit, String value,
                        ZonedDateTime start, ZonedDateTime end, ZonedDateTime created) {
        openRecord(type, source, version, device, unit, value, start, end, created);
        line.append(">\n");
    }

    private void emptyRecord(String type, String source, String version, String device, String unit, String value,
                             ZonedDateTime start, ZonedDateTime end, ZonedDateTime created) {
        openRecord(type, source, version, device, unit, value, start, end, created);
        line.append("/>\n");
    }

    private void openRecord(String type, String source, String version, String device, String unit, String value,
                            ZonedDateTime start, ZonedDateTime end, ZonedDateTime created) {
        records++;
        line.append(" <Record type=\"").append(type).append("\" sourceName=\"").append(source)
                .append("\" sourceVersion=\"").append(version).append('"');
        if (device != null) line.append(" device=\"").append(device).append('"');
        if (unit != null) line.append(" unit=\"").append(unit).append('"');
        dates(start, end, created);
        line.append(" value=\"").append(value).append('"');
    }

    private void dates(ZonedDateTime start, ZonedDateTime end, ZonedDateTime created) {
        line.append(" creationDate=\"");
        date(created);
        line.append("\" startDate=\"");
        date(start);
        line.append("\" endDate=\"");
        date(end);
        line.append('"');
    }

    /** {@code yyyy-MM-dd HH:mm:ss +hhmm}, appended by hand: formatting millions of dates must be cheap. */
    private void date(ZonedDateTime t) {
        line.append(t.getYear()).append('-');
        two(t.getMonthValue());
        line.append('-');
        two(t.getDayOfMonth());
        line.append(' ');
        clock(t);
        line.append(' ');
        int offset = t.getOffset().getTotalSeconds() / 60;
        line.append(offset < 0 ? '-' : '+');
        two(Math.abs(offset) / 60);
        two(Math.abs(offset) % 60);
    }

    private void clock(ZonedDateTime t) {
        two(t.getHour());
        line.append(':');
        two(t.getMinute());
        line.append(':');
        two(t.getSecond());
    }

    private void two(int v) {
        if (v < 10) line.append('0');
        line.append(v);
    }

    private static String decimal(double v, int digits) {
        return java.math.BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** Counts the bytes written, so the generator knows when the requested size is reached. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
