package com.vitasense.jobs.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.jobs.io.EnvelopeWriter;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.Json;
import com.vitasense.records.RawRecord;
import com.vitasense.vendors.EnvelopeParser;
import com.vitasense.vendors.ParseResult;
import com.vitasense.vendors.VendorRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
    private static final Instant START = Instant.parse("2026-11-26T00:00:00Z");
    private static final Set<String> SHARED_KINDS = Set.of("sync_started", "sync_completed", "device_status");

    /** Every vendor and kind of docs/design.md ("Raw envelope"). */
    private static final Map<String, Set<String>> DESIGN_KINDS = Map.of(
            "apple_health", Set.of("record", "workout"),
            "fitbit", Set.of("heart_intraday", "steps_intraday", "devices"),
            "oura", Set.of("heartrate", "daily_readiness", "sleep", "ring_battery_level"),
            "whoop", Set.of("recovery", "cycle", "sleep"),
            "dexcom", Set.of("egvs", "calibrations", "devices"),
            "libre", Set.of("glucose"),
            "nightscout", Set.of("entries"),
            "canonical", Set.of("data_point", "calibration"));

    private static List<SimulatedEnvelope> simulate(long seed, int users, Duration span, double faultRate) {
        FleetSimulator fleet = new FleetSimulator(seed, users, START, faultRate);
        List<SimulatedEnvelope> out = new ArrayList<>();
        while (fleet.clock().isBefore(START.plus(span))) fleet.advance(Duration.ofMinutes(1), out::add);
        return out;
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void threeUsersCoverEveryVendorAndKindOfTheDesignAndTheSharedKinds() {
        List<SimulatedEnvelope> envelopes = simulate(42, 3, Duration.ofHours(24), 0);
        Set<String> seen = envelopes.stream().map(e -> e.vendor() + "/" + e.kind()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        DESIGN_KINDS.forEach((vendor, kinds) -> {
            kinds.forEach(k -> expected.add(vendor + "/" + k));
            SHARED_KINDS.forEach(k -> expected.add(vendor + "/" + k));
        });
        assertThat(seen).containsAll(expected);
        assertThat(seen).anyMatch(s -> s.endsWith("/sync_failed"));
        assertThat(envelopes).allMatch(e -> e.fault() == Fault.NONE);
    }

    @Test
    void payloadsShowTheCasesThatBreakNaivePipelines() {
        List<String> all = simulate(42, 3, Duration.ofDays(3), 0).stream().map(SimulatedEnvelope::json).toList();
        assertThat(all).as("Apple glucose typed in mmol with the molar mass in the unit")
                .anyMatch(j -> j.contains("\"unit\":\"mmol<180.1558800000541>/L\""));
        assertThat(all).as("Dexcom readings beyond the sensor range").anyMatch(j -> j.contains("\"status\":\"high\""));
        assertThat(all).as("Dexcom readings without a value").anyMatch(j -> j.contains("\"value\":null,\"status\":\"unknown\""));
        assertThat(all).as("Oura series with gaps").anyMatch(j -> j.matches(".*\"items\":\\[[^\\]]*null.*"));
        assertThat(all).as("Fitbit daily steps as a string")
                .anyMatch(j -> j.matches(".*\"activities-steps\":\\[\\{\"dateTime\":\"[0-9-]+\",\"value\":\"[0-9]+\".*"));
        assertThat(all).as("Fitbit local times without offset").anyMatch(j -> j.matches(".*\"dataset\":\\[\\{\"time\":\"\\d\\d:\\d\\d:\\d\\d\".*"));
        assertThat(all).as("WHOOP members still calibrating").anyMatch(j -> j.contains("\"user_calibrating\":true"))
                .anyMatch(j -> j.contains("\"user_calibrating\":false"));
        assertThat(all).as("a WHOOP cycle in progress has no end").anyMatch(j -> j.contains("\"kind\":\"cycle\"") && !j.contains("\"end\""));
        assertThat(all).as("Nightscout error codes below 39").anyMatch(j -> j.matches(".*\"sgv\":([1-9]|[12][0-9]|3[0-8]),.*"));
        assertThat(all).as("Nightscout mbg and cal entries").anyMatch(j -> j.contains("\"type\":\"mbg\""))
                .anyMatch(j -> j.contains("\"type\":\"cal\""));
        assertThat(all).as("Libre mmol users").anyMatch(j -> j.contains("\"GlucoseUnits\":0"));
    }

    @Test
    void theSameSeedGivesTheSameEnvelopesAndAnotherSeedOthers() {
        List<SimulatedEnvelope> a = simulate(7, 4, Duration.ofHours(6), 0.05);
        List<SimulatedEnvelope> b = simulate(7, 4, Duration.ofHours(6), 0.05);
        List<SimulatedEnvelope> c = simulate(8, 4, Duration.ofHours(6), 0.05);
        assertThat(a).isNotEmpty().isEqualTo(b);
        assertThat(c.stream().map(SimulatedEnvelope::json).toList()).isNotEqualTo(a.stream().map(SimulatedEnvelope::json).toList());
    }

    @Test
    void everyEnvelopeHasTheEnvelopeShapeExceptTheDeliberateFaults() {
        List<SimulatedEnvelope> envelopes = simulate(11, 3, Duration.ofHours(12), 0.10);
        Set<String> vendors = VendorRegistry.defaults().vendors();
        Map<String, String> lastByDevice = new HashMap<>();
        Map<Fault, Integer> faults = new HashMap<>();
        for (SimulatedEnvelope e : envelopes) {
            faults.merge(e.fault(), 1, Integer::sum);
            if (e.fault() == Fault.MALFORMED_JSON) {
                assertThatThrownBy(() -> Json.mapper().readTree(e.json())).as(e.json()).isInstanceOf(JsonProcessingException.class);
                continue;
            }
            JsonNode n = json(e.json());
            switch (e.fault()) {
                case UNKNOWN_VENDOR -> assertThat(vendors).doesNotContain(n.get("vendor").asText());
                case MISSING_FIELD -> { } // checked against the parser below
                default -> {
                    assertThat(n.get("vendor").asText()).isEqualTo(e.vendor()).isIn(vendors);
                    assertThat(n.get("kind").asText()).isEqualTo(e.kind());
                    assertThat(n.get("user_id").asText()).matches("u-\\d+");
                    assertThat(n.get("device_id").asText()).isEqualTo(e.key());
                    assertThat(Instant.parse(n.get("received_at").asText())).isEqualTo(e.sentAt());
                    assertThat(n.get("time_zone").isTextual()).isTrue();
                    assertThat(n.get("payload").isContainerNode()).as(e.json()).isTrue();
                }
            }
            if (e.fault() == Fault.DUPLICATE) assertThat(e.json()).isEqualTo(lastByDevice.get(e.key()));
            if (e.fault() == Fault.LATE && e.kind().equals("data_point")) {
                Instant taken = Instant.parse(n.at("/payload/start_time").asText());
                assertThat(taken).isBefore(e.sentAt().minus(Duration.ofMinutes(45)));
            }
            lastByDevice.put(e.key(), e.json());
        }
        assertThat(faults).containsKeys(Fault.values());
    }

    @Test
    void intactEnvelopesPassTheEnvelopeParserAndSpoiledOnesAreDeadLettered() {
        EnvelopeParser parser = new EnvelopeParser();
        List<SimulatedEnvelope> envelopes = simulate(5, 3, Duration.ofHours(12), 0.10);
        long offset = 0;
        for (SimulatedEnvelope e : envelopes) {
            ParseResult r = parser.parse(new RawRecord(e.json().getBytes(StandardCharsets.UTF_8), "raw", 0, offset++, -1));
            String reason = r.isDeadLetter() ? r.deadLetter().reason : null;
            switch (e.fault()) {
                case MALFORMED_JSON -> assertThat(reason).as(e.json()).isIn("MALFORMED_JSON");
                case UNKNOWN_VENDOR -> assertThat(reason).isEqualTo(DeadLetterReason.UNKNOWN_VENDOR.name());
                case MISSING_FIELD -> assertThat(reason).as(e.json()).isIn("MISSING_FIELD", "NOT_YET_SUPPORTED", "INVALID_FIELD");
                default -> {
                    // Every vendor has its parser: no intact envelope is rejected, and the only
                    // partial ones report the gaps in Oura series.
                    assertThat(reason).as(e.json()).isNull();
                    if (r.isPartial()) {
                        assertThat(e.vendor() + "/" + e.kind() + " " + r.deadLetter().reason).as(r.deadLetter().error)
                                .isEqualTo("oura/sleep NO_MEASUREMENT");
                    }
                    if (e.vendor().equals("canonical") && e.kind().equals("data_point")) {
                        assertThat(r.points()).as(e.json()).hasSize(1);
                    }
                }
            }
        }
    }

    /**
     * The Apple watch's daily samples run the Apple parser's other paths: a body temperature typed
     * in degF, a weighing in lb or kg, and a workout, each becoming exactly one canonical point.
     */
    @Test
    void appleDevicesSendBodyTemperatureBodyMassAndWorkoutsThatParse() {
        EnvelopeParser parser = new EnvelopeParser();
        Map<String, Set<String>> rawUnits = new java.util.TreeMap<>();
        long offset = 0;
        for (SimulatedEnvelope e : simulate(42, 3, Duration.ofDays(2), 0)) {
            if (!e.vendor().equals("apple_health") || e.kind().startsWith("sync") || e.kind().equals("device_status")) continue;
            ParseResult r = parser.parse(new RawRecord(e.json().getBytes(StandardCharsets.UTF_8), "raw", 0, offset++, -1));
            assertThat(r.deadLetters()).as(e.json()).isEmpty();
            assertThat(r.points()).as(e.json()).hasSize(1);
            rawUnits.computeIfAbsent(r.points().get(0).metric, m -> new TreeSet<>()).add(String.valueOf(r.points().get(0).rawUnit));
        }
        assertThat(rawUnits).containsEntry("body_temperature", Set.of("degF"))
                .containsEntry("body_mass", Set.of("kg", "lb"))
                .containsEntry("workout_duration", Set.of("min"));
    }

    @Test
    void aFaultPlanCanSpoilOneDeviceAndLeaveTheOthersClean() {
        String target = new FleetSimulator(1, 2, START, 0).devices().get(2).deviceId();
        FleetSimulator fleet = new FleetSimulator(1, 2, START,
                d -> d.deviceId().equals(target) ? FaultModel.uniform(1.0) : FaultModel.none());
        List<SimulatedEnvelope> out = new ArrayList<>();
        while (fleet.clock().isBefore(START.plus(Duration.ofHours(3)))) fleet.advance(Duration.ofMinutes(1), out::add);
        assertThat(out).filteredOn(e -> e.fault() != Fault.NONE).isNotEmpty().allMatch(e -> e.key().equals(target));
        assertThat(out).filteredOn(e -> !e.key().equals(target)).allMatch(e -> e.fault() == Fault.NONE);
    }

    @Test
    void simulateStopsAtTheCountOrTheSimulatedDuration() throws Exception {
        List<String> written = new ArrayList<>();
        EnvelopeWriter memory = new EnvelopeWriter() {
            @Override
            public void write(String key, String json) {
                written.add(json);
            }

            @Override
            public String target() {
                return "memory";
            }

            @Override
            public void close() {
            }
        };
        Simulate.Summary byCount = Simulate.run(new FleetSimulator(3, 2, START, 0.04), null, 1234L, memory);
        assertThat(byCount.envelopes()).isEqualTo(1234);
        assertThat(written).hasSize(1234);

        written.clear();
        Simulate.Summary byTime = Simulate.run(new FleetSimulator(3, 2, START, 0.04), Duration.ofHours(8), null, memory);
        assertThat(byTime.to()).isEqualTo(START.plus(Duration.ofHours(8)));
        assertThat(written).hasSize((int) byTime.envelopes());
        assertThat(byTime.byKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(byTime.envelopes());
        assertThat(written.subList(0, 1234)).as("a count run is a prefix of the timed run").isEqualTo(
                simulatePrefix(1234));
    }

    private static List<String> simulatePrefix(int n) {
        FleetSimulator fleet = new FleetSimulator(3, 2, START, 0.04);
        List<String> out = new ArrayList<>();
        while (out.size() < n) fleet.advance(Duration.ofMinutes(1), e -> out.add(e.json()));
        return out.subList(0, n);
    }
}
