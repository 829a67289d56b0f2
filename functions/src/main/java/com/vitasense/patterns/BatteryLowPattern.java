package com.vitasense.patterns;

/** BATTERY_LOW: the battery crosses the low threshold (20 % by default), on the crossing only. */
public final class BatteryLowPattern extends BatteryCrossingPattern {
    private static final long serialVersionUID = 1L;

    public BatteryLowPattern(AlertRules rules) {
        super(rules.number("battery.low"), rules.duration("battery.within"));
    }

    @Override
    public AlertType type() {
        return AlertType.BATTERY_LOW;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.WARNING;
    }
}
