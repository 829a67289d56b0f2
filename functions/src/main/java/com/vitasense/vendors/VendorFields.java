package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.INVALID_FIELD;
import static com.vitasense.records.DeadLetterReason.MISSING_FIELD;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Field access for vendor payloads, on top of {@link JsonFields}: arrays with indexed paths for
 * messages ({@code payload.records[3].systemTime}), and numbers that vendors send as text
 * (Fitbit's {@code "value": "8765"}, Apple export attributes). Same reasons as {@link JsonFields}:
 * absent or null is {@code MISSING_FIELD}, anything else wrong is {@code INVALID_FIELD}.
 */
final class VendorFields {
    private VendorFields() {}

    /** A number as the vendor sent it: its value and its text, which becomes {@code raw_value}. */
    record Num(double value, String text) {}

    /** The payload as an object, or {@code INVALID_FIELD} naming the vendor and kind. */
    static JsonNode objectPayload(Envelope env) throws RecordRejectedException {
        if (!env.payload().isObject()) {
            throw new RecordRejectedException(INVALID_FIELD, "payload of " + env.vendor() + "/" + env.kind()
                    + " must be an object, got " + type(env.payload()));
        }
        return env.payload();
    }

    /** The payload as an array (Nightscout), or {@code INVALID_FIELD}. */
    static JsonNode arrayPayload(Envelope env) throws RecordRejectedException {
        if (!env.payload().isArray()) {
            throw new RecordRejectedException(INVALID_FIELD, "payload of " + env.vendor() + "/" + env.kind()
                    + " must be an array, got " + type(env.payload()));
        }
        return env.payload();
    }

    /** A required JSON array (possibly empty). */
    static JsonNode requiredArray(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        if (n == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + JsonFields.label(path, name));
        if (!n.isArray()) throw wrongType(JsonFields.label(path, name), "an array", n);
        return n;
    }

    /** An optional JSON array; null when absent or null. */
    static JsonNode optionalArray(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        if (n == null) return null;
        if (!n.isArray()) throw wrongType(JsonFields.label(path, name), "an array", n);
        return n;
    }

    /** An optional JSON object; null when absent or null. */
    static JsonNode optionalObject(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        if (n == null) return null;
        if (!n.isObject()) throw wrongType(JsonFields.label(path, name), "an object", n);
        return n;
    }

    /** Element {@code i} of an array, which must be an object; its path is {@code path[i]}. */
    static JsonNode objectAt(JsonNode array, int i, String path) throws RecordRejectedException {
        JsonNode n = array.get(i);
        if (n == null || !n.isObject()) {
            throw new RecordRejectedException(n == null || n.isNull() ? MISSING_FIELD : INVALID_FIELD,
                    "element " + at(path, i) + " must be an object, got " + (n == null ? "nothing" : type(n)));
        }
        return n;
    }

    /** {@code path[i]}. */
    static String at(String path, int i) {
        return path + "[" + i + "]";
    }

    /** A required finite number, sent as a JSON number or as its decimal text. */
    static Num requiredNumeric(JsonNode parent, String path, String name) throws RecordRejectedException {
        Num n = optionalNumeric(parent, path, name);
        if (n == null) throw new RecordRejectedException(MISSING_FIELD, "missing field " + JsonFields.label(path, name));
        return n;
    }

    /** An optional finite number, sent as a JSON number or as its decimal text; null when absent or null. */
    static Num optionalNumeric(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        return n == null ? null : numeric(n, JsonFields.label(path, name));
    }

    /** A JSON number, or a string holding a plain decimal number ("72", "0.97", "-1.5e2"). */
    static Num numeric(JsonNode n, String label) throws RecordRejectedException {
        if (n.isNumber()) {
            double v = n.doubleValue();
            if (!Double.isFinite(v)) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "field " + label + " is not a finite number: " + JsonFields.quote(n.asText()));
            }
            return new Num(v, JsonFields.numberText(n));
        }
        if (n.isTextual()) {
            String text = n.textValue().strip();
            double v;
            try {
                // BigDecimal accepts only plain decimal syntax: no "NaN", "Infinity", hex or "1d".
                v = new BigDecimal(text).doubleValue();
            } catch (NumberFormatException e) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "field " + label + " is not a number: " + JsonFields.quote(n.textValue()));
            }
            if (!Double.isFinite(v)) {
                throw new RecordRejectedException(INVALID_FIELD,
                        "field " + label + " is not a finite number: " + JsonFields.quote(n.textValue()));
            }
            return new Num(v, text);
        }
        throw wrongType(label, "a number", n);
    }

    /** An optional integer (a JSON integer that fits an int); null when absent or null. */
    static Integer optionalInt(JsonNode parent, String path, String name) throws RecordRejectedException {
        JsonNode n = JsonFields.get(parent, name);
        if (n == null) return null;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw wrongType(JsonFields.label(path, name), "an integer", n);
        return n.intValue();
    }

    /** A required text field, compared case-insensitively by callers: returned lower-cased. */
    static String requiredLower(JsonNode parent, String path, String name) throws RecordRejectedException {
        return JsonFields.requiredText(parent, path, name).toLowerCase(Locale.ROOT);
    }

    static RecordRejectedException wrongType(String label, String expected, JsonNode actual) {
        return new RecordRejectedException(INVALID_FIELD, "field " + label + " must be " + expected + ", got " + type(actual));
    }

    static String type(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
