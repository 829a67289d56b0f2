package com.vitasense.vendors.apple;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The date format of Apple Health exports: {@code 2026-11-27 10:00:00 +0100}, always with an
 * offset. Parsed by hand because an export holds millions of them and {@link DateTimeFormatter}
 * parsing would dominate the import's time.
 */
public final class AppleHealthDates {
    /** The export's pattern, for formatting (simulator, generator) and as the slow-path parser. */
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx");

    private AppleHealthDates() {}

    /** Formats a time the way the export writes it, in the time's own offset. */
    public static String format(ZonedDateTime time) {
        return FORMAT.format(time);
    }

    /**
     * Parses an export date.
     *
     * @throws DateTimeException if {@code text} is not of the form {@code yyyy-MM-dd HH:mm:ss +hhmm}
     */
    public static OffsetDateTime parse(String text) {
        if (text == null || text.length() != 25 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != ' ' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(19) != ' ' || (text.charAt(20) != '+' && text.charAt(20) != '-')) {
            // Anything unusual (another length, a 'Z') goes through the full formatter, which also
            // produces the precise error message.
            return OffsetDateTime.parse(String.valueOf(text), FORMAT);
        }
        int offsetMinutes = digits(text, 21, 2) * 60 + digits(text, 23, 2);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds((text.charAt(20) == '-' ? -offsetMinutes : offsetMinutes) * 60);
        return OffsetDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2),
                digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), 0, offset);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new DateTimeException("not an Apple Health date: '" + s + "'");
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
