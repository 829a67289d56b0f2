package com.vitasense.units;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as the rules files write them: {@code 500ms}, {@code 30s}, {@code 5m} (or {@code 5min}),
 * {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT5M}). One reader for the quality, calibration and
 * alert rules, so the three parts of one file accept the same spellings.
 */
public final class Durations {
    private Durations() {}

    /** Fails with {@link IllegalArgumentException} on anything else; callers add the key. */
    public static Duration parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
        if (i == 0) throw new IllegalArgumentException("expected a duration such as 5m");
        long n = Long.parseLong(t.substring(0, i));
        return switch (t.substring(i)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("expected a duration such as 5m");
        };
    }
}
