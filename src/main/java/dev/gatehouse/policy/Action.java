package dev.gatehouse.policy;

import java.util.Locale;

/** What a terminal rule or the default does with a request. */
public enum Action {
    /** Let the request through. */
    ALLOW,
    /** Refuse it: 403 with the block page (a bare 403 for CONNECT, which browsers do not show). */
    BLOCK,
    /** Show an interstitial whose "continue" grants a short-lived allowance (a block for tunnels). */
    WARN,
    /**
     * Answer {@code 302 Found} to the rule's {@code location} (squidGuard's {@code redirect}, Squid's
     * {@code deny_info URL}); a tunnel is refused as a block, since browsers ignore a non-2xx CONNECT answer's
     * headers (RFC 9110 §9.3.6).
     */
    REDIRECT;

    /** Made once: every request's audit record carries it. */
    private final String label = name().toLowerCase(Locale.ROOT);

    /** @return the name used in policy files ({@code allow}) */
    public String label() {
        return label;
    }
}
