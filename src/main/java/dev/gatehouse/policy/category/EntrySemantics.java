package dev.gatehouse.policy.category;

/**
 * What a host entry in a list covers. UT1/squidGuard {@code domains} files mean {@link #DOMAIN};
 * hosts files mean {@link #EXACT} (StevenBlack/hosts#910: {@code www.} leaks if widened silently).
 */
public enum EntrySemantics {
    /** The host itself and every subdomain, on label boundaries. */
    DOMAIN(true, true),
    /** The host itself only. */
    EXACT(true, false),
    /** Strict subdomains only ({@code *.example.com}), never the host itself. */
    SUBDOMAINS(false, true);

    private final boolean self;
    private final boolean below;

    EntrySemantics(boolean self, boolean below) {
        this.self = self;
        this.below = below;
    }

    /** @return true if the entry matches a host equal to it */
    public boolean self() {
        return self;
    }

    /** @return true if the entry matches hosts below it */
    public boolean below() {
        return below;
    }
}
