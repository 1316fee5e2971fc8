package dev.gatehouse.policy;

import java.util.List;

/**
 * The outcome of a policy for one request, as the proxy enforces it and the audit log records it.
 *
 * @param action allow, block, warn or redirect
 * @param ruleId the id of the deciding rule, or {@code "default"}
 * @param categories the request's categories (canonical names), whatever decided
 * @param reason the deciding rule's reason text for the block page, or null
 * @param location where a redirect sends the browser (expand it with {@link RedirectLocation#expand}), else null
 * @param tags audit tags gathered from every matching rule, in rule order
 * @param cacheMode how the cache treats the request
 * @param policyVersion the version of the policy that decided
 */
public record Decision(Action action, String ruleId, List<String> categories, String reason, RedirectLocation location,
        List<String> tags,
        CacheMode cacheMode, String policyVersion) {

    /** The rule id of decisions made by the default action. */
    public static final String DEFAULT_RULE = "default";

    /** @return true if the cache must not be read or written for this request */
    public boolean cacheBypass() {
        return cacheMode == CacheMode.BYPASS;
    }

    /** @return true if the response must not be stored */
    public boolean noStore() {
        return cacheMode != CacheMode.NORMAL;
    }
}
