package dev.gatehouse.cache;

/**
 * How the cache took part in answering a request, named after Squid's log tags
 * ({@code src/LogTags.h}) so operators recognise them in the audit log.
 *
 * <p>{@link CachePolicy#decide} and {@link CachePolicy#afterRevalidation} produce most codes; the
 * forward path sets {@link #TCP_REFRESH_FAIL_OLD} (after {@link CachePolicy#mayServeStaleOnError})
 * and {@link #TCP_CF_HIT} (a {@link Collapser} follower) itself.
 */
public enum ResultCode {
    /** A fresh stored response from the disk tier. */
    TCP_HIT,
    /** A fresh stored response from the memory tier. */
    TCP_MEM_HIT,
    /** A stored error response (status 4xx/5xx, RFC 9110 §15.1 heuristically cacheable). */
    TCP_NEGATIVE_HIT,
    /** The client's If-Modified-Since was answered with 304 from a stored response (RFC 9111 §4.3.2). */
    TCP_IMS_HIT,
    /** The client's If-None-Match was answered with 304 from a stored response (RFC 9111 §4.3.2). */
    TCP_INM_HIT,
    /** A stale response served while it is revalidated in the background (RFC 5861 §3). Not a Squid tag. */
    TCP_STALE_HIT,
    /**
     * A follower of a collapsed miss or revalidation, answered from the leader's fetch: its response as it arrives,
     * or the stored response its 304 refreshed. (Squid 5+ puts {@code CF} into whatever tag the follower gets:
     * {@code TCP_CF_REFRESH_UNMODIFIED} for the latter.)
     */
    TCP_CF_HIT,
    /** Nothing usable was stored; the response came from the origin. */
    TCP_MISS,
    /** The client demanded a fresh copy (no-cache) and nothing could be revalidated. */
    TCP_CLIENT_REFRESH_MISS,
    /** A stored response was revalidated and the origin said 304 (RFC 9111 §4.3.3). */
    TCP_REFRESH_UNMODIFIED,
    /** A stored response was revalidated and the origin sent a new one. */
    TCP_REFRESH_MODIFIED,
    /** Revalidation failed and a stale response was served (RFC 5861 §4 stale-if-error). */
    TCP_REFRESH_FAIL_OLD,
    /** Revalidation failed and the error was passed on. */
    TCP_REFRESH_FAIL_ERR,
    /** only-if-cached with nothing usable stored: 504 (RFC 9111 §5.2.1.7). */
    TCP_OFFLINE_MISS;

    /** This code as served from the memory tier: {@link #TCP_HIT} becomes {@link #TCP_MEM_HIT}. */
    public ResultCode fromMemory() {
        return this == TCP_HIT ? TCP_MEM_HIT : this;
    }
}
