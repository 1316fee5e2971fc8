package dev.gatehouse.policy;

import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.policy.normalize.Scheme;
import dev.gatehouse.policy.normalize.Target;
import dev.gatehouse.policy.normalize.TargetParser;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a policy may look at for one request, already normalised.
 *
 * @param target the normalised target (scheme, host, port, path and query; no path for CONNECT)
 * @param method the request method in upper case ({@code CONNECT} for tunnels)
 * @param client the client's address
 * @param user the authenticated user, or null
 * @param groups the user's groups (empty when unauthenticated)
 * @param instant when the request arrived (schedules are evaluated at this instant)
 * @param headers the request's header fields, a view ({@link RequestHeaders#NONE} when no rule reads any)
 */
public record RequestFacts(Target target, String method, InetAddress client, String user, Set<String> groups,
        Instant instant, RequestHeaders headers) {

    public RequestFacts {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(instant, "instant");
        method = target.scheme() == Scheme.CONNECT ? "CONNECT" : method.toUpperCase(Locale.ROOT);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        headers = headers == null ? RequestHeaders.NONE : headers;
    }

    /** Facts without header fields. */
    public RequestFacts(Target target, String method, InetAddress client, String user, Set<String> groups, Instant instant) {
        this(target, method, client, user, groups, instant, RequestHeaders.NONE);
    }

    /**
     * Facts for a proxied URL request.
     *
     * @throws dev.gatehouse.policy.normalize.InvalidTargetException if the URL is invalid (answer 400)
     */
    public static RequestFacts forUrl(String absoluteUrl, String method, InetAddress client, String user,
            Set<String> groups, Instant instant) {
        return forUrl(null, absoluteUrl, method, client, user, groups, instant);
    }

    /**
     * Facts for a proxied URL request that the listener already split: as {@link #forUrl(String, String,
     * InetAddress, String, Set, Instant)} for {@code absoluteUrl}, without parsing it again
     * ({@link TargetParser#parseUrl(RequestTarget, String)}).
     *
     * @param split {@code absoluteUrl} as the listener parsed it, or null to parse the text
     * @throws dev.gatehouse.policy.normalize.InvalidTargetException if the URL is invalid (answer 400)
     */
    public static RequestFacts forUrl(RequestTarget split, String absoluteUrl, String method, InetAddress client,
            String user, Set<String> groups, Instant instant) {
        return forUrl(split, absoluteUrl, method, client, user, groups, instant, RequestHeaders.NONE);
    }

    /** As {@link #forUrl(RequestTarget, String, String, InetAddress, String, Set, Instant)}, with the header fields. */
    public static RequestFacts forUrl(RequestTarget split, String absoluteUrl, String method, InetAddress client,
            String user, Set<String> groups, Instant instant, RequestHeaders headers) {
        return new RequestFacts(TargetParser.parseUrl(split, absoluteUrl), method, client, user, groups, instant, headers);
    }

    /**
     * Facts for a CONNECT request ({@code host:port}).
     *
     * @throws dev.gatehouse.policy.normalize.InvalidTargetException if the authority is invalid
     */
    public static RequestFacts forConnect(String authority, InetAddress client, String user, Set<String> groups,
            Instant instant) {
        return forConnect(authority, client, user, groups, instant, RequestHeaders.NONE);
    }

    /** As {@link #forConnect(String, InetAddress, String, Set, Instant)}, with the CONNECT request's header fields. */
    public static RequestFacts forConnect(String authority, InetAddress client, String user, Set<String> groups,
            Instant instant, RequestHeaders headers) {
        return new RequestFacts(TargetParser.parseConnect(authority), "CONNECT", client, user, groups, instant, headers);
    }

    /** @return true if a user was authenticated */
    public boolean authenticated() {
        return user != null;
    }
}
