package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingAuthenticatorTest {
    private static final Duration SUCCESS_TTL = Duration.ofMinutes(5);
    private static final Duration FAILURE_TTL = Duration.ofSeconds(30);
    private static final Path USERS = Path.of("/etc/gatehouse/users");

    /** A back-end whose answers the test sets, recording each question it is asked. */
    private static final class ScriptedBackend implements Authenticator {
        final List<String> asked = Collections.synchronizedList(new ArrayList<>());
        Verdict next = accepted("alice");
        AuthLoadException reloadFailure;
        Runnable duringVerify = () -> { };

        @Override
        public Verdict verify(String user, String password) {
            asked.add(user);
            duringVerify.run();
            return next;
        }

        @Override
        public Verdict lookup(String user) {
            asked.add("lookup " + user);
            return next;
        }

        @Override
        public void reload() throws AuthLoadException {
            if (reloadFailure != null) throw reloadFailure;
        }

        /** Re-reads something only when one of its (pretend) files, {@code users}, changed. */
        @Override
        public boolean reloadChanged(Set<Path> changed) throws AuthLoadException {
            if (!changed.contains(USERS)) return false;
            reload();
            return true;
        }
    }

    private static Verdict accepted(String user) {
        return new Verdict.Accepted(new Identity(user, Set.of("staff")));
    }

    private final AtomicLong nanos = new AtomicLong();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final CachingAuthenticator cache = new CachingAuthenticator(backend, SUCCESS_TTL, FAILURE_TTL, 100, nanos::get);

    @Test
    void aKerberosUsersGroupsAreRememberedApartFromPasswordLogins() {
        assertEquals(accepted("alice"), cache.lookup("alice"));
        assertEquals(accepted("alice"), cache.lookup("alice"));
        assertNull(cache.known("alice", ""), "a lookup is no login, not even with an empty password");
        cache.verify("alice", "");
        assertEquals(List.of("lookup alice", "alice"), backend.asked);
        backend.next = new Verdict.Unavailable("directory down");
        assertEquals(new Verdict.Unavailable("directory down"), cache.lookup("bob"));
        backend.next = accepted("bob");
        assertEquals(accepted("bob"), cache.lookup("bob"), "an outage is not remembered");
        assertDoesNotThrow(cache::reload);
        cache.lookup("alice");
        assertEquals(List.of("lookup alice", "alice", "lookup bob", "lookup bob", "lookup alice"), backend.asked,
                "a reload forgets lookups too");
    }

    @Test
    void aVerdictFromDataAReloadReplacedMeanwhileIsNotRemembered() {
        backend.duringVerify = () -> assertDoesNotThrow(cache::reload); // the file changes while alice is checked
        assertEquals(accepted("alice"), cache.verify("alice", "old-password"));
        assertNull(cache.known("alice", "old-password"));
        backend.duringVerify = () -> { };
        cache.verify("alice", "old-password");
        assertEquals(accepted("alice"), cache.known("alice", "old-password"));
    }

    @Test
    void concurrentIdenticalVerificationsAskTheBackendOnce() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        backend.duringVerify = () -> assertDoesNotThrow(() -> assertTrue(answer.await(30, TimeUnit.SECONDS)));
        CompletableFuture<Verdict> first = new CompletableFuture<>();
        CompletableFuture<Verdict> second = new CompletableFuture<>();
        Thread a = Thread.ofVirtual().start(() -> first.complete(cache.verify("alice", "pw")));
        awaitWaiting(a);
        Thread b = Thread.ofVirtual().start(() -> second.complete(cache.verify("alice", "pw")));
        awaitWaiting(b);
        assertEquals(1, backend.asked.size()); // b waits for a's answer instead of asking too
        answer.countDown();
        assertEquals(accepted("alice"), first.get(30, TimeUnit.SECONDS));
        assertEquals(accepted("alice"), second.get(30, TimeUnit.SECONDS));
        assertEquals(1, backend.asked.size());
    }

    /** Waits (bounded) until the thread blocks: on the back-end's latch, or on another caller's answer. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        for (int i = 0; i < 3000 && !blocked(thread); i++) Thread.sleep(10);
        assertTrue(blocked(thread), thread.getState().toString());
    }

    private static boolean blocked(Thread thread) {
        return thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING;
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void anAcceptedVerdictIsRememberedForSuccessTtl() {
        assertNull(cache.known("alice", "pw"));
        assertEquals(accepted("alice"), cache.verify("alice", "pw"));
        assertEquals(accepted("alice"), cache.known("alice", "pw"));
        advance(SUCCESS_TTL.minusSeconds(1));
        assertEquals(accepted("alice"), cache.verify("alice", "pw"));
        assertEquals(1, backend.asked.size());
        advance(Duration.ofSeconds(2));
        assertNull(cache.known("alice", "pw"));
        cache.verify("alice", "pw");
        assertEquals(2, backend.asked.size());
    }

    @Test
    void aRejectionIsRememberedForFailureTtlOnly() {
        backend.next = new Verdict.Rejected("wrong password");
        cache.verify("alice", "guess");
        cache.verify("alice", "guess");
        assertEquals(1, backend.asked.size());
        advance(FAILURE_TTL.plusSeconds(1));
        cache.verify("alice", "guess");
        assertEquals(2, backend.asked.size());
    }

    @Test
    void unavailableIsNeverRemembered() {
        backend.next = new Verdict.Unavailable("directory down");
        assertEquals(backend.next, cache.verify("alice", "pw"));
        assertNull(cache.known("alice", "pw"));
        backend.next = accepted("alice");
        assertEquals(accepted("alice"), cache.verify("alice", "pw"));
        assertEquals(2, backend.asked.size());
    }

    @Test
    void theKeyIsTheWholeCredentialPairNotTheUserAlone() {
        cache.verify("alice", "pw");
        assertNull(cache.known("alice", "pw2"));
        assertNull(cache.known("alic", "epw"));
        assertNull(cache.known("alice", "PW"));
        backend.next = new Verdict.Rejected("wrong password");
        assertEquals(new Verdict.Rejected("wrong password"), cache.verify("alice", "other"));
    }

    @Test
    void cacheKeysDoNotContainThePassword() {
        String password = "correct horse battery staple";
        String key = cache.keyFor("alice", password);
        assertFalse(key.contains(password) || key.contains("alice"));
        assertEquals(64, key.length()); // HMAC-SHA256 in hex
        assertTrue(key.matches("[0-9a-f]{64}"), key);
        assertEquals(key, cache.keyFor("alice", password), "the same credentials give the same key");
        assertFalse(key.equals(cache.keyFor("alice", password + "!")), "another password, another key");
        // A new process (a new random HMAC key) gives a different key: nothing precomputed applies.
        assertFalse(key.equals(new CachingAuthenticator(backend, SUCCESS_TTL, FAILURE_TTL, 10, nanos::get)
                .keyFor("alice", password)));
    }

    @Test
    void theCacheIsBounded() {
        CachingAuthenticator small = new CachingAuthenticator(backend, SUCCESS_TTL, FAILURE_TTL, 3, nanos::get);
        for (int i = 0; i < 50; i++) small.verify("user" + i, "pw");
        assertEquals(3, small.size());
    }

    @Test
    void aSuccessfulReloadForgetsEveryVerdictAndAFailedOneKeepsThem() {
        cache.verify("alice", "pw");
        backend.reloadFailure = new AuthLoadException("htpasswd:1: broken");
        assertThrows(AuthLoadException.class, cache::reload);
        assertEquals(accepted("alice"), cache.known("alice", "pw"));
        backend.reloadFailure = null;
        assertDoesNotThrow(cache::reload);
        assertNull(cache.known("alice", "pw"));
    }

    @Test
    void aChangeTheBackendDoesNotReadKeepsTheVerdicts() throws Exception {
        cache.verify("alice", "pw");
        assertFalse(cache.reloadChanged(Set.of(Path.of("/etc/gatehouse/groups"))));
        assertEquals(accepted("alice"), cache.known("alice", "pw"));
        assertTrue(cache.reloadChanged(Set.of(USERS)));
        assertNull(cache.known("alice", "pw"));
    }
}
