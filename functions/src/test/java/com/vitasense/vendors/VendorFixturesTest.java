package com.vitasense.vendors;

import static org.assertj.core.api.Assertions.assertThat;

import com.vitasense.records.DataPoint;
import com.vitasense.records.DeviceEvent;
import com.vitasense.records.ReferenceMeasurement;
import com.vitasense.units.Metric;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every vendor fixture must have, whatever its vendor and kind. */
class VendorFixturesTest {
    /** Every vendor and kind of docs/design.md (plus Apple's workout), each with at least one fixture. */
    private static final Map<String, Set<String>> DOCUMENTED_KINDS = Map.of(
            "apple_health", Set.of("record", "workout"),
            "fitbit", Set.of("heart_intraday", "steps_intraday", "devices"),
            "oura", Set.of("heartrate", "daily_readiness", "sleep", "ring_battery_level"),
            "whoop", Set.of("recovery", "cycle", "sleep"),
            "dexcom", Set.of("egvs", "calibrations", "devices"),
            "libre", Set.of("glucose"),
            "nightscout", Set.of("entries"));

    /**
     * The fixtures rejected as a whole, and the reason: the deliberately bad ones, and the pending
     * WHOOP recovery, which is well-formed but carries no measurement.
     */
    private static final Map<String, String> REJECTED = Map.of(
            "whoop/recovery-pending.json", "NO_MEASUREMENT",
            "apple_health/record-invalid-unmapped-type.json", "NOT_YET_SUPPORTED",
            "dexcom/egvs-invalid-unit.json", "UNSUPPORTED_UNIT",
            "fitbit/sleep-invalid-unknown-kind.json", "UNKNOWN_KIND",
            "nightscout/entries-invalid-truncated.json", "MALFORMED_JSON",
            "whoop/cycle-invalid-missing-start.json", "MISSING_FIELD");

    static List<String> fixtures() {
        return VendorFixtures.all();
    }

    @Test
    void everyDocumentedVendorAndKindHasAFixture() {
        Map<String, Set<String>> found = new TreeMap<>();
        for (String f : fixtures()) {
            if (VendorFixtures.isInvalid(f)) continue;
            String vendor = f.substring(0, f.indexOf('/'));
            String file = f.substring(f.indexOf('/') + 1, f.length() - ".json".length());
            String kind = file.contains("-") ? file.substring(0, file.indexOf('-')) : file;
            found.computeIfAbsent(vendor, v -> new TreeSet<>()).add(kind);
        }
        assertThat(found).isEqualTo(new TreeMap<>(DOCUMENTED_KINDS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new TreeSet<>(e.getValue())))));
        assertThat(new EnvelopeParser().registry().vendors()).containsAll(DOCUMENTED_KINDS.keySet());
    }

    @Test
    void exactlyTheBadAndUnscoredFixturesAreDeadLetters() {
        Map<String, String> rejected = new TreeMap<>();
        for (String f : fixtures()) {
            ParseResult r = VendorFixtures.parse(f);
            if (r.isDeadLetter()) rejected.put(f, r.deadLetter().reason);
        }
        assertThat(rejected).isEqualTo(new TreeMap<>(REJECTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void parsingIsDeterministicAndOutputIsWellFormed(String fixture) {
        ParseResult first = VendorFixtures.parse(fixture);
        ParseResult again = VendorFixtures.parse(fixture);
        assertThat(again.points()).isEqualTo(first.points());
        assertThat(again.deviceEvents()).isEqualTo(first.deviceEvents());
        assertThat(again.references()).isEqualTo(first.references());
        assertThat(again.deadLetters()).isEqualTo(first.deadLetters());
        assertThat(first.deadLetters()).as("at most one dead letter per record").hasSizeLessThanOrEqualTo(1);
        if (first.isPartial()) {
            assertThat(first.deadLetter().reason).as("only items without a measurement are skipped")
                    .isEqualTo("NO_MEASUREMENT");
        }
        if (first.isDeadLetter()) {
            assertThat(first.deadLetters()).hasSize(1);
            assertThat(first.points()).isEmpty();
            assertThat(first.deviceEvents()).isEmpty();
            assertThat(first.references()).isEmpty();
            return;
        }
        for (DataPoint p : first.points()) {
            Metric metric = Metric.find(p.metric).orElseThrow();
            assertThat(p.id).hasSize(32).isEqualTo(VendorFixtures.expectedId(p));
            assertThat(p.startTime).isNotNull();
            assertThat(p.endTime).isAfterOrEqualTo(p.startTime);
            assertThat(p.timeSource).isIn("VENDOR_OFFSET", "PROFILE_TIME_ZONE", "ASSUMED_UTC");
            assertThat(p.unit).isEqualTo(metric.canonicalUnit());
            if (metric.isCategorical()) {
                assertThat(p.value).isNull();
                assertThat(p.category).isIn(SleepStages.ALL);
            } else {
                assertThat(p.value).isNotNull();
                assertThat(Double.isFinite(p.value)).isTrue();
            }
            assertThat(p.ingestedAt).isNotNull();
        }
        assertThat(first.points()).extracting(p -> p.id).doesNotHaveDuplicates();
        for (DeviceEvent e : first.deviceEvents()) {
            assertThat(e.id).hasSize(32);
            assertThat(DeviceEvent.Type.valueOf(e.type)).isNotNull();
            assertThat(e.deviceId).isNotBlank();
            assertThat(e.eventTime).isNotNull();
        }
        assertThat(first.deviceEvents()).extracting(e -> e.id).doesNotHaveDuplicates();
        for (ReferenceMeasurement m : first.references()) {
            assertThat(m.metric).isEqualTo("glucose");
            assertThat(m.unit).isEqualTo("mg/dL");
            assertThat(m.value != null || m.slope != null).as("a value or calibration parameters").isTrue();
        }
    }
}
