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
     * Well-formed input that carries no measurement: a WHOOP record whose {@code score_state} is
     * PENDING_SCORE or UNSCORABLE, an Oura sleep period of type {@code deleted}, a null item of an
     * Oura series (the ring had no reading), a document whose values are all null. Not an error, but
     * reported so that nothing vanishes without a trace; the error text names the skipped items and
     * the vendor's state. When other items of the same record were processed, their output is kept
     * and this one dead letter of the record lists only what was skipped.
     */
    NO_MEASUREMENT,
    /**
     * A file read by a backfill is damaged (not well-formed, truncated) and could not be read on.
     * The records before the damage were processed; this one dead letter stands for the rest of the
     * file: its {@code topic} is the file's path, its {@code offset} where reading stopped, and the
     * error carries the reader's message and position (line and column for XML). No {@code raw}.
     */
    DAMAGED_FILE,
    /**
     * The parser itself failed on this record (a bug, not bad input). The record is kept, like every
     * dead letter, so it can be replayed once the parser is fixed; the job never fails on it.
     */
    PARSER_ERROR
}
