package dev.gatehouse.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code Via} field this proxy adds (RFC 9110 §7.6.3) and the loop check that reads it: a request
 * whose {@code Via} already names this proxy's pseudonym has come back to us.
 */
public final class Via {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private final String pseudonym;
    private final String entry;

    /** {@code pseudonym} identifies this proxy instance; it should be unique across a proxy chain. */
    public Via(String pseudonym) {
        this.pseudonym = pseudonym;
        this.entry = "1.1 " + pseudonym;
    }

    /** Appends this proxy's entry to an existing value (or starts one), for HTTP/1.1 messages. */
    public String append(String existing) {
        return existing == null || existing.isBlank() ? entry : existing + ", " + entry;
    }

    /** True if any entry in the given {@code Via} values was added by this proxy. */
    public boolean seenIn(Iterable<String> viaValues) {
        for (String value : viaValues) {
            for (String element : value.split(",")) {
                // element = received-protocol SP received-by [ SP comment ]
                String[] parts = WHITESPACE.split(element.trim());
                if (parts.length >= 2 && parts[1].toLowerCase(Locale.ROOT).equals(pseudonym.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    public String pseudonym() { return pseudonym; }
}
