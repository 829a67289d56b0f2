package com.vitasense.vendors;

import java.io.Serializable;

/**
 * Turns one vendor's envelopes into canonical records. One implementation per vendor, registered in
 * a {@link VendorRegistry}; {@link EnvelopeParser} validates the envelope and routes by
 * {@link Envelope#vendor()}. The device-event kinds every vendor shares ({@code sync_*},
 * {@code device_status}) are handled before dispatch and never reach a vendor parser.
 *
 * <p>Implementations are pure (no I/O, no clock, no randomness), so the same envelope always gives
 * the same records and ids, and {@link Serializable} because they travel inside a Flink function.
 */
public interface VendorParser extends Serializable {
    /** The envelope {@code vendor} this parser handles, e.g. {@code dexcom}. */
    String vendor();

    /**
     * Parses one envelope of this vendor.
     *
     * @throws RecordRejectedException when the record cannot be processed; it becomes a dead letter
     *     with the exception's reason and message. Unknown kinds are {@code UNKNOWN_KIND}.
     */
    ParseResult parse(Envelope envelope) throws RecordRejectedException;
}
