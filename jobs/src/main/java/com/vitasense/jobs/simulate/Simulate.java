package com.vitasense.jobs.simulate;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.eval.AlertLabels;
import com.vitasense.jobs.io.EnvelopeOutput;
import com.vitasense.jobs.io.EnvelopeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ./vitasense simulate}: writes the envelopes of a simulated fleet ({@link FleetSimulator})
 * to Kafka or to a JSON-lines file, as fast as it can, for a span of simulated time or a number of
 * envelopes, and prints what it wrote.
 *
 * <pre>
 * ./vitasense simulate (--out FILE.jsonl[.gz] | --kafka-bootstrap host:port [--topic device-data-raw])
 *     [--users 4] [--seed 42] [--duration 24h | --count N] [--start 2026-11-26T00:00:00Z] [--fault-percent 4]
 * ./vitasense simulate --scenario faults --out FILE.jsonl [--labels LABELS.json] [--users 24] [--seed 42] [--duration 3d]
 * </pre>
 *
 * <p>{@code --scenario faults} writes the labelled fault scenario ({@link FaultScenario}) instead of
 * the fleet, and its ground truth to {@code --labels}.
 *
 * <p>The default start is a fixed instant, so the same flags always write the same bytes.
 */
public final class Simulate {
    /** Default simulated start: fixed, so that a run is reproducible without flags. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-26T00:00:00Z");
    public static final String SCENARIO = "scenario";
    public static final String LABELS = "labels";
    private static final Duration STEP = Duration.ofMinutes(1);

    private Simulate() {}

    /** What a run wrote. */
    public record Summary(long envelopes, Instant from, Instant to, Map<String, Long> byKind, Map<Fault, Long> byFault) {
        public String describe(String target, int users, long seed) {
            return "wrote " + envelopes + " envelopes to " + target + ": simulated " + from + " .. " + to + ", "
                    + users + " users, seed " + seed + "\nby vendor/kind: " + joined(byKind) + "\nfaults: " + joined(byFault);
        }

        static String joined(Map<?, Long> counts) {
            return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    /**
     * Runs {@code fleet} and writes its envelopes until {@code duration} of simulated time has
     * passed or {@code count} envelopes are written, whichever is given (the other null).
     */
    public static Summary run(FleetSimulator fleet, Duration duration, Long count, EnvelopeWriter out) throws IOException {
        Instant from = fleet.clock();
        Instant end = duration == null ? Instant.MAX : from.plus(duration);
        long limit = count == null ? Long.MAX_VALUE : count;
        Map<String, Long> byKind = new TreeMap<>();
        Map<Fault, Long> byFault = new EnumMap<>(Fault.class);
        long[] written = {0};
        try {
            while (written[0] < limit && fleet.clock().isBefore(end)) {
                fleet.advance(STEP, e -> {
                    if (written[0] >= limit) return;
                    try {
                        out.write(e.key(), e.json());
                    } catch (IOException io) {
                        throw new UncheckedIOException(io);
                    }
                    written[0]++;
                    byKind.merge(e.vendor() + "/" + e.kind(), 1L, Long::sum);
                    byFault.merge(e.fault(), 1L, Long::sum);
                });
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Summary(written[0], from, fleet.clock(), byKind, byFault);
    }

    public static void main(String[] args) {
        Settings s;
        String scenario;
        try {
            s = Settings.fromMain(args);
            scenario = s.string(SCENARIO, "fleet");
            if (!scenario.equals("fleet") && !scenario.equals(FaultScenario.NAME)) {
                throw new InvalidSettingException("invalid --" + SCENARIO + " '" + scenario + "': expected fleet or faults");
            }
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (scenario.equals(FaultScenario.NAME)) {
            faults(s);
        } else {
            fleet(s);
        }
    }

    private static void fleet(Settings s) {
        int users;
        long seed;
        Duration duration;
        Long count;
        Instant start;
        double faultRate;
        EnvelopeOutput output;
        try {
            users = s.integer("users", 4, 1, 10_000);
            seed = s.integer("seed", 42, 0, Integer.MAX_VALUE);
            if (s.isSet("duration") && s.isSet("count")) {
                throw new InvalidSettingException("give either --duration or --count, not both");
            }
            count = s.isSet("count") ? s.longInteger("count", 0, 1, Long.MAX_VALUE) : null;
            duration = count == null ? s.duration("duration", Duration.ofHours(24)) : null;
            if (duration != null && duration.isZero()) throw new InvalidSettingException("--duration must be positive");
            start = s.instant("start", DEFAULT_START);
            faultRate = s.integer("fault-percent", 4, 0, 100) / 100.0;
            output = EnvelopeOutput.from(s);
            if (s.isFlag(LABELS)) throw new InvalidSettingException("--" + LABELS + " needs --" + SCENARIO + " faults");
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        FleetSimulator fleet = new FleetSimulator(seed, users, start, faultRate);
        try (EnvelopeWriter out = output.open()) {
            Summary summary = run(fleet, duration, count, out);
            out.close(); // flushes, and reports a failed write before the summary claims success
            System.out.println(summary.describe(out.target(), users, seed));
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code --scenario faults}: the labelled fault scenario ({@link FaultScenario}) and its labels file. */
    private static void faults(Settings s) {
        FaultScenario scenario;
        int patients;
        long seed;
        EnvelopeOutput output;
        Path labels;
        try {
            for (String flag : new String[] {"count", "fault-percent"}) {
                if (s.isFlag(flag)) throw new InvalidSettingException("--" + flag + " is for the fleet scenario, not --" + SCENARIO + " faults");
            }
            patients = s.integer("users", FaultScenario.DEFAULT_PATIENTS, 1, 10_000);
            seed = s.integer("seed", 42, 0, Integer.MAX_VALUE);
            Duration duration = s.duration("duration", FaultScenario.DEFAULT_DURATION);
            Instant start = s.instant("start", DEFAULT_START);
            try {
                scenario = new FaultScenario(seed, patients, start, duration);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(e.getMessage());
            }
            output = EnvelopeOutput.from(s);
            String file = s.string(LABELS, null);
            labels = file == null ? null : Path.of(file);
            if (labels != null && labels.toAbsolutePath().getParent() != null && !Files.isDirectory(labels.toAbsolutePath().getParent())) {
                throw new InvalidSettingException("invalid --" + LABELS + " '" + file + "': directory "
                        + labels.toAbsolutePath().getParent() + " does not exist");
            }
            s.rejectUnknown();
        } catch (InvalidSettingException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        FaultScenario.Result result = scenario.run();
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, Long> byType = new TreeMap<>();
        long retries = 0;
        try (EnvelopeWriter out = output.open()) {
            for (SimulatedEnvelope e : result.envelopes()) {
                out.write(e.key(), e.json());
                byKind.merge(e.vendor() + "/" + e.kind(), 1L, Long::sum);
                if (e.fault() == Fault.DUPLICATE) retries++;
            }
            out.close(); // flushes, and reports a failed write before the summary claims success
            if (labels != null) AlertLabels.write(labels, result.labels());
            result.labels().episodes().forEach(l -> byType.merge(l.alertType(), 1L, Long::sum));
            System.out.println("wrote " + result.envelopes().size() + " envelopes to " + out.target() + ": scenario faults, simulated "
                    + result.labels().start() + " .. " + result.labels().end() + ", " + patients + " patients ("
                    + result.labels().devices().size() + " devices), seed " + seed
                    + "\nby vendor/kind: " + Summary.joined(byKind) + " (" + retries + " sent twice, unchanged)"
                    + "\nlabelled episodes (" + result.labels().episodes().size() + "): " + Summary.joined(byType)
                    + (labels != null ? "\nlabels: " + labels : "\nlabels: not written (no --" + LABELS + ")"));
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
