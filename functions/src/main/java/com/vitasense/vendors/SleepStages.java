package com.vitasense.vendors;

import java.util.List;

/**
 * The one vocabulary of {@code sleep_stage} categories, whatever the vendor. It is Apple
 * HealthKit's, the most detailed of the vendors': {@code core} is light sleep (N1/N2), so Oura's
 * "light" maps to it; {@code asleep} is asleep without a stage (Apple's pre-iOS 16 value), and
 * {@code unspecified} is Apple's {@code AsleepUnspecified}.
 */
public final class SleepStages {
    public static final String IN_BED = "in_bed";
    public static final String ASLEEP = "asleep";
    /** Light sleep (N1/N2): Apple's "core", Oura's and WHOOP's "light". */
    public static final String CORE = "core";
    public static final String DEEP = "deep";
    public static final String REM = "rem";
    public static final String AWAKE = "awake";
    public static final String UNSPECIFIED = "unspecified";

    /** Every category, in the order above. */
    public static final List<String> ALL = List.of(IN_BED, ASLEEP, CORE, DEEP, REM, AWAKE, UNSPECIFIED);

    private SleepStages() {}
}
