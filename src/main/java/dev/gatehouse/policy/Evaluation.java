package dev.gatehouse.policy;

import dev.gatehouse.policy.category.CategoryIndex;
import dev.gatehouse.policy.category.CategorySet;
import dev.gatehouse.policy.category.HostKeys;
import dev.gatehouse.policy.normalize.Target;

/**
 * The state of one decision: the request facts plus values computed at most once and shared by
 * all conditions (the category set, the URL text). One per decision, confined to one thread.
 */
public final class Evaluation {
    private final RequestFacts facts;
    private final CategoryIndex categoryIndex;
    private final ResponseFacts response;
    private CategorySet categories;
    private HostKeys hostKeys;
    private String url;

    Evaluation(RequestFacts facts, CategoryIndex categoryIndex) {
        this(facts, categoryIndex, null);
    }

    Evaluation(RequestFacts facts, CategoryIndex categoryIndex, ResponseFacts response) {
        this.facts = facts;
        this.categoryIndex = categoryIndex;
        this.response = response;
    }

    /** @return the response head for a response rule; null while the request is decided */
    public ResponseFacts response() {
        return response;
    }

    /** @return the request */
    public RequestFacts facts() {
        return facts;
    }

    /** @return the request target */
    public Target target() {
        return facts.target();
    }

    /** @return the categories of the request's host and URL, looked up once */
    public CategorySet categories() {
        if (categories == null) {
            categories = categoryIndex.lookup(hostKeys(), facts.target().pathAndQuery());
        }
        return categories;
    }

    /** @return the fingerprints of the host and its parents, computed once for every list lookup */
    public HostKeys hostKeys() {
        if (hostKeys == null) {
            hostKeys = HostKeys.of(facts.target().host());
        }
        return hostKeys;
    }

    /** @return the normalised URL text, built once */
    public String url() {
        if (url == null) {
            url = facts.target().url();
        }
        return url;
    }
}
