package com.vitasense.vendors.apple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppleHealthExportReaderTest {

    private static final String WATCH = "<<HKDevice: 0x283a4c0f0>, name:Apple Watch, manufacturer:Apple Inc., "
            + "model:Watch, hardware:Watch6,1, software:9.1>";

    /** The fixture's envelopes, in file order, exactly as they are written to the raw topic. */
    private static final List<String> EXPECTED = List.of(
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-watch6-1-janes-apple-watch\",\"received_at\":\"2026-11-27T09:00:07Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierHeartRate\","
                    + "\"value\":\"72\",\"unit\":\"count/min\",\"startDate\":\"2026-11-27 09:59:31 +0100\","
                    + "\"endDate\":\"2026-11-27 09:59:31 +0100\",\"creationDate\":\"2026-11-27 10:00:07 +0100\","
                    + "\"sourceName\":\"Jane's Apple Watch\",\"sourceVersion\":\"9.1\",\"device\":\"" + WATCH + "\","
                    + "\"metadata\":{\"HKMetadataKeyHeartRateMotionContext\":\"0\"}}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-iphone14-2-janes-iphone\",\"received_at\":\"2026-11-27T09:12:40Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierStepCount\","
                    + "\"value\":\"412\",\"unit\":\"count\",\"startDate\":\"2026-11-27 10:01:09 +0100\","
                    + "\"endDate\":\"2026-11-27 10:09:52 +0100\",\"creationDate\":\"2026-11-27 10:12:40 +0100\","
                    + "\"sourceName\":\"Jane\u2019s iPhone\",\"sourceVersion\":\"17.1.2\",\"device\":\"<<HKDevice: 0x283a4d270>, "
                    + "name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.1.2>\"}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-watch6-1-janes-apple-watch\",\"received_at\":\"2026-11-27T09:21:03Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierHeartRateVariabilitySDNN\","
                    + "\"value\":\"48.2307\",\"unit\":\"ms\",\"startDate\":\"2026-11-27 10:19:58 +0100\","
                    + "\"endDate\":\"2026-11-27 10:20:58 +0100\",\"creationDate\":\"2026-11-27 10:21:03 +0100\","
                    + "\"sourceName\":\"Jane's Apple Watch\",\"sourceVersion\":\"9.1\",\"device\":\"" + WATCH + "\"}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-contour-next-one-contour\",\"received_at\":\"2026-11-27T11:31:15Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierBloodGlucose\","
                    + "\"value\":\"104\",\"unit\":\"mg/dL\",\"startDate\":\"2026-11-27 12:30:00 +0100\","
                    + "\"endDate\":\"2026-11-27 12:30:00 +0100\",\"creationDate\":\"2026-11-27 12:31:15 +0100\","
                    + "\"sourceName\":\"Contour\",\"sourceVersion\":\"4.3.1\",\"device\":\"<<HKDevice: 0x283a51a40>, "
                    + "name:Contour Next One, manufacturer:Ascensia Diabetes Care, model:Contour Next One>\","
                    + "\"metadata\":{\"HKBloodGlucoseMealTime\":\"1\",\"HKMetadataKeySyncIdentifier\":\"CNO-7731-000412\"}}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-health\",\"received_at\":\"2026-11-27T13:05:00Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierBloodGlucose\","
                    + "\"value\":\"6.1\",\"unit\":\"mmol<180.1558800000541>/L\",\"startDate\":\"2026-11-27 14:00:00 +0100\","
                    + "\"endDate\":\"2026-11-27 14:00:00 +0100\",\"creationDate\":\"2026-11-27 14:05:00 +0100\","
                    + "\"sourceName\":\"Health\",\"sourceVersion\":\"17.1.2\","
                    + "\"metadata\":{\"HKWasUserEntered\":\"1\",\"HKBloodGlucoseMealTime\":\"2\"}}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-watch6-1-janes-apple-watch\",\"received_at\":\"2026-11-27T02:14:22Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierOxygenSaturation\","
                    + "\"value\":\"0.97\",\"unit\":\"%\",\"startDate\":\"2026-11-27 03:14:02 +0100\","
                    + "\"endDate\":\"2026-11-27 03:14:02 +0100\",\"creationDate\":\"2026-11-27 03:14:22 +0100\","
                    + "\"sourceName\":\"Jane's Apple Watch\",\"sourceVersion\":\"9.1\",\"device\":\"" + WATCH + "\"}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-watch6-1-janes-apple-watch\",\"received_at\":\"2026-11-27T06:02:48Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKCategoryTypeIdentifierSleepAnalysis\","
                    + "\"value\":\"HKCategoryValueSleepAnalysisAsleepCore\",\"startDate\":\"2026-11-27 02:41:30 +0100\","
                    + "\"endDate\":\"2026-11-27 03:12:00 +0100\",\"creationDate\":\"2026-11-27 07:02:48 +0100\","
                    + "\"sourceName\":\"Jane's Apple Watch\",\"sourceVersion\":\"9.1\",\"device\":\"" + WATCH + "\"}}",
            // No creationDate: received_at falls back to the end date.
            "{\"vendor\":\"apple_health\",\"kind\":\"record\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-withings\",\"received_at\":\"2026-11-26T12:15:00Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"type\":\"HKQuantityTypeIdentifierBodyMass\","
                    + "\"value\":\"141.4\",\"unit\":\"lb\",\"startDate\":\"2026-11-26 07:15:00 -0500\","
                    + "\"endDate\":\"2026-11-26 07:15:00 -0500\",\"sourceName\":\"Withings\",\"sourceVersion\":\"6.2.0\"}}",
            "{\"vendor\":\"apple_health\",\"kind\":\"workout\",\"user_id\":\"u-1\","
                    + "\"device_id\":\"apple-69a6b92660bf-watch6-1-janes-apple-watch\",\"received_at\":\"2026-11-27T16:33:01Z\","
                    + "\"time_zone\":\"Europe/Berlin\",\"payload\":{\"workoutActivityType\":\"HKWorkoutActivityTypeRunning\","
                    + "\"duration\":\"31.52916666666667\",\"durationUnit\":\"min\",\"startDate\":\"2026-11-27 17:01:20 +0100\","
                    + "\"endDate\":\"2026-11-27 17:32:52 +0100\",\"creationDate\":\"2026-11-27 17:33:01 +0100\","
                    + "\"sourceName\":\"Jane's Apple Watch\",\"device\":\"" + WATCH + "\",\"statistics\":["
                    + "{\"type\":\"HKQuantityTypeIdentifierHeartRate\",\"average\":\"151.2\",\"minimum\":\"96\","
                    + "\"maximum\":\"174\",\"unit\":\"count/min\"},"
                    + "{\"type\":\"HKQuantityTypeIdentifierDistanceWalkingRunning\",\"sum\":\"5.1243\",\"unit\":\"km\"}],"
                    + "\"metadata\":{\"HKIndoorWorkout\":\"0\",\"HKTimeZone\":\"Europe/Berlin\"}}}");

    private static InputStream fixture() {
        return AppleHealthExportReaderTest.class.getResourceAsStream("/apple/export.xml");
    }

    private static List<String> readAll(InputStream in, ZoneId zone) throws IOException {
        List<String> out = new ArrayList<>();
        try (AppleHealthExportReader r = AppleHealthExportReader.open(in, "u-1", zone)) {
            r.forEachRemaining(e -> out.add(e.json()));
        }
        return out;
    }

    private static InputStream xml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryRecordAndWorkoutOfTheFixtureExactly() throws IOException {
        assertThat(readAll(fixture(), ZoneId.of("Europe/Berlin"))).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void reImportingProducesIdenticalEnvelopes() throws IOException {
        assertThat(readAll(fixture(), ZoneId.of("Europe/Berlin"))).isEqualTo(readAll(fixture(), ZoneId.of("Europe/Berlin")));
    }

    @Test
    void envelopeCarriesKindAndDeviceIdAsKey() throws IOException {
        try (AppleHealthExportReader r = AppleHealthExportReader.open(fixture(), "u-1", null)) {
            AppleHealthExportReader.ExportEnvelope first = r.next();
            assertThat(first.kind()).isEqualTo("record");
            assertThat(first.deviceId()).isEqualTo("apple-69a6b92660bf-watch6-1-janes-apple-watch");
            assertThat(first.envelope().has("time_zone")).as("no time zone given").isFalse();
        }
    }

    @Test
    void countsRecordsWorkoutsAndEverySkippedElement() throws IOException {
        try (AppleHealthExportReader r = AppleHealthExportReader.open(fixture(), "u-1", null)) {
            r.forEachRemaining(e -> { });
            assertThat(r.records()).isEqualTo(8);
            assertThat(r.workouts()).isEqualTo(1);
            assertThat(r.withoutDate()).isZero();
            assertThat(r.skipped()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                    "ActivitySummary", 2L, "Correlation", 1L, "ExportDate", 1L, "Me", 1L,
                    "Record/HeartRateVariabilityMetadataList", 1L, "Workout/WorkoutEvent", 1L,
                    "Workout/WorkoutRoute", 1L)));
        }
    }

    @Test
    void aSampleWithoutAnyReadableDateIsKeptWithoutReceivedAt() throws IOException {
        String doc = "<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"X\" unit=\"count/min\""
                + " startDate=\"yesterday\" endDate=\"\" value=\"70\"/></HealthData>";
        try (AppleHealthExportReader r = AppleHealthExportReader.open(xml(doc), "u-1", null)) {
            AppleHealthExportReader.ExportEnvelope e = r.next();
            assertThat(e.envelope().has("received_at")).isFalse();
            assertThat(e.envelope().at("/payload/startDate").asText()).isEqualTo("yesterday");
            assertThat(r.hasNext()).isFalse();
            assertThat(r.withoutDate()).isEqualTo(1);
        }
    }

    @Test
    void malformedXmlFailsWithLineAndColumn() {
        String doc = "<?xml version=\"1.0\"?>\n<HealthData>\n <Record type=\"a\" sourceName=\"b\" startDate=\"x\" endDate=\"y\">\n"
                + " </Workout>\n</HealthData>\n";
        assertThatThrownBy(() -> readAll(xml(doc), null))
                .isInstanceOf(AppleHealthExportException.class)
                .hasMessageStartingWith("malformed export.xml: ")
                .hasMessageContaining("(line 4, column")
                .satisfies(e -> assertThat(((AppleHealthExportException) e).line()).isEqualTo(4));
    }

    /**
     * A file cut off mid-element: the samples before the cut come out, then the failure names the
     * place. The backfill keeps those samples and dead-letters the rest of the file
     * ({@code AppleExportEnvelopes}); import-apple reports the failure.
     */
    @Test
    void truncatedFileGivesItsSamplesBeforeTheDamageThenFailsAtItsPlace() throws IOException {
        String doc = "<HealthData>\n <Record type=\"a\" sourceName=\"b\" startDate=\"x\" endDate=\"y\"/>\n"
                + " <ActivitySummary dateComponents=\"2026-11-26\"/>\n <Record type=\"a\" sour";
        try (AppleHealthExportReader r = AppleHealthExportReader.open(xml(doc), "u-1", null)) {
            assertThat(r.next().json()).contains("\"type\":\"a\"");
            assertThatThrownBy(r::hasNext)
                    .isInstanceOf(AppleHealthExportException.class)
                    .hasMessageStartingWith("malformed export.xml: ")
                    .hasMessageContaining("(line 4, column ");
            assertThat(r.records()).isEqualTo(1);
            assertThat(r.skipped()).containsExactly(java.util.Map.entry("ActivitySummary", 1L));
            assertThat(r.hasNext()).as("nothing after the damage").isFalse();
        }
    }

    @Test
    void aFileThatIsNotAnExportIsRefusedAtItsRoot() {
        assertThatThrownBy(() -> AppleHealthExportReader.open(xml("<feed><entry/></feed>"), "u-1", null))
                .isInstanceOf(AppleHealthExportException.class)
                .hasMessageContaining("root element is <feed>");
    }

    /** What reading {@code doc} gives: the envelopes, or the error message. Either way, never the secret. */
    private static String outcome(String doc) {
        try {
            return String.join("\n", readAll(xml(doc), null));
        } catch (AppleHealthExportException | IOException e) {
            return e.getMessage();
        }
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String prolog = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">\n]>\n";
        String inAttribute = prolog + "<HealthData><Record type=\"&xxe;\" sourceName=\"s\" startDate=\"x\" endDate=\"y\"/></HealthData>";
        String inContent = prolog + "<HealthData><Record type=\"t\" sourceName=\"s\" startDate=\"x\" endDate=\"y\">&xxe;</Record></HealthData>";
        for (String doc : List.of(inAttribute, inContent)) {
            assertThatThrownBy(() -> readAll(xml(doc), null))
                    .isInstanceOf(AppleHealthExportException.class)
                    .hasMessageContaining("The entity \"xxe\" was referenced, but not declared")
                    .hasMessageNotContaining("TOP-SECRET");
        }
    }

    @Test
    void externalDtdsAreNeverFetched(@TempDir Path dir) throws IOException {
        Path dtd = Files.writeString(dir.resolve("evil.dtd"), "<!ENTITY leak \"TOP-SECRET\">");
        String external = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData SYSTEM \"" + dtd.toUri() + "\">\n"
                + "<HealthData><Record type=\"&leak;\" sourceName=\"s\" startDate=\"x\" endDate=\"y\"/></HealthData>";
        String parameterEntity = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY % ext SYSTEM \"" + dtd.toUri()
                + "\">\n%ext;\n]>\n<HealthData><Record type=\"&leak;\" sourceName=\"s\" startDate=\"x\" endDate=\"y\"/></HealthData>";
        // With an external subset an undeclared entity is not a well-formedness error, so the
        // record may be read (without the entity's text); what matters is that the DTD is not loaded.
        assertThat(outcome(external)).doesNotContain("TOP-SECRET");
        assertThat(outcome(parameterEntity)).doesNotContain("TOP-SECRET");
    }

    @Test
    void entityExpansionBombsAreNeverExpanded() {
        StringBuilder dtd = new StringBuilder("<!ENTITY l0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        String doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n" + dtd + "]>\n"
                + "<HealthData><Record type=\"&l9;\" sourceName=\"s\" startDate=\"x\" endDate=\"y\"/></HealthData>";
        assertThatThrownBy(() -> readAll(xml(doc), null))
                .isInstanceOf(AppleHealthExportException.class)
                .hasMessageContaining("The entity \"l9\" was referenced, but not declared");
    }

    @Test
    void theDoctypeIsReadOverNotInterpreted() throws IOException {
        // Apple's DTD declares no entities; an export that used one would be refused, not expanded.
        String prolog = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY hr \"HKQuantityTypeIdentifierHeartRate\">\n"
                + "<!ATTLIST Record unit CDATA \"count/min\">\n]>\n";
        String record = "<Record type=\"T\" sourceName=\"s\" startDate=\"2026-11-27 10:00:00 +0000\""
                + " endDate=\"2026-11-27 10:00:00 +0000\" value=\"60\"/>";
        assertThat(readAll(xml(prolog + "<HealthData>" + record + "</HealthData>"), null)).singleElement().asString()
                .as("no attribute defaults from the DTD").doesNotContain("\"unit\"")
                .contains("\"received_at\":\"2026-11-27T10:00:00Z\"");
        assertThatThrownBy(() -> readAll(xml(prolog + "<HealthData>" + record.replace("\"T\"", "\"&hr;\"") + "</HealthData>"), null))
                .isInstanceOf(AppleHealthExportException.class)
                .hasMessageContaining("(line 6, column");
    }
}
