package dev.gatehouse.policy;

import java.util.Locale;

/** How the cache treats an allowed request; decided separately from access, like Cloudflare's bypass rules. */
public enum CacheMode {
    /** RFC 9111 rules as usual. */
    NORMAL,
    /** Neither look up nor store: always go upstream. */
    BYPASS,
    /** Serve from cache if fresh, but never store this response. */
    NO_STORE;

    /** @return the name used in policy files ({@code no-store}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return the mode for a policy-file name, or null if unknown */
    public static CacheMode parse(String label) {
        for (CacheMode mode : values()) {
            if (mode.label().equals(label)) {
                return mode;
            }
        }
        return null;
    }
}
