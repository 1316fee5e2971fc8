package dev.gatehouse.audit;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One access as it will appear in the audit log, filled along the request chain and written once.
 *
 * <p>Not thread-safe: one thread at a time fills it. Handing it from an IO thread to a worker via
 * Undertow's dispatch, and from the caller to the writer thread via {@link AuditLog#write}, gives
 * the needed happens-before. Do not change a record after passing it to {@link AuditLog#write}.
 *
 * <p>Exactly once: the exchange may signal completion twice (a completion listener and an error
 * path, say); only the first {@link #complete(long)} returns {@code true}, so
 * {@code if (record.complete(now)) auditLog.write(record);} writes it once.
 *
 * <p>Absent values are {@code null} (strings), {@code 0} (status) or empty lists; the formatters
 * print them as {@code -}, {@code 000} or {@code null} as their format requires.
 */
public final class AuditRecord {
    /**
     * Longest {@code Referer} or {@code User-Agent} kept, in chars: enough for any real browser's, while a
     * client cannot make every line of the log carry its 64 KiB header.
     */
    public static final int MAX_HEADER_CHARS = 1024;
    private static final AtomicIntegerFieldUpdater<AuditRecord> COMPLETED =
            AtomicIntegerFieldUpdater.newUpdater(AuditRecord.class, "completed");
    /** 1 once completed: a field, not an {@code AtomicBoolean}, to save an object per access. */
    private volatile int completed;

    private String requestId;
    /** With {@link #requestSequence}, the id until it is first read; see {@link #setRequestId(String, long)}. */
    private String requestIdPrefix;
    private long requestSequence;
    private long startEpochMillis;
    private long durationMillis;
    /** When the response was first marked cut off (epoch ms), or 0: the access ended then for its client. */
    private long abortedAtMillis;
    private String clientAddress;
    private String user;
    private String method;
    private String url;
    private String protocol;
    private String referer;
    private String userAgent;
    private int status;
    private long bytesToClient;
    private long bytesFromClient;
    private String resultCode;
    private String hierarchy;
    private String upstreamAddress;
    private String contentType;
    private String decision;
    private String rule;
    private List<String> categories = List.of();
    private String policyVersion;
    private String error;
    private List<String> tags = List.of();

    /**
     * Marks the access as finished at {@code endEpochMillis} and sets the duration from the start; for a
     * response cut off before that ({@link #markAborted}), from the start to the cut: the proxy may go on
     * working for others after its client has gone (a download finished for the cache, collapsed followers).
     *
     * @return {@code true} the first time only; the caller that gets {@code true} writes the record
     */
    public boolean complete(long endEpochMillis) {
        if (!COMPLETED.compareAndSet(this, 0, 1)) {
            return false;
        }
        long end = abortedAtMillis > 0 ? Math.min(abortedAtMillis, endEpochMillis) : endEpochMillis;
        durationMillis = Math.max(0, end - startEpochMillis);
        return true;
    }

    /** Whether {@link #complete(long)} has been called. */
    public boolean isCompleted() {
        return completed == 1;
    }

    /** End of the access: start plus duration; the time both formats log (as Squid does). */
    public long endEpochMillis() {
        return startEpochMillis + durationMillis;
    }

    public String getRequestId() {
        if (requestId == null && requestIdPrefix != null) {
            // Built at most once per reader; two threads that race here (an observer's log line while the
            // writer formats) build equal strings, and a String is safe to publish without a fence.
            requestId = requestIdPrefix + Long.toString(requestSequence, 36);
        }
        return requestId;
    }

    public void setRequestId(String requestId) {
        this.requestId = requestId;
        this.requestIdPrefix = null;
    }

    /**
     * Sets the id to {@code prefix} followed by {@code sequence} in base 36, a string built only when the
     * id is first read: the Squid format never reads it, so most accesses never build it.
     */
    public void setRequestId(String prefix, long sequence) {
        this.requestId = null;
        this.requestIdPrefix = prefix;
        this.requestSequence = sequence;
    }

    public long getStartEpochMillis() { return startEpochMillis; }
    public void setStartEpochMillis(long startEpochMillis) { this.startEpochMillis = startEpochMillis; }

    public long getDurationMillis() { return durationMillis; }
    public void setDurationMillis(long durationMillis) { this.durationMillis = durationMillis; }

    /** Client IP literal (v4 or v6), never a hostname: log analysers reject hostnames. */
    public String getClientAddress() { return clientAddress; }
    public void setClientAddress(String clientAddress) { this.clientAddress = clientAddress; }

    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }

    /** Request method, {@code null} when the request failed before its method was known. */
    public String getMethod() { return method; }
    public void setMethod(String method) { this.method = method; }

    /** Absolute URL for HTTP, {@code host:port} for CONNECT. */
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }

    /** Request protocol and version as sent, {@code HTTP/1.1} or {@code HTTP/1.0}; {@code null} if never read. */
    public String getProtocol() { return protocol; }
    public void setProtocol(String protocol) { this.protocol = protocol; }

    /** The request's {@code Referer}, at most {@link #MAX_HEADER_CHARS} chars; {@code null} if absent. */
    public String getReferer() { return referer; }
    public void setReferer(String referer) { this.referer = bounded(referer); }

    /** The request's {@code User-Agent}, at most {@link #MAX_HEADER_CHARS} chars; {@code null} if absent. */
    public String getUserAgent() { return userAgent; }
    public void setUserAgent(String userAgent) { this.userAgent = bounded(userAgent); }

    private static String bounded(String headerValue) {
        return headerValue == null || headerValue.length() <= MAX_HEADER_CHARS
                ? headerValue : headerValue.substring(0, MAX_HEADER_CHARS);
    }

    /** Status sent to the client, {@code 0} if none was sent. */
    public int getStatus() { return status; }
    public void setStatus(int status) { this.status = status; }

    /** Bytes sent to the client, headers included where known. */
    public long getBytesToClient() { return bytesToClient; }
    public void setBytesToClient(long bytesToClient) { this.bytesToClient = bytesToClient; }

    public long getBytesFromClient() { return bytesFromClient; }
    public void setBytesFromClient(long bytesFromClient) { this.bytesFromClient = bytesFromClient; }

    /** Squid result code such as {@code TCP_MISS}, {@code TCP_TUNNEL}, {@code NONE_NONE}. */
    public String getResultCode() { return resultCode; }
    public void setResultCode(String resultCode) { this.resultCode = resultCode; }

    /**
     * Marks a response cut off before its end: Squid's {@code _ABORTED} suffix on the result code (once; a
     * record without a code yet is left alone), and {@code error} unless an error is already set. The access
     * ends now for the duration it is logged with, whenever the record is written.
     */
    public void markAborted(String error) {
        if (abortedAtMillis == 0) abortedAtMillis = System.currentTimeMillis();
        if (resultCode != null && !resultCode.endsWith("_ABORTED")) resultCode = resultCode + "_ABORTED";
        if (this.error == null) this.error = error;
    }

    /** Squid hierarchy code such as {@code HIER_DIRECT} or {@code HIER_NONE}. */
    public String getHierarchy() { return hierarchy; }
    public void setHierarchy(String hierarchy) { this.hierarchy = hierarchy; }

    public String getUpstreamAddress() { return upstreamAddress; }
    public void setUpstreamAddress(String upstreamAddress) { this.upstreamAddress = upstreamAddress; }

    public String getContentType() { return contentType; }
    public void setContentType(String contentType) { this.contentType = contentType; }

    /** Policy action, e.g. {@code allow} or {@code block}. */
    public String getDecision() { return decision; }
    public void setDecision(String decision) { this.decision = decision; }

    /** Id of the policy rule that decided. */
    public String getRule() { return rule; }
    public void setRule(String rule) { this.rule = rule; }

    /** Categories of the destination; the setter copies the list, which must hold no nulls. */
    public List<String> getCategories() { return categories; }
    public void setCategories(List<String> categories) {
        this.categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public String getPolicyVersion() { return policyVersion; }
    public void setPolicyVersion(String policyVersion) { this.policyVersion = policyVersion; }

    /** Short failure name such as {@code dns_failure}, {@code upstream_timeout}, {@code client_aborted}. */
    public String getError() { return error; }
    public void setError(String error) { this.error = error; }

    /** Free-form markers; the setter copies the list, which must hold no nulls. */
    public List<String> getTags() { return tags; }
    public void setTags(List<String> tags) {
        this.tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
