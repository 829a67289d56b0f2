package com.vitasense.vendors;

import static com.vitasense.vendors.Envelopes.dataPoint;
import static com.vitasense.vendors.Envelopes.envelope;
import static com.vitasense.vendors.Envelopes.object;
import static com.vitasense.vendors.Envelopes.pointPayload;
import static com.vitasense.vendors.Envelopes.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vitasense.records.DataPoint;
import com.vitasense.records.DeadLetterReason;
import com.vitasense.records.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives, the parser returns a result and never throws: garbage becomes exactly one dead
 * letter, never a half-parsed mixture. Seeded, so a failure reproduces.
 */
class EnvelopeParserFuzzTest {
    private final EnvelopeParser parser = new EnvelopeParser();
    private final Random random = new Random(20261127L);

    @Test
    void randomBytesAreDeadLetters() {
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            assertSingleDeadLetter(bytes);
        }
    }

    @Test
    void randomJsonishTextIsDeadLetters() {
        String alphabet = "{}[]\":,0123456789.eE+-tfnulrsa \\/\u00e9\u0000";
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder("{");
            int len = random.nextInt(120);
            for (int j = 0; j < len; j++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            assertSingleDeadLetter(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyTruncationOfAValidEnvelopeIsMalformedJson() {
        for (JsonNode env : validEnvelopes()) {
            byte[] full = Json.toBytes(env);
            assertThat(parser.parse(record(full)).isDeadLetter()).as("the untruncated envelope is valid").isFalse();
            for (int cut = 0; cut < full.length; cut++) {
                byte[] prefix = Arrays.copyOf(full, cut);
                ParseResult r = parseWithoutThrowing(prefix);
                assertThat(r.deadLetters()).as("prefix %d of %s", cut, env).hasSize(1);
                assertThat(r.deadLetter().reason).isEqualTo(DeadLetterReason.MALFORMED_JSON.name());
            }
        }
    }

    @Test
    void everyFieldReplacedByEveryWeirdValueNeverThrows() {
        int accepted = 0;
        int rejected = 0;
        for (JsonNode env : validEnvelopes()) {
            for (String[] path : fieldPaths(env)) {
                for (JsonNode weird : weirdValues()) {
                    ObjectNode mutated = env.deepCopy();
                    ObjectNode parent = path.length == 1 ? mutated : (ObjectNode) mutated.get(path[0]);
                    String field = path[path.length - 1];
                    if (weird == null) parent.remove(field);
                    else parent.set(field, weird);
                    ParseResult r = parseWithoutThrowing(Json.toBytes(mutated));
                    if (r.isDeadLetter()) {
                        rejected++;
                        assertThat(r.deadLetters()).hasSize(1);
                        assertThat(r.points()).isEmpty();
                        assertThat(r.deviceEvents()).isEmpty();
                        assertThat(r.references()).isEmpty();
                        assertThat(r.deadLetter().reason).isNotEqualTo(DeadLetterReason.PARSER_ERROR.name());
                    } else {
                        accepted++;
                        for (DataPoint p : r.points()) {
                            if (p.value != null) assertThat(Double.isFinite(p.value)).isTrue();
                            assertThat(p.id).hasSize(32);
                            assertThat(p.startTime).isNotNull();
                        }
                    }
                }
            }
        }
        // Optional fields accept absence and null, so some mutations are still valid.
        assertThat(accepted).isPositive();
        assertThat(rejected).isGreaterThan(accepted);
    }

    /**
     * Every vendor fixture with every field (nested ones too: the first, second and last element of
     * each array) removed or replaced by every weird value: never an exception, never a parser
     * error, and either clean output or exactly one dead letter.
     */
    @Test
    void vendorFixturesWithEveryFieldReplacedNeverThrow() {
        int accepted = 0;
        int rejected = 0;
        for (String name : VendorFixtures.all()) {
            if (VendorFixtures.isInvalid(name)) continue;
            JsonNode env = VendorFixtures.json(name);
            for (List<Object> path : nestedPaths(env, new ArrayList<>(), 0)) {
                for (JsonNode weird : weirdValues()) {
                    JsonNode mutated = env.deepCopy();
                    replace(mutated, path, weird);
                    ParseResult r = parseWithoutThrowing(Json.toBytes(mutated));
                    if (r.isDeadLetter()) {
                        rejected++;
                        assertThat(r.deadLetters()).hasSize(1);
                        assertThat(r.points()).isEmpty();
                        assertThat(r.deviceEvents()).isEmpty();
                        assertThat(r.references()).isEmpty();
                        assertThat(r.deadLetter().reason).as("%s %s = %s", name, path, weird)
                                .isNotEqualTo(DeadLetterReason.PARSER_ERROR.name());
                    } else {
                        accepted++;
                        for (DataPoint p : r.points()) {
                            if (p.value != null) assertThat(Double.isFinite(p.value)).isTrue();
                            assertThat(p.id).hasSize(32);
                            assertThat(p.endTime).isAfterOrEqualTo(p.startTime);
                        }
                        r.deviceEvents().forEach(e -> assertThat(e.eventTime).isNotNull());
                        r.references().forEach(m -> assertThat(m.time).isNotNull());
                    }
                }
            }
        }
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
    }

    @Test
    void truncatedVendorFixturesAreMalformedJson() {
        for (String name : VendorFixtures.all()) {
            if (VendorFixtures.isInvalid(name)) continue;
            byte[] full = Json.toBytes(VendorFixtures.json(name));
            for (int cut = 0; cut < full.length; cut += 13) {
                ParseResult r = parseWithoutThrowing(Arrays.copyOf(full, cut));
                assertThat(r.deadLetter().reason).as("%s cut at %d", name, cut).isEqualTo("MALFORMED_JSON");
            }
        }
    }

    @Test
    void pathologicalInputs() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(parseWithoutThrowing(deep.getBytes(StandardCharsets.UTF_8)).deadLetter().reason)
                .isEqualTo("MALFORMED_JSON");
        String longNumber = "{\"vendor\": " + "9".repeat(5000) + "}";
        assertThat(parseWithoutThrowing(longNumber.getBytes(StandardCharsets.UTF_8)).deadLetter().reason)
                .isEqualTo("MALFORMED_JSON");
        String hugeExponent = "{\"vendor\":\"canonical\",\"kind\":\"data_point\",\"user_id\":\"u\",\"device_id\":\"d\","
                + "\"received_at\":\"2026-11-27T10:00:03Z\",\"payload\":{\"metric\":\"steps\",\"value\":1e99999999999,"
                + "\"start_time\":\"2026-11-27T10:00:00Z\"}}";
        assertThat(parseWithoutThrowing(hugeExponent.getBytes(StandardCharsets.UTF_8)).isDeadLetter()).isTrue();
        assertSingleDeadLetter("\uFEFF{}".getBytes(StandardCharsets.UTF_8));
        assertSingleDeadLetter("null".getBytes(StandardCharsets.UTF_8));
        assertSingleDeadLetter("   ".getBytes(StandardCharsets.UTF_8));
        assertSingleDeadLetter(new byte[] {0});
    }

    private void assertSingleDeadLetter(byte[] bytes) {
        ParseResult r = parseWithoutThrowing(bytes);
        assertThat(r.deadLetters()).as("dead letters for %s", new String(bytes, StandardCharsets.UTF_8)).hasSize(1);
        assertThat(r.points()).isEmpty();
        assertThat(r.deviceEvents()).isEmpty();
        assertThat(r.references()).isEmpty();
        assertThat(r.deadLetter().reason).isNotNull().isNotEqualTo(DeadLetterReason.PARSER_ERROR.name());
    }

    private ParseResult parseWithoutThrowing(byte[] bytes) {
        ParseResult[] result = new ParseResult[1];
        assertThatCode(() -> result[0] = parser.parse(record(bytes))).doesNotThrowAnyException();
        assertThat(result[0]).isNotNull();
        return result[0];
    }

    private static List<JsonNode> validEnvelopes() {
        ObjectNode point = pointPayload("glucose", 5.8, "mmol/L", "2026-11-27T09:55:00");
        point.put("end_time", "2026-11-27T10:00:00");
        point.put("device_model", "G7");
        point.put("source_record_id", "r-1");
        point.put("user_entered", false);
        ObjectNode sleep = object();
        sleep.put("metric", "sleep_stage");
        sleep.put("category", "rem");
        sleep.put("start_time", 1_764_237_600_000L);
        ObjectNode status = object();
        status.put("battery_level", 40);
        status.put("firmware", "2.0");
        status.put("connected", false);
        status.put("time", "2026-11-27T09:00:00Z");
        ObjectNode sync = object();
        sync.put("sync_id", "s-1");
        sync.put("error", "timeout");
        ObjectNode calibration = object();
        calibration.put("metric", "glucose");
        calibration.put("value", 110);
        calibration.put("unit", "mg/dL");
        calibration.put("time", "2026-11-27T08:00:00Z");
        calibration.put("source", "fingerstick");
        return List.of(dataPoint(point), dataPoint(sleep), envelope("fitbit", "device_status", status),
                envelope("canonical", "sync_failed", sync), envelope("canonical", "calibration", calibration));
    }

    /** Every top-level field and every payload field, as [field] or ["payload", field]. */
    private static List<String[]> fieldPaths(JsonNode env) {
        List<String[]> paths = new ArrayList<>();
        env.fieldNames().forEachRemaining(f -> paths.add(new String[] {f}));
        env.get("payload").fieldNames().forEachRemaining(f -> paths.add(new String[] {"payload", f}));
        paths.add(new String[] {"payload", "unexpected_extra"});
        return paths;
    }

    /**
     * Paths (field names and array indexes) to every value in {@code node}, recursively; of each
     * array only the first two and the last element, so long series do not multiply the work.
     */
    private static List<List<Object>> nestedPaths(JsonNode node, List<Object> prefix, int depth) {
        List<List<Object>> paths = new ArrayList<>();
        if (depth > 6) return paths;
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(name);
                paths.add(path);
                paths.addAll(nestedPaths(node.get(name), path, depth + 1));
            }
            List<Object> extra = new ArrayList<>(prefix);
            extra.add("unexpected_extra");
            paths.add(extra);
        } else if (node.isArray()) {
            java.util.TreeSet<Integer> indexes = new java.util.TreeSet<>();
            for (int i : new int[] {0, 1, node.size() - 1}) if (i >= 0 && i < node.size()) indexes.add(i);
            for (int i : indexes) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(i);
                paths.add(path);
                paths.addAll(nestedPaths(node.get(i), path, depth + 1));
            }
        }
        return paths;
    }

    /** Sets (or with null removes) the value at {@code path}; the root itself is never replaced. */
    private static void replace(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof Integer idx ? parent.get(idx) : parent.get((String) step);
        }
        Object last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o) {
            if (value == null) o.remove((String) last);
            else o.set((String) last, value);
        } else if (parent instanceof ArrayNode a) {
            int idx = (Integer) last;
            if (value == null) a.remove(idx);
            else a.set(idx, value);
        }
    }

    /** null in this list means: remove the field. */
    private static List<JsonNode> weirdValues() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode array = f.arrayNode().add(1).add("x");
        ObjectNode nested = f.objectNode();
        nested.set("a", f.objectNode().put("b", "c"));
        List<JsonNode> values = new ArrayList<>(Arrays.asList(
                null, f.nullNode(), f.numberNode(0), f.numberNode(-1), f.numberNode(Long.MAX_VALUE),
                f.numberNode(Long.MIN_VALUE), f.numberNode(0.5), f.numberNode(1e308), f.numberNode(-1e-308),
                DecimalNode.valueOf(new BigDecimal("1e400")), BigIntegerNode.valueOf(BigInteger.TEN.pow(400)),
                f.textNode(""), f.textNode("   "), f.textNode("x"), f.textNode("NaN"), f.textNode("Infinity"),
                f.textNode("2026-11-27T10:00:00Z"), f.textNode("2026-02-30T10:00:00"), f.textNode("\u0000\uFFFF"),
                f.textNode("y".repeat(20_000)), f.booleanNode(true), f.booleanNode(false), f.arrayNode(), array,
                f.objectNode(), nested));
        return values;
    }
}
