package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MALFORMED_JSON;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;
import static com.vitasense.records.DeadLetterReason.UNKNOWN_VENDOR;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.Json;
import com.vitasense.records.RawRecord;
import java.io.IOException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one raw record (the JSON envelope of docs/design.md, "Raw envelope") into canonical records or
 * one dead letter. Pure and total: no I/O, no clock, and it never throws, whatever the bytes, so
 * one bad record can never fail or restart the job.
 *
 * <p>Steps: read JSON, validate the envelope ({@link Envelope}), then dispatch: an unknown vendor is
 * {@code UNKNOWN_VENDOR}; the shared kinds {@code sync_*} and {@code device_status} go to
 * {@link DeviceEventParser} for every known vendor; anything else to the vendor's
 * {@link VendorParser} from the {@link VendorRegistry}.
 *
 * <p>Envelope rules: {@code vendor}, {@code kind}, {@code user_id}, {@code device_id} (strings) and
 * {@code payload} (an object, or an array for vendors whose endpoint returns one) are required
 * ({@code MISSING_FIELD}); a wrong type, a bad {@code received_at} instant or an unknown
 * {@code time_zone} is {@code INVALID_FIELD}. Without {@code received_at} the record's own
 * timestamp (broker or file time) is used when known, else the record is {@code MISSING_FIELD}.
 */
public final class EnvelopeParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeParser.class);

    /**
     * Floats as BigDecimal with trailing zeros kept, so a point's {@code raw_value} is the number's
     * text as sent ("5.80" stays "5.80", "100.0" does not become "1E+2"). Trailing content after
     * the JSON value is an error, not silently ignored. The shared mapper itself is not changed.
     */
    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    /** Longest vendor/kind label copied onto a dead letter (the full raw value is kept anyway). */
    private static final int MAX_LABEL = 100;

    private static final RawRecord NO_RECORD = new RawRecord(null, null, -1, -1, Long.MIN_VALUE);

    private final VendorRegistry registry;

    /** A parser for every vendor of the design ({@link VendorRegistry#defaults()}). */
    public EnvelopeParser() {
        this(VendorRegistry.defaults());
    }

    public EnvelopeParser(VendorRegistry registry) {
        this.registry = registry;
    }

    public VendorRegistry registry() {
        return registry;
    }

    /**
     * Parses one raw record. Never throws: a record that cannot be processed yields a result with
     * exactly one dead letter; a parser bug yields {@link DeadLetterReason#PARSER_ERROR}.
     */
    public ParseResult parse(RawRecord record) {
        RawRecord source = record != null ? record : NO_RECORD;
        String vendor = null;
        String kind = null;
        if (source.readError != null) {
            // Not an envelope but the unreadable rest of a damaged file, as its reader reported it.
            return ParseResult.ofDeadLetter(DeadLetter.of(source, DeadLetterReason.DAMAGED_FILE, source.readError,
                    null, null));
        }
        try {
            JsonNode root = readJson(source.value);
            vendor = label(root.get("vendor"));
            kind = label(root.get("kind"));
            return dispatch(readEnvelope(root, source));
        } catch (RecordRejectedException e) {
            return ParseResult.ofDeadLetter(DeadLetter.of(source, e.reason(), e.getMessage(), vendor, kind));
        } catch (RuntimeException e) {
            // Not bad input but a bug: keep the record in the DLQ for replay after the fix, and log it
            // with the stack trace, since the dead letter only carries the message.
            LOG.warn("parser failed on {} (vendor {}, kind {}); sent to the dead-letter topic", source, vendor, kind, e);
            return ParseResult.ofDeadLetter(DeadLetter.of(source, DeadLetterReason.PARSER_ERROR,
                    "parser error: " + e, vendor, kind));
        }
    }

    private ParseResult dispatch(Envelope env) throws RecordRejectedException {
        VendorParser parser = registry.find(env.vendor());
        if (parser == null) {
            throw new RecordRejectedException(UNKNOWN_VENDOR, "unknown vendor " + JsonFields.quote(env.vendor())
                    + " (known: " + String.join(", ", registry.vendors()) + ")");
        }
        if (DeviceEventParser.handles(env.kind())) {
            return ParseResult.ofDeviceEvent(DeviceEventParser.parse(env));
        }
        return parser.parse(env);
    }

    private static JsonNode readJson(byte[] bytes) throws RecordRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new RecordRejectedException(MALFORMED_JSON, "empty record");
        }
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            // Jackson reports syntax errors and exceeded limits (nesting depth, number length) as
            // IOExceptions; number-format runtime exceptions are treated the same: not readable JSON.
            throw new RecordRejectedException(MALFORMED_JSON, "not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new RecordRejectedException(MALFORMED_JSON, "no JSON value in record");
        }
        if (!root.isObject()) {
            throw new RecordRejectedException(MALFORMED_JSON,
                    "envelope must be a JSON object, got " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return root;
    }

    private static Envelope readEnvelope(JsonNode root, RawRecord source) throws RecordRejectedException {
        String vendor = JsonFields.requiredText(root, "", "vendor");
        String kind = JsonFields.requiredText(root, "", "kind");
        String userId = JsonFields.requiredText(root, "", "user_id");
        String deviceId = JsonFields.requiredText(root, "", "device_id");
        JsonNode payload = JsonFields.get(root, "payload");
        if (payload == null) throw new RecordRejectedException(MISSING_FIELD, "missing field payload");
        if (!payload.isContainerNode()) {
            throw new RecordRejectedException(INVALID_FIELD, "field payload must be an object, got "
                    + payload.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Instant receivedAt = receivedAt(root, source);
        ZoneId zone = timeZone(root);
        String syncId = JsonFields.optionalId(root, "", "sync_id");
        return new Envelope(vendor, kind, userId, deviceId, receivedAt, zone, syncId, payload, source);
    }

    private static Instant receivedAt(JsonNode root, RawRecord source) throws RecordRejectedException {
        JsonNode n = JsonFields.get(root, "received_at");
        if (n == null) {
            // A record replayed from the topic still has its broker timestamp: the best stand-in.
            if (source.timestamp >= 0) return Instant.ofEpochMilli(source.timestamp);
            throw new RecordRejectedException(MISSING_FIELD,
                    "missing field received_at, and the record has no timestamp to fall back on");
        }
        if (!n.isTextual()) {
            throw new RecordRejectedException(INVALID_FIELD, "field received_at must be an ISO-8601 instant, got "
                    + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return EventTimes.parseInstant(n.textValue(), "received_at");
    }

    private static ZoneId timeZone(JsonNode root) throws RecordRejectedException {
        String tz = JsonFields.optionalText(root, "", "time_zone");
        if (tz == null) return null;
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new RecordRejectedException(INVALID_FIELD, "field time_zone is not a time zone: "
                    + JsonFields.quote(tz) + " (" + e.getMessage() + ")");
        }
    }

    /** A vendor/kind value for the dead letter's label fields: only strings, shortened. */
    private static String label(JsonNode n) {
        if (n == null || !n.isTextual()) return null;
        String s = n.textValue();
        return s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL);
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
