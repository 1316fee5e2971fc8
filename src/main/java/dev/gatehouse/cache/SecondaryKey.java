package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The secondary cache key (RFC 9111 §4.1): the request header values a response's {@code Vary}
 * selects, normalised so that requests meaning the same thing match.
 *
 * <p>Normalisation (§4.1 allows "normalizing both header field values in a way that is known to have
 * identical semantics"): field lines are combined, whitespace around list commas is removed, and for
 * the {@code Accept*} fields, whose members are case-insensitive and unordered, members are
 * lower-cased and sorted. An absent field differs from an empty one (§4.1: an absent field "can
 * only match another request if it is also absent there").
 */
public final class SecondaryKey {
    private static final Set<String> UNORDERED_CASE_INSENSITIVE =
            Set.of("accept", "accept-encoding", "accept-language", "accept-charset");
    private static final String ABSENT = "\u0000";
    private static final Optional<String> NO_VARY = Optional.of("");

    private SecondaryKey() {
    }

    /**
     * The secondary key of {@code request} under {@code response}'s {@code Vary}; "" when the
     * response has no {@code Vary}, empty when it has {@code Vary: *}, which never matches (§4.1).
     */
    public static Optional<String> of(CacheHeaders response, CacheHeaders request) {
        List<String> names = response.responseFacts().varyNames(); // parsed once per stored response
        if (names == null) {
            return Optional.empty();
        }
        if (names.isEmpty()) {
            return NO_VARY;
        }
        StringBuilder key = new StringBuilder();
        for (String name : names) {
            key.append(name).append(':').append(normalised(name, request)).append('\n');
        }
        return Optional.of(key.toString());
    }

    private static String normalised(String name, CacheHeaders request) {
        if (!request.has(name)) {
            return ABSENT;
        }
        List<String> members = new ArrayList<>(request.elements(name));
        if (UNORDERED_CASE_INSENSITIVE.contains(name)) {
            members.replaceAll(member -> member.toLowerCase(Locale.ROOT).replace(" ", ""));
            members.sort(null);
        }
        return String.join(",", members);
    }
}
