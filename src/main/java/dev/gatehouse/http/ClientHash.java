package dev.gatehouse.http;

import java.net.InetAddress;

/**
 * A hash of a client's address for {@link ParentProxies.Selection#CLIENT_HASH}: the same for the same address in
 * every run and on every JVM (not {@link InetAddress#hashCode}, which is not specified), and spread well even over
 * neighbouring addresses such as one branch office's subnet, whose bytes differ only at the end.
 */
final class ClientHash {
    private ClientHash() {}

    /** FNV-1a over the address bytes (4 for IPv4, 16 for IPv6), then MurmurHash3's finaliser to mix every bit in. */
    static int of(InetAddress client) {
        int h = 0x811c9dc5;
        for (byte b : client.getAddress()) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
