package com.vitasense.jobs.simulate;

/**
 * What the simulator did to an envelope on purpose: the ground-truth label of each envelope, so
 * that a test or a labelled scenario can check what the pipeline made of it.
 */
public enum Fault {
    /** Sent as the vendor would send it. */
    NONE,
    /** The JSON is cut off mid-way (a truncated upload). */
    MALFORMED_JSON,
    /** Valid JSON of a vendor the pipeline does not know. */
    UNKNOWN_VENDOR,
    /** A required envelope or payload field is left out. */
    MISSING_FIELD,
    /** An exact copy of an envelope sent just before (a retried upload). */
    DUPLICATE,
    /** Delivered well after its readings were taken (a device that was offline). */
    LATE
}
