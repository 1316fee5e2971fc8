package dev.gatehouse.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Refuses connections a forward proxy must not make on a client's behalf: to the proxy itself (a
 * forwarding loop), to loopback, link-local (which holds cloud metadata at 169.254.169.254), unspecified
 * and multicast addresses, and to this host's own interface addresses, unless an operator allows the
 * network explicitly. The check runs on resolved addresses, after DNS, so a name that resolves to
 * 127.0.0.1 is refused too.
 */
public final class DestinationGuard {
    private final AddressRanges allowPrivate;
    private final Set<InetSocketAddress> ownListeners = new CopyOnWriteArraySet<>();
    private final Set<InetAddress> ownAddresses;
    private final Resolver resolver;

    /** Looks a host name up: the system's resolver ({@link InetAddress#getAllByName}), or a test's own. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** @param ownListeners the proxy's listening sockets, always refused (a request to itself loops) */
    public DestinationGuard(AddressRanges allowPrivate, List<InetSocketAddress> ownListeners) {
        this(allowPrivate, ownListeners, InetAddress::getAllByName);
    }

    /** @param resolver looks names up (a test's gives one name several addresses) */
    public DestinationGuard(AddressRanges allowPrivate, List<InetSocketAddress> ownListeners, Resolver resolver) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
        this.ownAddresses = interfaceAddresses();
        this.ownListeners.addAll(ownListeners);
    }

    /** Adds a listening socket once it is bound (its port may have been chosen by the OS). */
    public void addOwnListener(InetSocketAddress listener) {
        ownListeners.add(listener);
    }

    /**
     * Resolves {@code host} and keeps the addresses this guard allows, so callers connect to a vetted
     * address (a second lookup could answer differently: DNS rebinding).
     *
     * @throws FailureException DNS_FAILURE if the name does not resolve, DESTINATION_DENIED if every address is refused
     */
    public List<InetAddress> resolve(String host, int port) throws FailureException {
        InetAddress[] all;
        try {
            all = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new FailureException(Failure.DNS_FAILURE, "cannot resolve " + host, e);
        }
        List<InetAddress> allowed = new ArrayList<>(all.length);
        String refusal = null;
        for (InetAddress a : all) {
            String why = refusal(a, port);
            if (why == null) allowed.add(a);
            else refusal = why;
        }
        if (allowed.isEmpty()) throw new FailureException(Failure.DESTINATION_DENIED, host + " is " + refusal, null);
        return allowed;
    }

    /** Null if the proxy may connect to {@code address:port}, else why not. */
    public String refusal(InetAddress address, int port) {
        InetAddress a = AddressRange.unmap(address);
        for (InetSocketAddress own : ownListeners) {
            if (own.getPort() == port && (own.getAddress() == null || own.getAddress().isAnyLocalAddress()
                    ? ownAddresses.contains(a) || a.isLoopbackAddress() : own.getAddress().equals(a))) {
                return "the proxy itself (" + own + ")";
            }
        }
        String kind = null;
        if (a.isLoopbackAddress()) kind = "a loopback address";
        else if (a.isLinkLocalAddress()) kind = "a link-local address";
        else if (a.isAnyLocalAddress()) kind = "the unspecified address";
        else if (a.isMulticastAddress()) kind = "a multicast address";
        else if (ownAddresses.contains(a)) kind = "an address of the proxy host";
        if (kind == null || allowPrivate.contains(a)) return null;
        return kind + " (" + a.getHostAddress() + "), not in destinations.allowPrivate";
    }

    private static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) out.add(AddressRange.unmap(a));
            }
        } catch (SocketException e) {
            // No interface list: loopback and link-local checks still apply.
        }
        return out;
    }
}
