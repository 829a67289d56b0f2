package com.vitasense.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic record ids. An id depends only on the content it names, so a replay, a restart or
 * a backfill produces the same ids and every sink can upsert on them.
 */
public final class Ids {
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {}

    /**
     * The first 128 bits of SHA-256 over the parts, as 32 hex characters. Parts are separated by a
     * unit-separator character and nulls are encoded distinctly, so ("a","bc") and ("ab","c"), or
     * null and "", never collide by construction.
     */
    public static String hash(String... parts) {
        MessageDigest digest = sha256();
        for (String part : parts) {
            if (part == null) {
                digest.update((byte) 0);
            } else {
                digest.update((byte) 1);
                digest.update(part.getBytes(StandardCharsets.UTF_8));
            }
            digest.update((byte) 0x1f);
        }
        byte[] full = digest.digest();
        return HEX.formatHex(full, 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
