package dev.gatehouse.policy.category;

import java.security.SecureRandom;

/**
 * A keyed 64-bit fingerprint of a normalised host, computed right to left so that one pass over a
 * host yields the fingerprint of every parent domain (the suffix walk of a lookup).
 *
 * <p>Two different names share a fingerprint with probability about 2<sup>-64</sup> per pair;
 * with 5 M entries that is about 10<sup>-6</sup> for the whole table, and about
 * 3·10<sup>-13</sup> per lookup. The key is random per process, so a client cannot craft a host
 * that collides with a listed one without seeing the key; it is shared by all indexes so that a
 * request's {@link HostKeys} serve every lookup.
 */
final class DomainFingerprint {
    /** The key of this process. */
    static final DomainFingerprint PROCESS = new DomainFingerprint(new SecureRandom().nextLong(),
            new SecureRandom().nextLong());

    private static final long PRIME = 0x100000001b3L; // FNV-1a 64-bit prime

    private final long seed;
    private final long finalKey;

    DomainFingerprint(long seed, long finalKey) {
        this.seed = seed;
        this.finalKey = finalKey;
    }

    /** @return the state before any character is fed */
    long start() {
        return seed;
    }

    /** @return the state after feeding one more character (right to left) */
    static long step(long state, char c) {
        return (state ^ c) * PRIME;
    }

    /** @return the fingerprint of the characters fed so far, never 0 (0 marks an empty slot) */
    long finish(long state) {
        long h = state ^ finalKey;
        h ^= h >>> 33; // MurmurHash3 fmix64: spreads FNV's weak high bits
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** @return the fingerprint of a whole host */
    long of(CharSequence host) {
        long state = seed;
        for (int i = host.length() - 1; i >= 0; i--) {
            state = step(state, host.charAt(i));
        }
        return finish(state);
    }
}
