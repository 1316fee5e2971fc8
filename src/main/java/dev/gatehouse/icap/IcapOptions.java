package dev.gatehouse.icap;

import dev.gatehouse.upstream.ResponseHead;
import java.util.List;
import java.util.Locale;

/**
 * What the service said of itself in its OPTIONS answer (RFC 3507 §4.10.2), and until when that holds.
 *
 * @param preview        bytes of a body to send first as a preview (§4.5), or -1 when the service wants none
 * @param allow204       whether the service may answer 204 to say "unmodified" ({@code Allow: 204}, §4.6)
 * @param istag          the service's state tag (§4.7): it changes when, say, its virus signatures do
 * @param maxConnections connections the service accepts from this client, or 0 when it did not say
 * @param expiresAtNanos {@link System#nanoTime} after which the OPTIONS are asked again ({@code Options-TTL})
 */
record IcapOptions(int preview, boolean allow204, String istag, int maxConnections, long expiresAtNanos) {
    /** When the service names no {@code Options-TTL}: ask again after an hour (Squid's default too). */
    static final long DEFAULT_TTL_SECONDS = 3600;

    /**
     * Reads the options from the head of a 200 answer, of a service that is to be sent {@code method} ({@code RESPMOD}
     * or {@code REQMOD}).
     *
     * @throws IcapException if the service does not offer {@code method}, or a value is not a number
     */
    static IcapOptions from(ResponseHead head, long nowNanos, String method) throws IcapException {
        String methods = String.join(",", head.values("Methods")).toUpperCase(Locale.ROOT);
        if (!List.of(methods.replace(" ", "").split(",")).contains(method)) {
            throw IcapReplies.malformed("the ICAP service does not offer " + method + " (Methods: " + methods + ")");
        }
        int preview = (int) number(head, "Preview", -1, Integer.MAX_VALUE);
        boolean allow204 = head.values("Allow").stream().anyMatch(v -> List.of(v.replace(" ", "").split(",")).contains("204"));
        String istag = head.values("ISTag").isEmpty() ? null : head.values("ISTag").getFirst();
        int maxConnections = (int) number(head, "Max-Connections", 0, Integer.MAX_VALUE);
        long ttl = number(head, "Options-TTL", DEFAULT_TTL_SECONDS, Long.MAX_VALUE / 1_000_000_000L);
        return new IcapOptions(preview, allow204, istag, maxConnections, nowNanos + ttl * 1_000_000_000L);
    }

    private static long number(ResponseHead head, String name, long absent, long max) throws IcapException {
        List<String> values = head.values(name);
        if (values.isEmpty()) return absent;
        String value = values.getFirst().strip();
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw IcapReplies.malformed("the ICAP service's OPTIONS have an invalid " + name + ": " + value);
        }
        return Math.min(max, Long.parseLong(value));
    }

    boolean expired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }
}
