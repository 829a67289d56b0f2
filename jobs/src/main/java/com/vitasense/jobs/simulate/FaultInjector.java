package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Applies a device's {@link FaultModel} to its envelopes on their way out: spoils, copies or holds
 * them back, and labels each one. Late envelopes wait here until {@link #LATE_BY} of simulated time
 * has passed and then go out with their new {@code received_at}; their readings are then far
 * behind everything else the pipeline has seen.
 */
final class FaultInjector {
    /** Well beyond the pipeline's default out-of-orderness (5 min), so late readings are flagged. */
    static final Duration LATE_BY = Duration.ofMinutes(46);
    private static final String[] UNKNOWN_VENDORS = {"garmin", "polar_flow", "samsung_health", "withings"};
    private static final String[] ENVELOPE_FIELDS = {"user_id", "device_id", "kind", "payload", "vendor"};

    private final FaultModel model;
    private final Random random;
    private final Deque<Draft> held = new ArrayDeque<>();

    FaultInjector(FaultModel model, Random random) {
        this.model = model;
        this.random = random;
    }

    void send(Draft d, Consumer<SimulatedEnvelope> out) {
        Fault fault = model.choose(d.vendor(), d.kind(), random);
        switch (fault) {
            case NONE -> out.accept(d.seal(Fault.NONE));
            case MALFORMED_JSON -> {
                String json = d.envelope().toString();
                int cut = 1 + random.nextInt(json.length() - 2);
                out.accept(new SimulatedEnvelope(d.deviceId(), json.substring(0, cut), d.vendor(), d.kind(),
                        fault, d.sentAt()));
            }
            case UNKNOWN_VENDOR -> {
                ObjectNode e = d.envelope().deepCopy();
                e.put("vendor", UNKNOWN_VENDORS[random.nextInt(UNKNOWN_VENDORS.length)]);
                out.accept(new Draft(d.deviceId(), d.vendor(), d.kind(), d.sentAt(), e).seal(fault));
            }
            case MISSING_FIELD -> out.accept(new Draft(d.deviceId(), d.vendor(), d.kind(), d.sentAt(),
                    withoutAField(d.envelope())).seal(fault));
            case DUPLICATE -> {
                SimulatedEnvelope first = d.seal(Fault.NONE);
                out.accept(first);
                out.accept(new SimulatedEnvelope(first.key(), first.json(), first.vendor(), first.kind(), fault,
                        first.sentAt()));
            }
            case LATE -> held.add(d);
        }
    }

    /** Sends the held-back envelopes that are due by {@code now}. */
    void release(Instant now, Consumer<SimulatedEnvelope> out) {
        for (Iterator<Draft> it = held.iterator(); it.hasNext(); ) {
            Draft d = it.next();
            Instant due = d.sentAt().plus(LATE_BY);
            if (due.isAfter(now)) continue;
            it.remove();
            ObjectNode e = d.envelope().deepCopy();
            e.put("received_at", due.toString());
            out.accept(new Draft(d.deviceId(), d.vendor(), d.kind(), due, e).seal(Fault.LATE));
        }
    }

    private ObjectNode withoutAField(ObjectNode envelope) {
        ObjectNode e = envelope.deepCopy();
        // A required envelope field: a payload's first field is often optional for its parser
        // (Dexcom's recordType), and the fault must be one the pipeline is bound to reject.
        e.remove(ENVELOPE_FIELDS[random.nextInt(ENVELOPE_FIELDS.length)]);
        return e;
    }
}
