package dev.gatehouse.policy.category;

/** The text formats a category list file can have; every format allows blank and {@code #} lines. */
public enum ListFormat {
    /**
     * One host per line, UT1/squidGuard {@code domains} style: an entry covers the host and its
     * subdomains; {@code *.example.com} covers subdomains only.
     */
    DOMAINS,
    /** A hosts file ({@code 0.0.0.0 ads.example.com}): entries are exact hosts by default. */
    HOSTS,
    /** UT1/squidGuard {@code urls}: {@code host/path} prefixes, no scheme; host as in DOMAINS. */
    URLS
}
