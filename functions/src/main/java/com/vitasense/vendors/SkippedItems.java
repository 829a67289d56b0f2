package com.vitasense.vendors;

import com.vitasense.records.DeadLetter;
import com.vitasense.records.DeadLetterReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items of one envelope that carried no measurement (a WHOOP record not yet scored, an Oura
 * sleep period of type {@code deleted}, null items of an Oura series), collected while the parser
 * goes on with the rest, and reported as one {@link DeadLetterReason#NO_MEASUREMENT} dead letter
 * of the envelope. One dead letter per envelope rather than one per item: the dead letter carries
 * the whole raw envelope anyway, and a night of Oura data with a dozen gaps should not become a
 * dozen copies of it.
 *
 * <p>Items of one array skipped for the same reason are listed together,
 * {@code payload.data[0].heart_rate.items[0, 3, 7]: null (no reading)}, so the message stays short
 * and still names every item.
 */
final class SkippedItems {
    /**
     * What was skipped for one reason: a whole record or document at {@code path}, or elements of
     * the array at {@code path} (their indexes collected in {@link #groups}).
     */
    private record Group(String path, boolean elements, String why) {}

    /** Each group, in the order first seen, to the indexes skipped (empty for a whole record). */
    private final Map<Group, List<Integer>> groups = new LinkedHashMap<>();
    private int count;

    /** The item at {@code path} (a whole record or document) carries no measurement, because {@code why}. */
    void record(String path, String why) {
        groups.computeIfAbsent(new Group(path, false, why), g -> new ArrayList<>());
        count++;
    }

    /** Element {@code index} of the array at {@code arrayPath} carries no measurement, because {@code why}. */
    void element(String arrayPath, int index, String why) {
        groups.computeIfAbsent(new Group(arrayPath, true, why), g -> new ArrayList<>()).add(index);
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * {@code result} as it is if nothing was skipped; else with one {@code NO_MEASUREMENT} dead
     * letter naming the skipped items. The output stays: a partial record keeps its good points.
     */
    ParseResult attachTo(ParseResult result, Envelope env) {
        if (isEmpty()) return result;
        boolean nothingElse = result.points().isEmpty() && result.deviceEvents().isEmpty()
                && result.references().isEmpty();
        String error = (nothingElse
                ? "no measurement in this record: "
                : "no measurement in " + count + " item(s) of this record, its other output was kept: ")
                + describe();
        return result.withDeadLetter(DeadLetter.of(env.source(), DeadLetterReason.NO_MEASUREMENT, error,
                env.vendor(), env.kind()));
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        // List.toString gives the indexes as "[0, 3, 7]", right after the array's path.
        groups.forEach((g, indexes) -> parts.add(g.path() + (g.elements() ? indexes.toString() : "") + ": " + g.why()));
        return String.join("; ", parts);
    }
}
