package dev.gatehouse.icap;

import dev.gatehouse.upstream.ResponseHead;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The adapted body held to its head's {@code Content-Length}. ICAP carries the body chunked whatever the encapsulated
 * head says (RFC 3507 §4.4.1), so a service that changed the body and not the length would have the client frame the
 * response by a wrong one (Squid's "excess data" from "a broken adaptation service failing to adjust the new size"):
 * a body shorter or longer than the length is the service's malformed answer, not the origin's failure.
 */
final class LengthCheckedBody extends FilterInputStream {
    private final long length;
    private long read;

    private LengthCheckedBody(InputStream body, long length) {
        super(body);
        this.length = length;
    }

    /** {@code body} checked against {@code head}'s one numeric {@code Content-Length}; as it is when there is none. */
    static InputStream of(ResponseHead head, InputStream body) {
        List<String> values = head.values("Content-Length");
        if (values.size() != 1) return body;
        String value = values.getFirst().strip();
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) return body;
        return new LengthCheckedBody(body, Long.parseLong(value));
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        counted(c < 0 ? -1 : 1);
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return counted(super.read(b, off, len));
    }

    /** Counts {@code n} bytes read (-1: the end), failing once the body is shown not to be {@link #length} bytes. */
    private int counted(int n) throws IcapException {
        if (n < 0 && read < length) {
            throw IcapReplies.malformed("the adapted body ended after " + read + " of its Content-Length " + length + " bytes");
        }
        if (n > 0) read += n;
        if (read > length) throw IcapReplies.malformed("the adapted body is longer than its Content-Length " + length);
        return n;
    }
}
