package dev.gatehouse.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Chooses how a request leaves this proxy: through the configured parent proxies (Squid's
 * {@code cache_peer ... parent} with {@code never_direct}), or direct to the origin for hosts in
 * {@code directDomains} (Squid's {@code always_direct}) and when no parent is configured. A parent that could
 * not be connected to is passed over for a while, as Squid marks a peer dead; the others are tried first.
 * Which parent a request tries first is its {@link Selection}: always the first configured, each in turn, or one
 * chosen by the client's address; the others follow in configuration order after it, as failover.
 */
public final class ParentProxies {
    /**
     * The Squid hierarchy code for a request forwarded to a parent: the first parent in configuration order
     * that is up ({@code peer_select.cc}, {@code peerGetSomeParent}: {@code DEFAULT_PARENT} only names a peer
     * marked {@code default}, an option this configuration does not have).
     */
    public static final String HIERARCHY = "FIRSTUP_PARENT";

    /**
     * The Squid hierarchy code for a parent that answered after the one the {@link Selection} chose (the first up, in
     * turn, or the client's) did not answer: Squid's {@code selectAllParents} adds every other live parent after its
     * chosen one as {@code ANY_OLD_PARENT} ({@code peer_select.cc}).
     */
    public static final String FAILOVER_HIERARCHY = "ANY_OLD_PARENT";

    /** Which parent a request tries first ({@code forwarding.parent.selection}); the others follow as failover. */
    public enum Selection {
        /** The first configured parent that is up (Squid's default, {@code FIRSTUP_PARENT}); the others only as failover. */
        ORDERED("ordered", HIERARCHY, FAILOVER_HIERARCHY),
        /** Each request and each tunnel starts at the next parent that is up, in turn (Squid's {@code round-robin}). */
        ROUND_ROBIN("round-robin", "ROUNDROBIN_PARENT", FAILOVER_HIERARCHY),
        /** One parent per client address, the same across restarts, while it is up (Squid's {@code sourcehash}). */
        CLIENT_HASH("client-hash", "SOURCEHASH_PARENT", FAILOVER_HIERARCHY);

        private final String configName;
        private final String chosenHierarchy;
        private final String failoverHierarchy;

        Selection(String configName, String chosenHierarchy, String failoverHierarchy) {
            this.configName = configName;
            this.chosenHierarchy = chosenHierarchy;
            this.failoverHierarchy = failoverHierarchy;
        }

        /** The selection named {@code name} in the configuration, or null for an unknown name. */
        public static Selection named(String name) {
            for (Selection s : values()) {
                if (s.configName.equals(name)) return s;
            }
            return null;
        }

        /** The names the configuration accepts, quoted, for error messages. */
        public static String allowedNames() {
            StringBuilder out = new StringBuilder();
            for (Selection s : values()) out.append(out.isEmpty() ? "" : ", ").append('"').append(s.configName).append('"');
            return out.toString();
        }
    }

    /**
     * The parents one request tries, in order (empty: it goes direct), and how the one that answers is audited.
     *
     * @param selection how the first of {@code parents} was chosen
     */
    public record Route(List<Parent> parents, Selection selection) {
        static final Route DIRECT = new Route(List.of(), Selection.ORDERED);

        public boolean isEmpty() {
            return parents.isEmpty();
        }

        /**
         * The Squid hierarchy code for the record when {@code answered} (one of {@code parents}) answered: the
         * selection's own code for the chosen (first) parent, {@link #FAILOVER_HIERARCHY} for one after it.
         */
        public String hierarchy(Parent answered) {
            return parents.isEmpty() || parents.getFirst().equals(answered) ? selection.chosenHierarchy : selection.failoverHierarchy;
        }
    }

    /** No parents: everything goes direct. */
    public static final ParentProxies NONE = new ParentProxies(List.of(), null, List.of(), false, Duration.ZERO, System::nanoTime,
            Selection.ORDERED);

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
    private final Selection selection;
    /** The round-robin turn: incremented once per route, wrapping around (only its remainder is used). */
    private final AtomicInteger turn = new AtomicInteger();
    /** When each parent last failed to connect (nanoTime), while it is being passed over. */
    private final Map<Parent, Long> failedAt = new ConcurrentHashMap<>();

    /**
     * @param proxyAuthorization the {@code Proxy-Authorization} value sent to every parent, or null for none
     * @param directDomains      domains whose hosts (and the domains themselves) are reached directly
     * @param fallbackDirect     go direct when no parent can be connected to
     * @param skipAfterFailure   how long a parent that failed to connect is passed over
     * @param selection          which parent a request tries first
     */
    public ParentProxies(List<Parent> parents, String proxyAuthorization, List<String> directDomains, boolean fallbackDirect,
                         Duration skipAfterFailure, LongSupplier nanoTime, Selection selection) {
        this.parents = List.copyOf(parents);
        this.proxyAuthorization = proxyAuthorization;
        this.directDomains = directDomains.stream().map(ParentProxies::canonical).map(d -> d.startsWith(".") ? d.substring(1) : d).toList();
        this.fallbackDirect = fallbackDirect;
        this.skipNanos = skipAfterFailure.toNanos();
        this.nanoTime = nanoTime;
        this.selection = selection;
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
     * The parents to try for a request to {@code host} from {@code client} (null: none, as for a background
     * revalidation), in order, or an empty route to go direct. The first is the one the {@link Selection} chooses among
     * those that are up; the others that are up follow it in configuration order, wrapping around. Parents passed over
     * after a failure come last, and not at all when {@code fallbackDirect} offers a way on without them. The one place
     * that orders the parents, for requests ({@code UpstreamClient}) and tunnels ({@code ParentTunnels}) alike.
     */
    public Route route(String host, InetAddress client) {
        if (parents.isEmpty() || isDirect(host)) return Route.DIRECT;
        int n = parents.size();
        List<Parent> up = new ArrayList<>(n);
        List<Parent> down = new ArrayList<>(0);
        long now = nanoTime.getAsLong();
        // Client-hash starts at the client's own parent in the whole list, so that a parent going down moves only its
        // own clients (to the next one); round-robin turns over the parents that are up, so they share the load evenly.
        int start = selection == Selection.CLIENT_HASH && client != null ? Math.floorMod(ClientHash.of(client), n) : 0;
        for (int i = 0; i < n; i++) {
            Parent p = parents.get((start + i) % n);
            if (passedOver(p, now)) down.add(p);
            else up.add(p);
        }
        if (selection == Selection.ROUND_ROBIN && up.size() > 1) {
            Collections.rotate(up, -Math.floorMod(turn.getAndIncrement(), up.size()));
        }
        if (!fallbackDirect) up.addAll(down);
        return up.isEmpty() ? Route.DIRECT : new Route(up, selection);
    }

    /**
     * Whether a request to {@code host} would go through a parent now ({@link #route} is not empty), without taking
     * a round-robin turn.
     */
    public boolean viaParent(String host) {
        if (parents.isEmpty() || isDirect(host)) return false;
        if (!fallbackDirect) return true;
        long now = nanoTime.getAsLong();
        for (Parent p : parents) {
            if (!passedOver(p, now)) return true;
        }
        return false;
    }

    /** Whether {@code parent} failed to connect less than {@code skipAfterFailure} before {@code now}. */
    private boolean passedOver(Parent parent, long now) {
        Long failed = failedAt.get(parent);
        return failed != null && now - failed < skipNanos;
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

    /** {@code parent} refused or timed out a connection, or closed a new one unanswered: pass it over for a while. */
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

        /** {@code parent} could not be connected to, or closed a new connection unanswered, {@code why}: it is passed over for a while. */
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
