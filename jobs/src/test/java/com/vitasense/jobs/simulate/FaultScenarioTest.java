package com.vitasense.jobs.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.eval.AlertLabel;
import com.vitasense.patterns.AlertType;
import com.vitasense.records.RawRecord;
import com.vitasense.vendors.EnvelopeParser;
import com.vitasense.vendors.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultScenarioTest {
    private static final Instant START = Simulate.DEFAULT_START;

    private static FaultScenario.Result run(long seed, int patients, Duration duration) {
        return new FaultScenario(seed, patients, START, duration).run();
    }

    @Test
    void everyAlertTypeIsInjectedAndLabelledWithinTheScenario() {
        FaultScenario.Result r = run(42, 8, Duration.ofHours(48));
        Set<String> types = r.labels().episodes().stream().map(AlertLabel::alertType).collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrderElementsOf(Arrays.stream(AlertType.values()).map(Enum::name).toList());
        assertThat(r.labels().devices()).hasSize(16);
        for (AlertLabel l : r.labels().episodes()) {
            assertThat(l.start()).as(l.toString()).isAfterOrEqualTo(START.plus(FaultScenario.WARM_UP).minus(Duration.ofMinutes(5)));
            assertThat(l.end()).as(l.toString()).isBeforeOrEqualTo(START.plus(Duration.ofHours(48)));
            assertThat(r.labels().devices()).contains(l.deviceId());
        }
        // Every fourth patient is clean throughout.
        assertThat(r.labels().episodes()).noneMatch(l -> l.deviceId().endsWith("p-004") || l.deviceId().endsWith("p-008"));
        assertThat(r.envelopes()).anyMatch(e -> e.key().endsWith("p-004"));
    }

    @Test
    void theSameSeedGivesTheSameEnvelopesAndLabelsAndAnotherSeedOthers() {
        FaultScenario.Result a = run(7, 3, Duration.ofHours(12));
        FaultScenario.Result b = run(7, 3, Duration.ofHours(12));
        FaultScenario.Result c = run(8, 3, Duration.ofHours(12));
        assertThat(a.envelopes()).isNotEmpty().isEqualTo(b.envelopes());
        assertThat(a.labels()).isEqualTo(b.labels());
        assertThat(c.labels().episodes()).isNotEqualTo(a.labels().episodes());
    }

    @Test
    void everyEnvelopeIsOneTheParsersAcceptAndOnlyRetriesAreRepeated() {
        FaultScenario.Result r = run(42, 6, Duration.ofHours(24));
        EnvelopeParser parser = new EnvelopeParser();
        long offset = 0;
        String previous = null;
        for (SimulatedEnvelope e : r.envelopes()) {
            ParseResult p = parser.parse(new RawRecord(e.json().getBytes(StandardCharsets.UTF_8), "raw", 0, offset++, -1));
            assertThat(p.isDeadLetter()).as(e.json()).isFalse();
            if (e.fault() == Fault.DUPLICATE) assertThat(e.json()).isEqualTo(previous);
            else assertThat(e.fault()).isEqualTo(Fault.NONE);
            previous = e.json();
        }
        assertThat(r.envelopes()).anyMatch(e -> e.fault() == Fault.DUPLICATE);
        List<String> kinds = r.envelopes().stream().map(e -> e.vendor() + "/" + e.kind()).distinct().toList();
        assertThat(kinds).contains("dexcom/egvs", "dexcom/calibrations", "dexcom/sync_started", "dexcom/sync_completed",
                "dexcom/sync_failed", "nightscout/entries", "canonical/data_point", "canonical/calibration",
                "canonical/device_status");
        // In order of sending.
        for (int i = 1; i < r.envelopes().size(); i++) {
            assertThat(r.envelopes().get(i).sentAt()).isAfterOrEqualTo(r.envelopes().get(i - 1).sentAt());
        }
    }

    @Test
    void theScenarioRunsWholeHoursFromAWholeHour() {
        assertThatThrownBy(() -> new FaultScenario(1, 2, START.plusSeconds(60), Duration.ofHours(24)))
                .hasMessageContaining("starts on a whole hour");
        assertThatThrownBy(() -> new FaultScenario(1, 2, START, Duration.ofMinutes(90)))
                .hasMessageContaining("whole hours");
        assertThatThrownBy(() -> new FaultScenario(1, 0, START, Duration.ofHours(24))).hasMessageContaining("at least one patient");
    }
}
