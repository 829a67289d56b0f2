package com.vitasense.records;

/** Where a reading's absolute time came from; tells consumers how far to trust it. */
public enum TimeSource {
    /**
     * The vendor sent an explicit UTC offset or a UTC instant, or a time its API documents as UTC
     * though the text carries no offset (Dexcom {@code systemTime}, Libre {@code FactoryTimestamp}).
     */
    VENDOR_OFFSET,
    /** Local time resolved with the envelope's (user profile's) time zone. */
    PROFILE_TIME_ZONE,
    /** Local time without any zone information, read as UTC. */
    ASSUMED_UTC
}
