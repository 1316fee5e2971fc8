package dev.gatehouse.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Chooses how a request leaves this proxy: through the configured parent proxies (Squid's
 * {@code cache_peer ... parent} with {@code never_direct}), or direct to the origin for hosts in
 * {@code directDomains} (Squid's {@code always_direct}) and when no parent is configured. A parent that could
 * not be connected to is passed over for a while, as Squid marks a peer dead; the others are tried first.
 */
public final class ParentProxies {
    /**
     * The Squid hierarchy code for a request forwarded to a parent: the first parent in configuration order
     * that is up ({@code peer_select.cc}, {@code peerGetSomeParent}: {@code DEFAULT_PARENT} only names a peer
     * marked {@code default}, an option this configuration does not have).
     */
    public static final String HIERARCHY = "FIRSTUP_PARENT";

    /** No parents: everything goes direct. */
    public static final ParentProxies NONE = new ParentProxies(List.of(), null, List.of(), false, Duration.ZERO, System::nanoTime);

    /** A parent proxy, {@code host:port} as configured. */
    public record Parent(String host, int port) {
        /** {@code host:port}, an IPv6 literal in brackets. */
        public String authority() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return authority();
        }
    }

    private final List<Parent> parents;
    private final String proxyAuthorization;
    private final List<String> directDomains;
    private final boolean fallbackDirect;
    private final long skipNanos;
    private final LongSupplier nanoTime;
    /** When each parent last failed to connect (nanoTime), while it is being passed over. */
    private final Map<Parent, Long> failedAt = new ConcurrentHashMap<>();

    /**
     * @param proxyAuthorization the {@code Proxy-Authorization} value sent to every parent, or null for none
     * @param directDomains      domains whose hosts (and the domains themselves) are reached directly
     * @param fallbackDirect     go direct when no parent can be connected to
     * @param skipAfterFailure   how long a parent that failed to connect is passed over
     */
    public ParentProxies(List<Parent> parents, String proxyAuthorization, List<String> directDomains, boolean fallbackDirect,
                         Duration skipAfterFailure, LongSupplier nanoTime) {
        this.parents = List.copyOf(parents);
        this.proxyAuthorization = proxyAuthorization;
        this.directDomains = directDomains.stream().map(ParentProxies::canonical).map(d -> d.startsWith(".") ? d.substring(1) : d).toList();
        this.fallbackDirect = fallbackDirect;
        this.skipNanos = skipAfterFailure.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The {@code Basic} credentials field value for {@code user} and {@code password} (RFC 7617 §2). */
    public static String basic(String user, String password) {
        byte[] pair = (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair);
    }

    public boolean enabled() {
        return !parents.isEmpty();
    }

    /**
     * The parents to try for a request to {@code host}, in order, or an empty list to go direct. Parents passed
     * over after a failure come last, and not at all when {@code fallbackDirect} offers a way on without them.
     */
    public List<Parent> route(String host) {
        if (parents.isEmpty() || isDirect(host)) return List.of();
        List<Parent> up = new ArrayList<>(parents.size());
        List<Parent> down = new ArrayList<>(0);
        long now = nanoTime.getAsLong();
        for (Parent p : parents) {
            Long failed = failedAt.get(p);
            if (failed != null && now - failed < skipNanos) down.add(p);
            else up.add(p);
        }
        if (!fallbackDirect) up.addAll(down);
        return up;
    }

    /** Whether {@code host} is in one of the {@code directDomains}. */
    public boolean isDirect(String host) {
        String h = canonical(host);
        for (String d : directDomains) {
            if (h.equals(d) || h.endsWith("." + d)) return true;
        }
        return false;
    }

    /** When every parent failed to connect: go direct instead of answering with an error. */
    public boolean fallbackDirect() {
        return fallbackDirect;
    }

    /** The {@code Proxy-Authorization} value for the parents, or null. Never logged. */
    public String proxyAuthorization() {
        return proxyAuthorization;
    }

    /**
     * The addresses of {@code parent}, looked up (blocking: call it off the IO thread); none when its name does not
     * resolve, and it is then passed over like one that refuses connections ({@link Attempt#cannotResolve}).
     */
    public static List<InetAddress> addressesOf(Parent parent) {
        try {
            return List.of(InetAddress.getAllByName(parent.host()));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /** {@code parent} refused or timed out a connection: pass it over for a while. */
    public void failed(Parent parent) {
        failedAt.put(parent, nanoTime.getAsLong());
    }

    /** {@code parent} accepted a connection: it is up again. */
    public void reached(Parent parent) {
        if (!failedAt.isEmpty()) failedAt.remove(parent);
    }

    /** Starts one request's way through its route, noting the parents it cannot reach. */
    public Attempt attempt() {
        return new Attempt();
    }

    /** One request trying the parents of its route in turn. */
    public final class Attempt {
        private final StringBuilder unreachable = new StringBuilder();

        private Attempt() {}

        /** {@code parent} could not be connected to, {@code why}: it is passed over for a while. */
        public void unreachable(Parent parent, String why) {
            failed(parent);
            unreachable.append(unreachable.isEmpty() ? "" : "; ").append(parent).append(": ").append(why);
        }

        /** {@code parent}'s name did not resolve ({@link #addressesOf} found none): it is passed over for a while. */
        public void cannotResolve(Parent parent) {
            unreachable(parent, "cannot resolve " + parent.host());
        }

        /**
         * The failure when no parent of the route could be reached: PARENT_UNREACHABLE, naming each and why in its
         * message, and no {@link FailureException#parent}: none was reached (Squid logs {@code HIER_NONE/-}).
         */
        public FailureException failure(Throwable cause) {
            return new FailureException(Failure.PARENT_UNREACHABLE, "no parent proxy could be reached (" + unreachable + ")", cause);
        }
    }

    private static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
