package com.vitasense.jobs.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An envelope under construction: the JSON object and when it is due to be sent. */
record Draft(String deviceId, String vendor, String kind, Instant sentAt, ObjectNode envelope) {
    SimulatedEnvelope seal(Fault fault) {
        return new SimulatedEnvelope(deviceId, envelope.toString(), vendor, kind, fault, sentAt);
    }
}
