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
    /** Label (a path, or an array path) and reason, in the order first seen, to the indexes skipped. */
    private final Map<String, List<Integer>> groups = new LinkedHashMap<>();
    private int count;

    /** The item at {@code path} (a whole record or document) carries no measurement, because {@code why}. */
    void record(String path, String why) {
        groups.computeIfAbsent(path + ": " + why, k -> new ArrayList<>());
        count++;
    }

    /** Element {@code index} of the array at {@code arrayPath} carries no measurement, because {@code why}. */
    void element(String arrayPath, int index, String why) {
        groups.computeIfAbsent(arrayPath + "\u0000" + why, k -> new ArrayList<>()).add(index);
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
        groups.forEach((key, indexes) -> {
            int sep = key.indexOf('\u0000');
            if (sep < 0) {
                parts.add(key);
            } else {
                parts.add(key.substring(0, sep) + indexes + ": " + key.substring(sep + 1));
            }
        });
        return String.join("; ", parts);
    }
}
