package com.vitasense.patterns;

/** BATTERY_CRITICAL: the battery crosses the critical threshold (5 % by default), on the crossing only. */
public final class BatteryCriticalPattern extends BatteryCrossingPattern {
    private static final long serialVersionUID = 1L;

    public BatteryCriticalPattern(AlertRules rules) {
        super(rules.number("battery.critical"), rules.duration("battery.within"));
    }

    @Override
    public AlertType type() {
        return AlertType.BATTERY_CRITICAL;
    }

    @Override
    AlertType.Severity severity() {
        return AlertType.Severity.CRITICAL;
    }
}
