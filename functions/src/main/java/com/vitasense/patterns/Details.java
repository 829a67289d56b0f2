package com.vitasense.patterns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.Json;

/** The JSON details of an alert: the numbers that made its pattern match. */
final class Details {
    private Details() {}

    /** A JSON object of alternating names and values (strings, numbers, booleans or null). */
    static String of(Object... nameValues) {
        ObjectNode n = Json.mapper().createObjectNode();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            String k = (String) nameValues[i];
            Object v = nameValues[i + 1];
            if (v == null) n.putNull(k);
            else if (v instanceof Integer x) n.put(k, x);
            else if (v instanceof Long x) n.put(k, x);
            else if (v instanceof Double x) n.put(k, round(x));
            else if (v instanceof Boolean x) n.put(k, x);
            else n.put(k, v.toString());
        }
        return n.toString();
    }

    /** Four decimals: enough for a reader, and stable across platforms' last-bit differences. */
    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
