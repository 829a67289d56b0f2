package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;

import com.fasterxml.jackson.databind.JsonNode;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.TimeSource;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * Reads vendor times into instants and records where the offset came from ({@link TimeSource}).
 *
 * <ul>
 *   <li>ISO-8601 with an offset or {@code Z} (optionally a {@code [zone]} suffix), or an epoch-millis
 *       integer: {@link TimeSource#VENDOR_OFFSET}.
 *   <li>ISO-8601 local date-time and a profile time zone: {@link TimeSource#PROFILE_TIME_ZONE}. In a
 *       DST overlap the earlier offset is used, in a gap the time moves forward by the gap
 *       ({@link ZonedDateTime#of} rules), so the result is deterministic.
 *   <li>ISO-8601 local date-time without a zone: read as UTC, {@link TimeSource#ASSUMED_UTC}.
 * </ul>
 *
 * <p>Instants must lie in [{@link #EARLIEST}, {@link #LATEST}): a reading outside it is garbage
 * that would drag a watermark to the far future or past. The lower bound also catches epoch
 * seconds sent as millis (they land in January 1970).
 */
public final class EventTimes {
    /** Earliest accepted reading time; no consumer wearable data predates it. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** First instant no longer accepted. */
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private EventTimes() {}

    /** An instant and how it was determined. */
    public record ParsedTime(Instant instant, TimeSource source) {}

    /**
     * Parses the time in {@code parent.name}.
     *
     * @param zone the profile time zone for local times, or null when unknown
     * @throws RecordRejectedException {@code MISSING_FIELD} if absent, {@code INVALID_FIELD} if not a
     *     time or out of range
     */
    public static ParsedTime required(JsonNode parent, String path, String name, ZoneId zone)
            throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        if (n == null) {
            throw new RecordRejectedException(DeadLetterReason.MISSING_FIELD,
                    "missing field " + JsonFields.label(path, name));
        }
        return parse(n, JsonFields.label(path, name), zone);
    }

    /** Like {@link #required} but null when the field is absent or null. */
    public static ParsedTime optional(JsonNode parent, String path, String name, ZoneId zone)
            throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        return n == null ? null : parse(n, JsonFields.label(path, name), zone);
    }

    /** Parses a time node (ISO text or epoch-millis integer); {@code label} names it in messages. */
    public static ParsedTime parse(JsonNode n, String label, ZoneId zone) throws RecordRejectedException {
        ParsedTime t;
        if (n.isTextual()) {
            t = parseText(n.textValue(), label, zone);
        } else if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) throw outOfRange(label, n.asText());
            t = new ParsedTime(Instant.ofEpochMilli(n.longValue()), TimeSource.VENDOR_OFFSET);
        } else {
            throw new RecordRejectedException(INVALID_FIELD, "field " + label
                    + " must be an ISO-8601 date-time or epoch millis, got " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return checkRange(t, label, n.asText());
    }

    /** Parses an ISO-8601 instant with offset, e.g. the envelope's {@code received_at}. */
    public static Instant parseInstant(String text, String label) throws RecordRejectedException {
        ParsedTime t = parseText(text, label, null);
        if (t.source() != TimeSource.VENDOR_OFFSET) {
            throw new RecordRejectedException(INVALID_FIELD,
                    "field " + label + " must be an instant with an offset or Z: " + JsonFields.quote(text));
        }
        return checkRange(t, label, text).instant();
    }

    private static ParsedTime parseText(String text, String label, ZoneId zone) throws RecordRejectedException {
        TemporalAccessor parsed;
        try {
            parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
        } catch (DateTimeException e) {
            throw new RecordRejectedException(INVALID_FIELD, "field " + label + " is not an ISO-8601 date-time: "
                    + JsonFields.quote(text) + " (" + e.getMessage() + ")");
        }
        if (parsed instanceof ZonedDateTime z) {
            return new ParsedTime(z.toInstant(), TimeSource.VENDOR_OFFSET);
        }
        LocalDateTime local = (LocalDateTime) parsed;
        if (zone != null) {
            return new ParsedTime(ZonedDateTime.of(local, zone).toInstant(), TimeSource.PROFILE_TIME_ZONE);
        }
        return new ParsedTime(local.toInstant(ZoneOffset.UTC), TimeSource.ASSUMED_UTC);
    }

    /**
     * Checks that a time a parser computed itself (from a vendor format these methods do not read)
     * lies in [{@link #EARLIEST}, {@link #LATEST}).
     *
     * @param sent the text the time was read from, quoted in the message
     * @throws RecordRejectedException {@code INVALID_FIELD} if it does not
     */
    public static ParsedTime checked(ParsedTime t, String label, String sent) throws RecordRejectedException {
        return checkRange(t, label, sent);
    }

    private static ParsedTime checkRange(ParsedTime t, String label, String sent) throws RecordRejectedException {
        if (t.instant().isBefore(EARLIEST) || !t.instant().isBefore(LATEST)) throw outOfRange(label, sent);
        return t;
    }

    private static RecordRejectedException outOfRange(String label, String sent) {
        return new RecordRejectedException(INVALID_FIELD, "field " + label + " is outside " + EARLIEST + " .. "
                + LATEST + ": " + JsonFields.quote(sent));
    }
}
