package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent misses for one key make one fetch; no assertion depends on timing. */
class CollapserTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/big.iso");
    private static final int CLIENTS = 16;

    private final Collapser<String> collapser = new Collapser<>();
    private final AtomicInteger fetches = new AtomicInteger();

    /** A fetch that finishes only once every other client is waiting on it. */
    private String fetchOnceAllWait() throws InterruptedException {
        fetches.incrementAndGet();
        while (collapser.followers(KEY) < CLIENTS - 1) {
            Thread.sleep(1);
        }
        return "body";
    }

    @Test
    void concurrentMissesForOneKeyMakeOneFetch() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<Collapser.Result<String>>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                results.add(threads.submit(() -> collapser.collapse(KEY, this::fetchOnceAllWait)));
            }
            int leaders = 0;
            for (Future<Collapser.Result<String>> result : results) {
                assertEquals("body", result.get().value());
                leaders += result.get().leader() ? 1 : 0;
            }
            assertEquals(1, fetches.get());
            assertEquals(1, leaders);
        }
        assertEquals(0, collapser.inFlight());
        assertEquals("body", collapser.collapse(KEY, () -> {
            fetches.incrementAndGet();
            return "body";
        }).value());
        assertEquals(2, fetches.get(), "a later miss fetches again: nothing is remembered");
    }

    @Test
    void aFailedFetchFailsItsFollowersAndTheNextMissRetries() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<Collapser.Result<String>>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                results.add(threads.submit(() -> collapser.collapse(KEY, () -> {
                    fetchOnceAllWait();
                    throw new java.io.IOException("origin down");
                })));
            }
            for (Future<Collapser.Result<String>> result : results) {
                ExecutionException e = assertThrows(ExecutionException.class, result::get);
                Throwable cause = e.getCause() instanceof ExecutionException wrapped ? wrapped.getCause() : e.getCause();
                assertInstanceOf(java.io.IOException.class, cause);
                assertEquals("origin down", cause.getMessage(), "followers see the leader's own failure");
            }
        }
        assertEquals(1, fetches.get());
        assertEquals("again", collapser.collapse(KEY, () -> "again").value());
    }

    @Test
    void followersStreamTheLeadersBodyWhileItArrives(@TempDir Path directory) throws Exception {
        Collapser<SharedBody> bodies = new Collapser<>();
        byte[] expected = StoreFixtures.body(200_000, 5);
        CountDownLatch readersOpen = new CountDownLatch(CLIENTS - 1);
        try (ExecutorService threads = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<byte[]>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(threads.submit(() -> switch (bodies.join(KEY)) {
                    case Collapser.Follower<SharedBody> follower -> {
                        // A follower that arrives after the body is released would read the store instead.
                        try (InputStream reader = follower.await().newReader().orElseThrow()) {
                            readersOpen.countDown();
                            yield reader.readAllBytes();
                        }
                    }
                    case Collapser.Leader<SharedBody> leader -> {
                        fetches.incrementAndGet();
                        try (leader; SharedBody body = SharedBody.create(directory)) {
                            leader.publish(body); // the headers have arrived: followers start reading
                            readersOpen.await(); // every other client is tailing before the body flows
                            for (int offset = 0; offset < expected.length; offset += 8192) {
                                body.writer().write(expected, offset, Math.min(8192, expected.length - offset));
                            }
                            body.finish();
                        }
                        yield expected;
                    }
                }));
            }
            for (Future<byte[]> client : clients) {
                assertArrayEquals(expected, client.get());
            }
        }
        assertEquals(1, fetches.get());
        assertEquals(0, bodies.inFlight());
    }

    @Test
    void aLeaderCountsItsFollowersAndANewFlightStartsAtNone() throws Exception {
        Collapser.Leader<String> leader = (Collapser.Leader<String>) collapser.join(KEY);
        assertEquals(0, leader.followers());
        Collapser.Follower<String> follower = (Collapser.Follower<String>) collapser.join(KEY);
        collapser.join(KEY);
        assertEquals(2, leader.followers());

        leader.publish("refreshed");
        assertEquals("refreshed", follower.await());
        leader.close();
        try (Collapser.Leader<String> next = (Collapser.Leader<String>) collapser.join(KEY)) {
            assertEquals(0, next.followers(), "the next flight's followers are its own");
        }
    }

    /** A fetch its URI was invalidated after, say: later callers lead a new one, and the old one's end leaves it be. */
    @Test
    void aFlightThatIsNoLongerJoinableIsReplacedNotJoined() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean joinable = new java.util.concurrent.atomic.AtomicBoolean(true);
        Collapser.Leader<String> old = (Collapser.Leader<String>) collapser.join(KEY, joinable::get);
        Collapser.Follower<String> before = (Collapser.Follower<String>) collapser.join(KEY);

        joinable.set(false);
        Collapser.Ticket<String> after = collapser.join(KEY);

        assertInstanceOf(Collapser.Leader.class, after, "a caller arriving now leads its own fetch");
        old.publish("old");
        old.close();
        assertEquals("old", before.await(), "the old fetch's followers still get its result");
        assertInstanceOf(Collapser.Follower.class, collapser.join(KEY), "the old fetch's end did not end the new one");
        ((Collapser.Leader<String>) after).close();
    }

    @Test
    void aLeaderThatStopsTakingFollowersSaysWhetherAnyJoined() throws Exception {
        Collapser.Leader<String> alone = (Collapser.Leader<String>) collapser.join(KEY);
        assertEquals(false, alone.stopTakingFollowers(), "none joined");
        Collapser.Leader<String> next = (Collapser.Leader<String>) collapser.join(KEY);
        assertInstanceOf(Collapser.Follower.class, collapser.join(KEY));

        assertEquals(true, next.stopTakingFollowers());
        assertInstanceOf(Collapser.Leader.class, collapser.join(KEY), "a caller after it starts its own fetch");
        assertEquals(1, next.followers(), "and is not counted as its follower");
    }

    @Test
    void differentKeysDoNotWaitForEachOther() throws Exception {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<Collapser.Result<String>> a = threads.submit(() -> collapser.collapse(CacheKey.of("http://a/"), () -> {
                bothRunning.await(30, TimeUnit.SECONDS);
                return "a";
            }));
            Future<Collapser.Result<String>> b = threads.submit(() -> collapser.collapse(CacheKey.of("http://b/"), () -> {
                bothRunning.await(30, TimeUnit.SECONDS);
                return "b";
            }));
            assertEquals("a", a.get().value());
            assertEquals("b", b.get().value());
            assertEquals(true, a.get().leader() && b.get().leader());
        }
    }
}
