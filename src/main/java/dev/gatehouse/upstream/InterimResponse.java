package dev.gatehouse.upstream;

import java.util.List;
import java.util.Map;

/**
 * An interim (1xx) response that came before the final one (RFC 9110 §15.2): {@code 103 Early Hints}, {@code 102
 * Processing}, an unasked-for {@code 100 Continue}. It has a head and never content.
 *
 * @param reason    the reason phrase as received (may be empty)
 * @param headers   header fields as received: names in the origin's case, looked up case-insensitively
 * @param httpMinor the minor version of the status line received, for {@code Via}
 */
public record InterimResponse(int status, String reason, Map<String, List<String>> headers, int httpMinor) {

    /**
     * Receives each interim response as it arrives, on the thread that sent the request, before the next head is
     * read. It must not throw: a failure to pass a response on is the receiver's own (the final response still
     * follows, and is read as usual).
     */
    @FunctionalInterface
    public interface Listener {
        /** Drops them: a caller with no client to tell (the cache's own fetches). */
        Listener IGNORE = response -> { };

        void received(InterimResponse response);
    }
}
