package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.TimeSource;
import com.vitasense.vendors.EventTimes.ParsedTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * The vendor time formats that {@link EventTimes} (ISO-8601 and epoch millis) does not cover, and
 * the vendor rules for times without an offset. Every result is range-checked like
 * {@link EventTimes}' and says in its {@link TimeSource} where the offset came from.
 */
final class VendorTimes {
    /** Apple Health export dates: {@code 2026-11-27 10:00:00 +0100}. */
    private static final DateTimeFormatter APPLE_EXPORT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xx", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);
    /** LibreLinkUp timestamps: {@code 11/27/2026 9:55:00 AM} (US month/day order, 12-hour clock). */
    private static final DateTimeFormatter LIBRE = DateTimeFormatter.ofPattern("M/d/uuuu h:mm:ss a", Locale.US)
            .withResolverStyle(ResolverStyle.STRICT);
    /** Fitbit intraday dataset times: {@code HH:mm:ss} (also {@code HH:mm}). */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ISO_LOCAL_TIME;

    private VendorTimes() {}

    /**
     * A time the vendor documents as UTC but may send without an offset (Dexcom {@code systemTime}
     * and {@code lastUploadDate}): a local date-time is read as UTC, and that is the vendor's
     * statement, not a guess, so the source is {@link TimeSource#VENDOR_OFFSET}. A time with an
     * offset is taken as is. Null when absent or null.
     */
    static ParsedTime optionalUtc(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        if (n == null) return null;
        ParsedTime t = EventTimes.parse(n, JsonFields.label(path, name), ZoneOffset.UTC);
        return new ParsedTime(t.instant(), TimeSource.VENDOR_OFFSET);
    }

    /**
     * A local date-time resolved with the profile time zone ({@link TimeSource#PROFILE_TIME_ZONE}),
     * or read as UTC when there is none ({@link TimeSource#ASSUMED_UTC}). In a DST overlap the
     * earlier offset is used, in a gap the time moves forward by the gap (as {@link EventTimes}).
     */
    static ParsedTime local(LocalDateTime local, ZoneId zone, String label, String sent) throws RecordRejectedException {
        ParsedTime t = zone == null
                ? new ParsedTime(local.toInstant(ZoneOffset.UTC), TimeSource.ASSUMED_UTC)
                : new ParsedTime(ZonedDateTime.of(local, zone).toInstant(), TimeSource.PROFILE_TIME_ZONE);
        return EventTimes.checked(t, label, sent);
    }

    /** An Apple Health date: the export's {@code yyyy-MM-dd HH:mm:ss +hhmm}, or ISO-8601 (SDK clients). */
    static ParsedTime apple(JsonNode parent, String path, String name, ZoneId zone, boolean required)
            throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        String label = JsonFields.label(path, name);
        if (n == null) {
            if (required) throw new RecordRejectedException(MISSING_FIELD, "missing field " + label);
            return null;
        }
        if (n.isTextual() && n.textValue().length() > 10 && n.textValue().charAt(10) == ' ') {
            String text = n.textValue().strip();
            try {
                OffsetDateTime t = OffsetDateTime.parse(text, APPLE_EXPORT);
                return EventTimes.checked(new ParsedTime(t.toInstant(), TimeSource.VENDOR_OFFSET), label, text);
            } catch (DateTimeException e) {
                throw new RecordRejectedException(INVALID_FIELD, "field " + label
                        + " is not an Apple Health date (yyyy-MM-dd HH:mm:ss +hhmm): " + JsonFields.quote(text));
            }
        }
        return EventTimes.parse(n, label, zone);
    }

    /**
     * A LibreLinkUp timestamp. {@code utc}: the field is {@code FactoryTimestamp}, documented as UTC
     * ({@link TimeSource#VENDOR_OFFSET}); else it is the phone's local {@code Timestamp}, resolved
     * with the profile zone or assumed UTC. Null when absent or null.
     */
    static ParsedTime libre(JsonNode parent, String path, String name, boolean utc, ZoneId zone)
            throws RecordRejectedException {
        String text = JsonFields.optionalText(parent, path, name);
        if (text == null) return null;
        String label = JsonFields.label(path, name);
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text.strip(), LIBRE);
        } catch (DateTimeException e) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + label
                    + " is not a LibreLinkUp timestamp (M/d/yyyy h:mm:ss AM|PM): " + JsonFields.quote(text));
        }
        if (utc) {
            return EventTimes.checked(new ParsedTime(local.toInstant(ZoneOffset.UTC), TimeSource.VENDOR_OFFSET), label, text);
        }
        return local(local, zone, label, text);
    }

    /** A calendar date {@code yyyy-MM-dd}. */
    static LocalDate date(String text, String label) throws RecordRejectedException {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeException e) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + label + " is not a date (yyyy-MM-dd): "
                    + JsonFields.quote(text));
        }
    }

    /** A wall-clock time {@code HH:mm:ss}. */
    static LocalTime clock(String text, String label) throws RecordRejectedException {
        try {
            return LocalTime.parse(text.strip(), CLOCK);
        } catch (DateTimeException e) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + label + " is not a time of day (HH:mm:ss): "
                    + JsonFields.quote(text));
        }
    }

    /** {@code start + seconds}, range-checked. */
    static ParsedTime plusSeconds(ParsedTime start, long seconds, String label) throws RecordRejectedException {
        Instant t;
        try {
            t = start.instant().plusSeconds(seconds);
        } catch (DateTimeException | ArithmeticException e) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + label + " lies outside any plausible time");
        }
        return EventTimes.checked(new ParsedTime(t, start.source()), label, t.toString());
    }

    /**
     * Resolves the local times of one series in order (a Fitbit intraday day). Within a DST
     * overlap (the hour that occurs twice when clocks go back) the first pass takes the earlier
     * offset; once the series has reached a later instant, a repeated local time takes the later
     * offset, so a device that logs the repeated hour twice gets two distinct, increasing instants.
     * Without a zone every time is read as UTC ({@link TimeSource#ASSUMED_UTC}).
     */
    static final class LocalSequence {
        private final ZoneId zone;
        private Instant previous;

        LocalSequence(ZoneId zone) {
            this.zone = zone;
        }

        ParsedTime resolve(LocalDateTime local, String label, String sent) throws RecordRejectedException {
            if (zone == null) return local(local, null, label, sent);
            ZonedDateTime z = ZonedDateTime.of(local, zone);
            if (previous != null && !z.toInstant().isAfter(previous)) {
                ZonedDateTime later = z.withLaterOffsetAtOverlap();
                if (later.toInstant().isAfter(previous)) z = later;
            }
            previous = z.toInstant();
            return EventTimes.checked(new ParsedTime(z.toInstant(), TimeSource.PROFILE_TIME_ZONE), label, sent);
        }
    }
}
