package com.vitasense.units;

/**
 * A value's unit cannot be converted to its metric's canonical unit. Checked, so every caller
 * decides what an unconvertible reading becomes (the parsers send it to the dead-letter topic as
 * {@code UNSUPPORTED_UNIT}) instead of a conversion silently passing a wrong number on.
 */
public class UnsupportedUnitException extends Exception {
    private final String metric;
    private final String unit;

    public UnsupportedUnitException(String metric, String unit, String message) {
        super(message);
        this.metric = metric;
        this.unit = unit;
    }

    public String metric() {
        return metric;
    }

    /** The unit as sent; null when the reading had none. */
    public String unit() {
        return unit;
    }
}
