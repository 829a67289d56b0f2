package com.vitasense.vendors;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The vendor parsers, keyed by envelope {@code vendor}. Immutable: {@link #with(VendorParser)}
 * returns a copy, so a registry captured by a running Flink function never changes under it.
 *
 * <p>{@link #defaults()} knows every vendor of docs/design.md. Another parser plugs in with
 * {@code defaults().with(parser)}, which also replaces a default parser of the same vendor.
 */
public final class VendorRegistry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sorted so that "known vendors" messages read the same on every run. */
    private final TreeMap<String, VendorParser> parsers;

    private VendorRegistry(TreeMap<String, VendorParser> parsers) {
        this.parsers = parsers;
    }

    /** Every vendor of the design, each with its parser. */
    public static VendorRegistry defaults() {
        return new VendorRegistry(new TreeMap<>())
                .with(new CanonicalParser())
                .with(new AppleHealthParser())
                .with(new FitbitParser())
                .with(new OuraParser())
                .with(new WhoopParser())
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
