package com.vitasense.records;

/** Why a raw record went to the dead-letter topic. Consumers match on these names. */
public enum DeadLetterReason {
    /** Not JSON, or not a JSON object. */
    MALFORMED_JSON,
    /** A required envelope or payload field is absent or null. */
    MISSING_FIELD,
    /** A field is present but of the wrong type or out of its domain (bad timestamp, unknown metric). */
    INVALID_FIELD,
    /** The unit cannot be converted to the metric's canonical unit. */
    UNSUPPORTED_UNIT,
    /** The envelope names a vendor the pipeline does not know. */
    UNKNOWN_VENDOR,
    /** The vendor is known but the record kind is not. */
    UNKNOWN_KIND,
    /** Known vendor and kind that this version of the pipeline does not process yet. */
    NOT_YET_SUPPORTED,
    /**
     * The parser itself failed on this record (a bug, not bad input). The record is kept, like every
     * dead letter, so it can be replayed once the parser is fixed; the job never fails on it.
     */
    PARSER_ERROR
}
