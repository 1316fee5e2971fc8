package dev.gatehouse.cache;

/**
 * Whether a miss whose client went away mid-body is still read to its end from the origin, so that it is
 * stored (Squid's {@code quick_abort_min}, {@code quick_abort_max} and {@code quick_abort_pct}, with the same
 * rules). An installer that was 97 % downloaded when the user cancelled is then a hit for the next employee
 * instead of a second full download; a body far from its end is dropped with the client, as before.
 *
 * @param minBytes finish when fewer than this many bytes remain; negative: always finish, even a body of
 *                 unknown length (then only {@code maxObjectBytes} bounds it)
 * @param maxBytes never finish when more than this many bytes remain
 * @param percent  otherwise finish when at least this share of the body (0 to 100) has arrived
 */
public record QuickAbort(long minBytes, long maxBytes, int percent) {
    public QuickAbort {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent must be 0..100: " + percent);
    }

    /**
     * Whether to read the rest of a body of {@code expected} bytes (-1 when unknown) of which {@code received}
     * have arrived.
     */
    public boolean finish(long received, long expected) {
        if (minBytes < 0) return true;
        if (expected < 0 || received > expected) return false; // unknown length, or a body already too long
        long remaining = expected - received;
        if (remaining < minBytes) return true;
        if (remaining > maxBytes) return false;
        return received >= expected / 100.0 * percent; // in floating point: expected * percent may overflow a long
    }
}
