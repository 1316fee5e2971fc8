package dev.gatehouse.icap;

import dev.gatehouse.http.Failure;
import dev.gatehouse.upstream.BodyReadTimeoutException;
import dev.gatehouse.upstream.ResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reading what the ICAP service answers: its head (RFC 3507 §4.3.2, HTTP's syntax with {@code ICAP/1.0}), the
 * {@code Encapsulated} offsets (§4.4.1), and the mapping of read failures to the {@code ICAP_*} failures.
 */
final class IcapReplies {
    private static final int MAX_SECTIONS = 4;
    private static final Set<String> SECTIONS = Set.of("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body");

    private IcapReplies() {}

    /** The next head from the service. */
    static ResponseHead head(InputStream in) throws IcapException {
        try {
            return ResponseHead.read(in, "ICAP/1.");
        } catch (IOException e) {
            throw failure(e, "reading the ICAP service's answer");
        }
    }

    /**
     * The sections of {@code Encapsulated} with their offsets, in order: {@code res-hdr=0, res-body=161}. The offsets
     * must start at 0 and grow, and only the last section may be a body (§4.4.1).
     */
    static Map<String, Long> encapsulated(ResponseHead head) throws IcapException {
        if (head.values("Encapsulated").size() != 1) throw malformed("the ICAP answer needs exactly one Encapsulated field");
        String value = head.values("Encapsulated").getFirst();
        Map<String, Long> sections = new LinkedHashMap<>();
        long last = -1;
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).strip();
            String number = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (!SECTIONS.contains(name) || number.isEmpty() || number.length() > 12
                    || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw malformed("invalid Encapsulated field: " + value);
            }
            long offset = Long.parseLong(number);
            if ((last < 0 && offset != 0) || offset < last || sections.containsKey(name) || sections.size() == MAX_SECTIONS) {
                throw malformed("invalid Encapsulated offsets: " + value);
            }
            sections.put(name, offset);
            last = offset;
        }
        long bodies = sections.keySet().stream().filter(n -> n.endsWith("-body")).count();
        if (bodies != 1 || !sections.keySet().stream().toList().getLast().endsWith("-body")) {
            throw malformed("Encapsulated must end with exactly one body section: " + value);
        }
        return sections;
    }

    static IcapException malformed(String detail) {
        return new IcapException(Failure.ICAP_MALFORMED, detail, null);
    }

    /** A failed read or write on the service's connection, as the failure it is: a timeout, a bad answer, or a lost connection. */
    static IcapException failure(IOException e, String doing) {
        if (e instanceof IcapException ie) return ie;
        if (e instanceof SocketTimeoutException || e instanceof BodyReadTimeoutException) {
            return new IcapException(Failure.ICAP_TIMEOUT, "the ICAP service went silent while " + doing, e);
        }
        if (e instanceof dev.gatehouse.upstream.MalformedResponseException) {
            return new IcapException(Failure.ICAP_MALFORMED, "the ICAP service's answer is malformed: " + e.getMessage(), e);
        }
        return new IcapException(Failure.ICAP_UNREACHABLE, "the connection to the ICAP service failed while " + doing + ": " + e.getMessage(), e);
    }
}
