package dev.gatehouse.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers verdicts so a directory is not asked per request: accepted ones for {@code successTtl}, rejected
 * ones for {@code failureTtl}; {@link Verdict.Unavailable} never, so the next request asks again. Keys are an
 * HMAC-SHA256 of user and password under a random per-process key: a heap dump shows neither the passwords
 * nor hashes that could be attacked offline without that key.
 */
final class CachingAuthenticator implements Authenticator {
    private static final String HMAC = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final Authenticator backend;
    private final Cache<String, Verdict> verdicts;
    /** An initialised MAC, cloned per key: clone() skips the provider lookup and key setup on the IO thread. */
    private final Mac prototype;
    /** Verifications under way, by key, so that concurrent identical ones wait for the first. */
    private final ConcurrentHashMap<String, CompletableFuture<Verdict>> inFlight = new ConcurrentHashMap<>();
    /** Counts successful reloads. */
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param maxEntries bound on remembered credentials (the least recently used are dropped)
     * @param ticker     the clock; {@link Ticker#systemTicker()} outside tests
     */
    CachingAuthenticator(Authenticator backend, Duration successTtl, Duration failureTtl, long maxEntries, Ticker ticker) {
        this.backend = backend;
        this.verdicts = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.<String, Verdict>creating((key, verdict) ->
                        verdict instanceof Verdict.Accepted ? successTtl : failureTtl))
                .ticker(ticker)
                .build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.prototype = Mac.getInstance(HMAC);
            prototype.init(new SecretKeySpec(key, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + HMAC, e);
        }
    }

    @Override
    public Verdict verify(String user, String password) {
        return remembered(keyFor(user, password), () -> backend.verify(user, password));
    }

    /** Remembered like a login: a browser opens several connections, each authenticated with its own ticket. */
    @Override
    public Verdict lookup(String user) {
        // "k" is not a hex digit: no lookup key equals a login key.
        return remembered("k" + keyFor(user, ""), () -> backend.lookup(user));
    }

    private Verdict remembered(String key, Supplier<Verdict> ask) {
        Verdict remembered = verdicts.getIfPresent(key);
        if (remembered != null) return remembered;
        // A browser answers a 407 on several connections at once: one question to the back-end serves them all.
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> running = inFlight.putIfAbsent(key, mine);
        if (running != null) return running.join();
        try {
            Verdict verdict = askBackend(key, ask);
            mine.complete(verdict);
            return verdict;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Verdict askBackend(String key, Supplier<Verdict> ask) {
        long generationBefore = generation.get();
        Verdict verdict = ask.get();
        if (!(verdict instanceof Verdict.Unavailable)) {
            verdicts.put(key, verdict);
            // Verified against data a concurrent reload has just replaced: do not keep it (put, then check, so the
            // reload's invalidateAll or this check catches every interleaving).
            if (generation.get() != generationBefore) verdicts.invalidate(key);
        }
        return verdict;
    }

    @Override
    public Verdict known(String user, String password) {
        return verdicts.getIfPresent(keyFor(user, password));
    }

    /** Reloads the back-end; on success forgets every verdict, since a password or group may have changed. */
    @Override
    public void reload() throws AuthLoadException {
        backend.reload();
        forgetAll();
    }

    /** As {@link #reload()}, but keeps the verdicts when the back-end re-read nothing. */
    @Override
    public boolean reloadChanged(Set<Path> changed) throws AuthLoadException {
        if (!backend.reloadChanged(changed)) return false;
        forgetAll();
        return true;
    }

    private void forgetAll() {
        generation.incrementAndGet();
        verdicts.invalidateAll();
    }

    @Override
    public void close() {
        verdicts.invalidateAll();
        backend.close();
    }

    /** Remembered verdicts, after pending evictions. */
    long size() {
        verdicts.cleanUp();
        return verdicts.estimatedSize();
    }

    /** The cache key: HMAC-SHA256 of user, NUL, password, in hex. */
    String keyFor(String user, String password) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone(); // a Mac is not thread-safe
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + HMAC + " can be cloned", e);
        }
        mac.update(user.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0); // user names cannot contain NUL after RFC 7617 parsing, so the split is unambiguous
        return HEX.formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return backend + " (cached)";
    }
}
