package com.vitasense.jobs.simulate;

import java.time.Instant;

/**
 * One simulated raw envelope as it goes to the raw topic, with its ground truth.
 *
 * @param key the Kafka key: the device id
 * @param json the envelope as sent (deliberately broken when {@link #fault} says so)
 * @param vendor the vendor the envelope was generated for (even if a fault changed it)
 * @param kind the kind it was generated as
 * @param fault what was done to it on purpose
 * @param sentAt simulated time at which it is sent (its {@code received_at})
 */
public record SimulatedEnvelope(String key, String json, String vendor, String kind, Fault fault, Instant sentAt) {
}
