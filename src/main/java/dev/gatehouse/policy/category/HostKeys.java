package dev.gatehouse.policy.category;

import dev.gatehouse.policy.normalize.HostName;

/**
 * The fingerprints of a host and of each of its parent domains, computed once per request and
 * shared by every list and category lookup of that request (a 50-rule policy would otherwise
 * hash the same host dozens of times).
 */
public final class HostKeys {
    private final long[] keys;
    private final boolean ipLiteral;

    private HostKeys(long[] keys, boolean ipLiteral) {
        this.keys = keys;
        this.ipLiteral = ipLiteral;
    }

    /** @return the keys of a host: for an IP literal only its own, else one per label boundary */
    public static HostKeys of(HostName host) {
        String s = host.value();
        DomainFingerprint fingerprint = DomainFingerprint.PROCESS;
        if (host.isIpLiteral()) {
            return new HostKeys(new long[] {fingerprint.of(s)}, true);
        }
        int labels = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                labels++;
            }
        }
        long[] keys = new long[labels];
        int n = 0;
        long state = fingerprint.start();
        for (int i = s.length() - 1; i >= 0; i--) {
            state = DomainFingerprint.step(state, s.charAt(i));
            if (i == 0 || s.charAt(i - 1) == '.') {
                keys[n++] = fingerprint.finish(state);
            }
        }
        return new HostKeys(keys, false);
    }

    /** @return the number of keys; the last is the whole host's */
    int size() {
        return keys.length;
    }

    long key(int i) {
        return keys[i];
    }

    boolean ipLiteral() {
        return ipLiteral;
    }
}
