package dev.gatehouse.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The stored variants of one URI whose responses carry {@code Vary} (RFC 9111 §4.1): the {@code Vary} field of
 * the latest response, and the secondary keys of the variants kept, oldest first.
 *
 * <p>It is stored under the URI's primary key as a bodiless entry of its own ({@link #entry}), so every tier
 * keeps and persists it like any response (the disk tier rebuilds it at start with the rest); each variant is
 * stored under {@link #keyOf(CacheKey, String)}. A lookup takes the selecting fields from this latest
 * {@code Vary} and reads the one variant whose secondary key the request then has: a variant stored under
 * other {@code Vary} names has a secondary key naming other fields, so it never matches.
 *
 * @param vary          the {@code Vary} field lines of the response that started this list (later variants
 *                      selected by the same field names, in the same order, keep it), and no other field
 * @param secondaryKeys the variants kept, oldest first, without repeats
 */
record Variants(CacheHeaders vary, List<String> secondaryKeys) {
    /** Not an HTTP status: marks a stored entry as a list of variants rather than a response. */
    private static final int STATUS = 0;
    private static final String VARIANT_FIELD = "Gatehouse-Variant";
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    Variants {
        secondaryKeys = List.copyOf(secondaryKeys);
    }

    /** The variants {@code entry} lists, if it is such an entry (and not a response). */
    static Optional<Variants> of(CacheEntry entry) {
        if (entry.status() != STATUS) {
            return Optional.empty();
        }
        List<String> keys = entry.headers().all(VARIANT_FIELD).stream()
                .map(encoded -> new String(DECODE.decode(encoded), StandardCharsets.UTF_8)).toList();
        return Optional.of(none(entry.headers()).with(keys));
    }

    /** None yet, for responses with {@code response}'s {@code Vary}. */
    static Variants none(CacheHeaders response) {
        CacheHeaders.Builder vary = CacheHeaders.builder();
        response.all("Vary").forEach(value -> vary.add("Vary", value));
        return new Variants(vary.build(), List.of());
    }

    private Variants with(List<String> keys) {
        return new Variants(vary, keys);
    }

    /** The key a variant is stored under: its URI's key and its secondary key, which no request target can spell. */
    static CacheKey keyOf(CacheKey primary, String secondaryKey) {
        return new CacheKey(primary.value() + '\u0000' + secondaryKey);
    }

    /** The stored variant {@code request} selects; empty if none is kept (§4.1; {@code Vary: *} never selects one). */
    Optional<String> select(CacheHeaders request) {
        return SecondaryKey.of(vary, request).filter(secondaryKeys::contains);
    }

    /** Whether a response with {@code response}'s {@code Vary} selects by the same fields as these variants. */
    boolean sameFields(CacheHeaders response) {
        return response.responseFacts().varyNames() != null
                && response.responseFacts().varyNames().equals(vary.responseFacts().varyNames());
    }

    /**
     * These variants with {@code secondaryKey} as the newest; when more than {@code max} are then kept, the
     * oldest are left out and added to {@code dropped}.
     */
    Variants withNewest(String secondaryKey, int max, List<String> dropped) {
        List<String> kept = new ArrayList<>(secondaryKeys);
        kept.remove(secondaryKey);
        kept.add(secondaryKey);
        while (kept.size() > max) {
            dropped.add(kept.removeFirst());
        }
        return with(kept);
    }

    /** The bodiless entry that stores this list (times are for the tiers' bookkeeping only). */
    CacheEntry entry(long nowMillis) {
        CacheHeaders.Builder fields = vary.toBuilder();
        secondaryKeys.forEach(key -> fields.add(VARIANT_FIELD, ENCODE.encodeToString(key.getBytes(StandardCharsets.UTF_8))));
        return new CacheEntry(STATUS, fields.build(), nowMillis, nowMillis, "");
    }
}
