package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Typed access to JSON fields for parsers, with the dead-letter reason decided in one place: an
 * absent or JSON-null required field is {@code MISSING_FIELD}, a field of the wrong type or outside
 * its domain is {@code INVALID_FIELD}. Messages name the field by its path (e.g.
 * {@code payload.start_time}) so a dead letter says exactly what to fix.
 */
public final class JsonFields {
    /** Longest excerpt of a sent value quoted in a message; the raw record is kept in full anyway. */
    private static final int MAX_QUOTE = 80;

    private JsonFields() {}

    /** The field's value, or null when the field is absent or JSON null. */
    public static JsonNode get(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** A required, non-blank string. */
    public static String requiredText(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = required(parent, path, name);
        if (!n.isTextual()) throw wrongType(path, name, "a string", n);
        String s = n.textValue();
        if (s.isBlank()) throw new RecordRejectedException(INVALID_FIELD, "field " + label(path, name) + " is blank");
        return s;
    }

    /** An optional string; absent, null and blank all read as null. */
    public static String optionalText(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = get(parent, name);
        if (n == null) return null;
        if (!n.isTextual()) throw wrongType(path, name, "a string", n);
        return n.textValue().isBlank() ? null : n.textValue();
    }

    /**
     * An optional identifier: vendors send ids as strings or as integers (WHOOP cycle ids), both read
     * as their text.
     */
    public static String optionalId(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = get(parent, name);
        if (n == null) return null;
        if (n.isTextual()) return n.textValue().isBlank() ? null : n.textValue();
        if (n.isIntegralNumber()) return n.asText();
        throw wrongType(path, name, "a string or an integer", n);
    }

    /** A required JSON number with a finite value; returned as the node so callers keep its text. */
    public static JsonNode requiredNumber(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = required(parent, path, name);
        checkFiniteNumber(n, path, name);
        return n;
    }

    /** An optional finite number. */
    public static Double optionalNumber(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = get(parent, name);
        if (n == null) return null;
        checkFiniteNumber(n, path, name);
        return n.doubleValue();
    }

    /** An optional boolean (a JSON true/false, not a string). */
    public static Boolean optionalBoolean(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = get(parent, name);
        if (n == null) return null;
        if (!n.isBoolean()) throw wrongType(path, name, "a boolean", n);
        return n.booleanValue();
    }

    /** A required JSON object. */
    public static JsonNode requiredObject(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = required(parent, path, name);
        if (!n.isObject()) throw wrongType(path, name, "an object", n);
        return n;
    }

    /** The number's text as sent (integers and decimals keep their digits), e.g. {@code "5.80"}. */
    public static String numberText(JsonNode number) {
        return number.asText();
    }

    /** {@code path.name}, or {@code name} at the top level. */
    public static String label(String path, String name) {
        return path == null || path.isEmpty() ? name : path + "." + name;
    }

    /** A sent value shortened for a message, so one huge field does not bloat every dead letter. */
    public static String quote(String value) {
        if (value == null) return "null";
        return "'" + (value.length() <= MAX_QUOTE ? value : value.substring(0, MAX_QUOTE) + "...") + "'";
    }

    private static JsonNode required(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = get(parent, name);
        if (n == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + label(path, name));
        return n;
    }

    private static void checkFiniteNumber(JsonNode n, String path, String name) throws RecordRejectedException {
        if (!n.isNumber()) throw wrongType(path, name, "a number", n);
        // Huge literals (1e400, a 300-digit integer) parse fine but are not a measurement.
        if (!Double.isFinite(n.doubleValue())) {
            throw new RecordRejectedException(INVALID_FIELD,
                    "field " + label(path, name) + " is not a finite number: " + quote(n.asText()));
        }
    }

    private static RecordRejectedException wrongType(String path, String name, String expected, JsonNode actual) {
        return new RecordRejectedException(INVALID_FIELD, "field " + label(path, name) + " must be " + expected
                + ", got " + actual.getNodeType().name().toLowerCase(Locale.ROOT));
    }
}
