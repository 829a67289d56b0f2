package com.vitasense.vendors;

import com.vitasense.records.DeadLetterReason;

/**
 * A record cannot become canonical output, for a known reason. Parsers throw it from wherever the
 * problem is found; {@link EnvelopeParser} turns it into exactly one dead letter carrying the
 * reason and the message. Checked, so no parser can forget that bad input is a normal outcome.
 */
public class RecordRejectedException extends Exception {
    private final DeadLetterReason reason;

    public RecordRejectedException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
