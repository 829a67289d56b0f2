package com.vitasense.jobs.simulate;

import java.util.Random;

/**
 * Decides which fault, if any, hits an envelope. Injected per device into the
 * {@link FleetSimulator}, so a scenario can give one device a burst of faults and leave the others
 * clean, and knows exactly which envelopes it spoiled ({@link SimulatedEnvelope#fault()}).
 * Implementations must draw only from the given random, so the run stays deterministic.
 */
@FunctionalInterface
public interface FaultModel {
    /** The fault for an envelope of {@code vendor}/{@code kind}. */
    Fault choose(String vendor, String kind, Random random);

    /** Every envelope as the vendor sends it. */
    static FaultModel none() {
        return (vendor, kind, random) -> Fault.NONE;
    }

    /**
     * A share {@code rate} (0..1) of envelopes is faulty, split evenly between malformed JSON,
     * unknown vendor, missing field, duplicate and late delivery.
     */
    static FaultModel uniform(double rate) {
        if (rate < 0 || rate > 1) throw new IllegalArgumentException("fault rate must be within 0..1, got " + rate);
        Fault[] faults = {Fault.MALFORMED_JSON, Fault.UNKNOWN_VENDOR, Fault.MISSING_FIELD, Fault.DUPLICATE, Fault.LATE};
        return (vendor, kind, random) -> {
            double roll = random.nextDouble();
            return roll < rate ? faults[(int) (roll / rate * faults.length)] : Fault.NONE;
        };
    }
}
