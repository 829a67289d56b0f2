package com.vitasense.vendors.apple;

import com.vitasense.records.Ids;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Platform device ids for Apple Health data, derived only from the user and what the export says
 * about the source, so that importing the same export twice (or the same watch's data from two
 * exports) yields the same device id: {@code apple-<user tag>-<hardware or device name>-<sourceName>},
 * slugged, e.g. {@code apple-3d1f0c9a27be-watch6-1-janes-apple-watch} for source "Jane's Apple
 * Watch" on {@code hardware:Watch6,1}.
 *
 * <p>The user tag (12 hex characters of a hash of the user id) is there because nothing else in an
 * export is unique to its owner: two people whose watch is simply called "Apple Watch" on the same
 * hardware would otherwise share a device id, and with it the devices row and the per-device
 * quality state, mixing their readings. A hash rather than the id itself keeps ids short whatever
 * the platform's user ids look like.
 *
 * <p>The HealthKit device string is free-form ({@code <<HKDevice: 0x283a4c0f0>, name:Apple Watch,
 * manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:9.1>}); its memory address
 * changes between exports and is ignored. Without a device string the id is
 * {@code apple-<user tag>-<sourceName>} (apps and manual entries).
 */
public final class AppleDeviceIds {
    /** Longest slug kept of one part; ids stay readable and bounded. */
    private static final int MAX_PART = 48;
    /** A ", key:" that starts the next HKDevice field; values such as "Watch6,1" contain bare commas. */
    private static final Pattern FIELD = Pattern.compile("(?:^|, )([A-Za-z][A-Za-z0-9]*):");
    private static final Pattern COMBINING = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]+");

    private AppleDeviceIds() {}

    /**
     * The device id for a sample of {@code userId}'s from {@code sourceName} recorded by
     * {@code device} (either may be null).
     */
    public static String deviceId(String userId, String sourceName, String device) {
        Map<String, String> fields = deviceFields(device);
        String hardware = fields.get("hardware");
        String what = slug(hardware != null ? hardware : fields.get("name"));
        String source = slug(sourceName);
        StringBuilder id = new StringBuilder("apple-").append(userTag(userId));
        if (!what.isEmpty()) id.append('-').append(what);
        if (!source.isEmpty()) id.append('-').append(source);
        if (what.isEmpty() && source.isEmpty()) id.append("-unknown");
        return id.toString();
    }

    /** 48 bits of a hash of the user id: unique enough among a platform's users, short in an id. */
    static String userTag(String userId) {
        return Ids.hash("apple-device-owner", Objects.requireNonNull(userId, "userId")).substring(0, 12);
    }

    /**
     * The {@code key:value} fields of an HKDevice string in order of appearance ({@code name},
     * {@code manufacturer}, {@code model}, {@code hardware}, {@code software}, ...); empty for null
     * or a string without fields.
     */
    public static Map<String, String> deviceFields(String device) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (device == null) return fields;
        String body = device.strip();
        if (body.startsWith("<<")) {
            // Drop the "<<HKDevice: 0x...>" object header and the closing '>'.
            int header = body.indexOf('>');
            body = header < 0 ? "" : body.substring(header + 1);
            if (body.endsWith(">")) body = body.substring(0, body.length() - 1);
            if (body.startsWith(",")) body = body.substring(1);
            body = body.strip();
        }
        Matcher m = FIELD.matcher(body);
        String key = null;
        int valueStart = 0;
        while (m.find()) {
            if (key != null) fields.putIfAbsent(key, body.substring(valueStart, m.start()).strip());
            key = m.group(1);
            valueStart = m.end();
        }
        if (key != null) fields.putIfAbsent(key, body.substring(valueStart).strip());
        return fields;
    }

    /**
     * Lower-case ASCII letters and digits separated by single hyphens; apostrophes vanish ("Jane's"
     * becomes "janes") and accents are folded. When letters outside ASCII are lost (a name in
     * Japanese), a short hash of the original keeps two such names apart.
     */
    public static String slug(String text) {
        if (text == null) return "";
        String folded = COMBINING.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT)
                .replace("'", "").replace("\u2019", "").replace("\u02bc", "");
        String slug = NOT_SLUG.matcher(folded).replaceAll("-");
        slug = trimHyphens(slug.length() > MAX_PART ? slug.substring(0, MAX_PART) : slug);
        boolean lostLetters = folded.codePoints().anyMatch(c -> c > 127 && Character.isLetterOrDigit(c));
        if (lostLetters) {
            String hash = Ids.hash("apple-source", text).substring(0, 8);
            slug = slug.isEmpty() ? hash : slug + "-" + hash;
        }
        return slug;
    }

    private static String trimHyphens(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '-') from++;
        while (to > from && s.charAt(to - 1) == '-') to--;
        return s.substring(from, to);
    }
}
