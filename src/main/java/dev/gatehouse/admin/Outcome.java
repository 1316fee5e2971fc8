package dev.gatehouse.admin;

import dev.gatehouse.audit.AuditRecord;
import java.util.Locale;

/**
 * What an access amounted to, from its Squid result code: the few classes that metrics and the dashboard
 * count separately. A closed set, so it is safe as a metric label.
 */
enum Outcome {
    /** Served from the cache: every {@code TCP_*HIT*} code, {@code TCP_REFRESH_UNMODIFIED} included (Squid counts it so). */
    HIT,
    /** Fetched from the origin (or a parent). */
    MISS,
    /** A {@code CONNECT} tunnel. */
    TUNNEL,
    /**
     * Refused by the proxy: client, destination, port or policy ({@code TCP_DENIED}), or sent elsewhere by a
     * policy redirect ({@code TCP_REDIRECT}: no origin was contacted).
     */
    DENIED,
    /** Ended before a request could be handled ({@code NONE_NONE}: malformed, aborted before headers). */
    ERROR,
    /**
     * Answered by the proxy itself to an origin-form request ({@code GET /proxy.pac}): not proxied traffic,
     * so it must not count as a cache hit even though it is logged {@code TCP_MEM_HIT}.
     */
    LOCAL;

    static Outcome of(AuditRecord record) {
        String code = record.getResultCode();
        if (code == null || code.startsWith("NONE")) return ERROR;
        if (record.getUrl() != null && record.getUrl().startsWith("/")) return LOCAL;
        if (code.startsWith("TCP_TUNNEL")) return TUNNEL;
        if (code.startsWith("TCP_DENIED") || code.startsWith("TCP_REDIRECT")) return DENIED;
        if (code.contains("HIT") || code.startsWith("TCP_REFRESH_UNMODIFIED")) return HIT;
        return MISS;
    }

    /** The label value: lower case. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
