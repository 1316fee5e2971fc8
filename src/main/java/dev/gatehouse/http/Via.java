package dev.gatehouse.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code Via} field this proxy adds (RFC 9110 §7.6.3) and the loop check that reads it: a request
 * whose {@code Via} already names this proxy's pseudonym has come back to us. The entry names the version
 * the message was received with (received-protocol): "1.0 gatehouse" for an HTTP/1.0 client or origin.
 * Both entries are made once, so adding one builds no string when there is no {@code Via} to extend.
 */
public final class Via {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private final String pseudonym;
    private final String entry10;
    private final String entry11;

    /** {@code pseudonym} identifies this proxy instance; it should be unique across a proxy chain. */
    public Via(String pseudonym) {
        this.pseudonym = pseudonym;
        this.entry10 = "1.0 " + pseudonym;
        this.entry11 = "1.1 " + pseudonym;
    }

    /**
     * Appends this proxy's HTTP/1.1 entry to an existing value (or starts one), for a message this proxy
     * makes itself or serves from its cache.
     */
    public String append(String existing) {
        return append(existing, 1);
    }

    /**
     * Appends this proxy's entry for a message received as HTTP/1.{@code httpMinor} (0 or 1) to an existing
     * value (or starts one).
     */
    public String append(String existing, int httpMinor) {
        String entry = httpMinor == 0 ? entry10 : entry11;
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
