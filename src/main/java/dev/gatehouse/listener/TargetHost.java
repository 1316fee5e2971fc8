package dev.gatehouse.listener;

import java.nio.ByteBuffer;

/**
 * The host of one connection's current absolute-form request target, and the in-place rewrite of a
 * {@code Host} field that names another host (for {@link ConnectionTap}, beneath Undertow's parser).
 *
 * <p>RFC 9112 §3.2.2: a proxy MUST ignore the {@code Host} of an absolute-form request and use the target's
 * authority, which the handlers do (forwarding writes {@code Host} from the target; policy, cache and audit use
 * the target). But Undertow wraps every request in its {@code HostHeaderHandler}, which answers 400
 * ({@code URI Host Header NO MATCH}) unless the request URI contains the host of the {@code Host} value (a
 * case-sensitive substring test). So a value whose host is not the target's has its host overwritten in place
 * with the target's (or, when there is less room, a prefix of it, which the URI contains as well), its port
 * moved down behind it and trailing spaces after, which the parser trims as OWS (RFC 9110 §5.5): no byte of
 * the head moves. What stays refused with 400, as RFC 9112 §3.2 says: two {@code Host} fields (their count
 * is not changed), an empty value (no room), and a value that is not {@code uri-host [":" port]} (RFC 9110
 * §7.2; the port is left for Undertow's check, so it is judged alike whichever host the value names).
 * What reads the field itself sees the rewritten value: a {@code TRACE} echo, a {@code Vary: Host} match.
 */
final class TargetHost {
    /** RFC 3986 §3.2.2 reg-name: unreserved, pct-encoded and sub-delims; letters and digits are tested apart. */
    private static final String REG_NAME_SYMBOLS = "-._~%!$&'()*+,;=";

    /** The target's host (an IP literal with its brackets), copied out of the request line: the parser consumes it. */
    private byte[] host = new byte[64];
    /** 0 when the current request's target has no host. */
    private int hostLength;

    /** The request line was not absolute-form with a host, or a new request begins. */
    void clear() {
        hostLength = 0;
    }

    boolean isSet() {
        return hostLength > 0;
    }

    /** Keeps the host of the target's authority {@code [from, to)} (user info already left out); grows the copy rarely. */
    void set(ByteBuffer b, int from, int to) {
        int end = to;
        if (from < to && b.get(from) == '[') {
            while (end > from && b.get(end - 1) != ']') end--;
        } else {
            for (int i = from; i < to; i++) {
                if (b.get(i) == ':') {
                    end = i;
                    break;
                }
            }
        }
        hostLength = end - from;
        if (host.length < hostLength) host = new byte[hostLength];
        b.get(from, host, 0, hostLength);
    }

    /**
     * A complete {@code Host} field value is at {@code [from, to)} (from just after the colon to the end of the
     * line, OWS included): overwrites its host unless that is the target's (what clients send: left as it is
     * at no cost), the value is empty or not a valid {@code Host} value, or an IP literal target does not fit.
     */
    void rewrite(ByteBuffer b, int from, int to) {
        while (from < to && isOws(b.get(from))) from++;
        while (to > from && isOws(b.get(to - 1))) to--;
        int hostEnd = from == to ? -1 : hostEnd(b, from, to);
        if (hostEnd < 0 || isTargetHost(b, from, hostEnd)) return;
        int n = fitting(hostEnd - from);
        if (n == 0) return;
        b.put(from, host, 0, n);
        int gap = hostEnd - from - n;
        for (int i = hostEnd; i < to; i++) b.put(i - gap, b.get(i)); // the port, if any
        for (int i = to - gap; i < to; i++) b.put(i, (byte) ' ');
    }

    /**
     * How much of the host fits in {@code room} bytes: all of it, or a prefix that does not cut a pct-encoded
     * octet (Undertow refuses a lone {@code %}); none for an IP literal, whose brackets cannot be cut (a value
     * shorter than the target's IPv6 address stays a 400).
     */
    private int fitting(int room) {
        if (room >= hostLength) return hostLength;
        if (host[0] == '[') return 0;
        int n = room;
        if (host[n - 1] == '%') n -= 1;
        else if (n >= 2 && host[n - 2] == '%') n -= 2;
        return n;
    }

    private boolean isTargetHost(ByteBuffer b, int from, int to) {
        if (to - from != hostLength) return false;
        for (int i = 0; i < hostLength; i++) if (b.get(from + i) != host[i]) return false;
        return true;
    }

    /**
     * Where the host of a {@code Host} value at {@code [from, to)} ends, if it is {@code uri-host [":" port]}
     * (RFC 9110 §7.2): an IP literal in brackets (loosely: its address is not used) or a non-empty reg-name,
     * then nothing or a colon; -1 otherwise.
     */
    private static int hostEnd(ByteBuffer b, int from, int to) {
        int i = from;
        if (b.get(i) == '[') {
            do i++; while (i < to && (isRegNameChar(b.get(i)) || b.get(i) == ':'));
            if (i == to || b.get(i) != ']') return -1;
            i++;
        } else {
            while (i < to && isRegNameChar(b.get(i))) i++;
            if (i == from) return -1;
        }
        return i == to || b.get(i) == ':' ? i : -1;
    }

    private static boolean isRegNameChar(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || REG_NAME_SYMBOLS.indexOf(c) >= 0;
    }

    private static boolean isOws(byte c) {
        return c == ' ' || c == '\t';
    }
}
