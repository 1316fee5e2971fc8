package dev.gatehouse.listener;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands the TLS listener's one certificate to every handshake, and lets a reload swap it without a new
 * {@code SSLContext}: new handshakes get the new pair, established connections keep the session they have.
 *
 * <p>The JDK asks for an alias first and for the chain and key by that alias afterwards; a swap may fall
 * in between. So each pair gets its own alias, and the pair it replaced stays reachable by its alias,
 * which keeps a handshake from mixing the old certificate with the new key.
 */
final class TlsKeyManager extends X509ExtendedKeyManager {
    private record Entry(String alias, TlsCredentials credentials) {}

    private record State(Entry current, Entry previous) {}

    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<State> state;

    TlsKeyManager(TlsCredentials initial) {
        state = new AtomicReference<>(new State(entry(initial), null));
    }

    private Entry entry(TlsCredentials credentials) {
        return new Entry("gatehouse-" + generation.incrementAndGet(), credentials);
    }

    /** Serves {@code next} to handshakes from now on. */
    void swap(TlsCredentials next) {
        Entry e = entry(next);
        state.updateAndGet(s -> new State(e, s.current()));
    }

    private Entry find(String alias) {
        State s = state.get();
        if (s.current().alias().equals(alias)) return s.current();
        if (s.previous() != null && s.previous().alias().equals(alias)) return s.previous();
        return null;
    }

    /**
     * The current alias if its key suits {@code keyType}: the JDK names the key algorithm, with the
     * certificate's signature algorithm after an underscore for TLS 1.2 suites ("EC_EC", "RSA").
     */
    private String aliasFor(String keyType) {
        Entry e = state.get().current();
        String algorithm = e.credentials().key().getAlgorithm();
        int underscore = keyType.indexOf('_');
        String wanted = underscore < 0 ? keyType : keyType.substring(0, underscore);
        return wanted.equalsIgnoreCase(algorithm) || (wanted.equals("EdDSA") && algorithm.startsWith("Ed")) ? e.alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry e = find(alias);
        return e == null ? null : e.credentials().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry e = find(alias);
        return e == null ? null : e.credentials().key();
    }

    // No client certificates: this key manager only serves the proxy's side.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
