package com.vitasense.records;

/** The rules that raise {@link QualityIssue}s. Consumers match on these names. */
public enum QualityRule {
    /** A value outside its metric's plausible range (flag OUT_OF_RANGE). */
    OUT_OF_RANGE,
    /** A change from the previous reading faster than physiology allows (flag IMPOSSIBLE_JUMP). */
    IMPOSSIBLE_JUMP,
    /** A reading time after its own receipt by more than the clock-skew tolerance. */
    FUTURE_TIMESTAMP,
    /** A reading time long before the device was first seen. */
    BEFORE_FIRST_SEEN,
    /** The same reading re-sent with different content: a new revision replaced the old one. */
    REVISION_CONFLICT,
    /** The adaptive detector found the value unusual for this device (flag OUTLIER). */
    OUTLIER,
    /** No reading for longer than the short gaps that are interpolated. */
    DATA_GAP,
    /** Two devices of one user measured the same thing at the same time and disagree (flag DEVICE_DISAGREEMENT). */
    DEVICE_DISAGREEMENT
}
