package com.vitasense.vendors;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The vendor parsers, keyed by envelope {@code vendor}. Immutable: {@link #with(VendorParser)}
 * returns a copy, so a registry captured by a running Flink function never changes under it.
 *
 * <p>{@link #defaults()} knows every vendor of DESIGN.md; those without a parser yet are
 * {@link NotYetSupportedParser}s. A vendor parser plugs in with {@code defaults().with(new
 * DexcomParser())} (or by replacing the placeholder in {@link #defaults()} once it is complete).
 */
public final class VendorRegistry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sorted so that "known vendors" messages read the same on every run. */
    private final TreeMap<String, VendorParser> parsers;

    private VendorRegistry(TreeMap<String, VendorParser> parsers) {
        this.parsers = parsers;
    }

    /** All vendors of the design: those with a parser, the others placeholders until their parsers land. */
    public static VendorRegistry defaults() {
        return new VendorRegistry(new TreeMap<>())
                .with(new CanonicalParser())
                .with(new NotYetSupportedParser("apple_health", List.of("record")))
                .with(new NotYetSupportedParser("fitbit", List.of("heart_intraday", "steps_intraday", "devices")))
                .with(new NotYetSupportedParser("oura",
                        List.of("heartrate", "daily_readiness", "sleep", "ring_battery_level")))
                .with(new NotYetSupportedParser("whoop", List.of("recovery", "cycle", "sleep")))
                .with(new DexcomParser())
                .with(new LibreParser())
                .with(new NightscoutParser());
    }

    /** A copy in which {@code parser} handles its vendor, replacing any earlier parser for it. */
    public VendorRegistry with(VendorParser parser) {
        TreeMap<String, VendorParser> copy = new TreeMap<>(parsers);
        copy.put(parser.vendor(), parser);
        return new VendorRegistry(copy);
    }

    /** The parser for a vendor, or null if the vendor is unknown. */
    public VendorParser find(String vendor) {
        return vendor == null ? null : parsers.get(vendor);
    }

    /** The known vendor names, sorted. */
    public Set<String> vendors() {
        return Collections.unmodifiableSet(parsers.keySet());
    }

    /** Read-only view, for diagnostics. */
    public Map<String, VendorParser> parsers() {
        return Collections.unmodifiableMap(parsers);
    }
}
