package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void concurrentWritersGiveExactlyOneWholeLinePerRecord() throws Exception {
        int threads = 8;
        int perThread = 500;
        Path file = dir.resolve("log/access.log");
        try (AuditLog log = AuditLog.open(options(file, AuditLog.Format.JSON, 64))) {
            List<Thread> writers = startNumberedWriters(log, threads, perThread);
            for (Thread w : writers) {
                w.join();
            }
        }

        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * perThread, lines.size());
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(JSON.readTree(line).get("requestId").asText());
        }
        assertEquals(threads * perThread, ids.size(), "every record once, none merged or repeated");
    }

    @Test
    void aFullQueueBlocksWritersInsteadOfDroppingRecords() throws Exception {
        GatedOutput slowDisk = new GatedOutput();
        AuditLog log = new AuditLog(slowDisk, new SquidNativeFormatter(), 2, "gated");
        int threads = 4;
        int perThread = 5;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    log.write(AuditRecords.miss());
                }
            }));
        }

        // The writer holds its first batch (up to three records) at the gate and two fill the queue: every
        // producer with records left waits. (One that started early may already have put all five of its
        // records, so it may have ended; at least one is always left waiting, as 20 records cannot fit.)
        awaitTrue(() -> log.queueDepth() == 2
                && writers.stream().allMatch(w -> w.getState() == Thread.State.WAITING || w.getState() == Thread.State.TERMINATED)
                && writers.stream().anyMatch(w -> w.getState() == Thread.State.WAITING));
        assertEquals(0, log.writtenCount());

        slowDisk.open();
        for (Thread w : writers) {
            w.join();
        }
        log.close();

        assertEquals(threads * perThread, log.writtenCount());
        assertEquals(threads * perThread, slowDisk.lines.size());
        assertTrue(slowDisk.closed);
    }

    @Test
    void manyCallersOnATinyQueueLoseNothing() throws Exception {
        // Capacity 2: most writes find the queue full and wait for room, so the hand-offs between callers and the
        // writer (room freed, writer woken) run thousands of times; a lost one leaves a caller stuck.
        int threads = 8;
        int perThread = 500;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AuditLog log = AuditLog.openStream(out, AuditLog.Format.JSON, 2)) {
            List<Thread> writers = startNumberedWriters(log, threads, perThread);
            for (Thread w : writers) {
                w.join(60_000);
                assertFalse(w.isAlive(), "a caller is still waiting for room");
            }
        }
        Set<String> ids = new HashSet<>();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        for (String line : lines) {
            ids.add(JSON.readTree(line).get("requestId").asText());
        }
        assertEquals(threads * perThread, lines.length);
        assertEquals(threads * perThread, ids.size(), "every record once");
    }

    @Test
    void aCallerWaitingForRoomProceedsWhenTheWriterCatchesUpAndKeepsItsRecordAndInterrupt() throws Exception {
        GatedOutput slowDisk = new GatedOutput();
        AuditLog log = new AuditLog(slowDisk, new JsonLinesFormatter(), 1, "gated");
        log.write(AuditRecords.numbered("1"));
        awaitTrue(() -> log.queueDepth() == 0); // the writer took it and is held at the gate
        log.write(AuditRecords.numbered("2")); // fills the queue
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            log.write(AuditRecords.numbered("3"));
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        awaitTrue(() -> caller.getState() == Thread.State.WAITING);
        caller.interrupt();

        slowDisk.open();
        caller.join(60_000);
        assertFalse(caller.isAlive(), "the caller never got room");
        log.close();

        List<String> ids = new ArrayList<>();
        for (String line : slowDisk.lines) {
            ids.add(JSON.readTree(line).get("requestId").asText());
        }
        assertEquals(List.of("1", "2", "3"), ids);
        assertTrue(interruptKept.get(), "the interrupt is kept for the caller to see");
    }

    @Test
    void aWriteFailureIsRetriedWithAFreshHandleUntilTheRecordIsWritten() throws Exception {
        FailingOutput fullDisk = new FailingOutput(5);
        try (AuditLog log = new AuditLog(fullDisk, new SquidNativeFormatter(), 4, "failing", 1)) {
            log.write(AuditRecords.miss());
            log.write(AuditRecords.denied());
            awaitTrue(() -> log.writtenCount() == 2);
        }
        SquidNativeFormatter squid = new SquidNativeFormatter();
        assertEquals(List.of(squid.format(AuditRecords.miss()) + "\n", squid.format(AuditRecords.denied()) + "\n"),
                fullDisk.lines);
        assertEquals(5, fullDisk.reopens.get());
    }

    @Test
    void closeEndsEvenWhenTheOutputNeverRecovers() {
        FailingOutput deadDisk = new FailingOutput(Integer.MAX_VALUE);
        AuditLog log = new AuditLog(deadDisk, new SquidNativeFormatter(), 8, "failing", 1);
        for (int i = 0; i < 5; i++) {
            log.write(AuditRecords.miss());
        }
        log.close();
        assertEquals(0, log.writtenCount());
        assertEquals(0, log.queueDepth());
    }

    @Test
    void theObserverSeesEachWrittenRecordOnTheWriterThreadAndNoUnwrittenOne() throws Exception {
        FailingOutput flakyDisk = new FailingOutput(2);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AuditLog log = new AuditLog(flakyDisk, new SquidNativeFormatter(), 4, "failing", 1)) {
            log.observe(record -> seen.add(Thread.currentThread().getName() + " " + record.getResultCode()
                    + " lines=" + flakyDisk.lines.size()));
            log.write(AuditRecords.miss());
            log.write(AuditRecords.denied());
            awaitTrue(() -> log.writtenCount() == 2);
            // writtenCount counts a record only after the observer saw it
            assertEquals(List.of("gatehouse-audit-writer TCP_MISS lines=1", "gatehouse-audit-writer TCP_DENIED lines=2"), seen);
        }
        FailingOutput deadDisk = new FailingOutput(Integer.MAX_VALUE);
        AuditLog dead = new AuditLog(deadDisk, new SquidNativeFormatter(), 4, "failing", 1);
        dead.observe(record -> seen.add("unwritten"));
        dead.write(AuditRecords.miss());
        dead.close();
        assertEquals(2, seen.size(), "a record the log lacks is never observed");
    }

    @Test
    void closeWritesAndFlushesEverythingEnqueued() throws Exception {
        Path file = dir.resolve("access.log");
        AuditLog log = AuditLog.open(options(file, AuditLog.Format.SQUID, 4));
        for (int i = 0; i < 1_000; i++) {
            log.write(AuditRecords.miss());
        }
        log.close();
        log.close();

        assertEquals(1_000, Files.readAllLines(file).size());
        assertEquals(1_000, log.writtenCount());
        assertEquals(0, log.queueDepth());
        assertThrows(IllegalStateException.class, () -> log.write(AuditRecords.miss()));
    }

    @Test
    void recordsReachTheFileWhenTheQueueRunsEmptyWithoutClosing() throws Exception {
        Path file = dir.resolve("access.log");
        try (AuditLog log = AuditLog.open(options(file, AuditLog.Format.SQUID, 16))) {
            log.write(AuditRecords.tunnel());
            awaitTrue(() -> lineCount(file) == 1);
        }
    }

    @Test
    void appendsToAnExistingFileAndCreatesMissingDirectories() throws Exception {
        Path file = dir.resolve("var/log/access.log");
        try (AuditLog log = AuditLog.open(options(file, AuditLog.Format.SQUID, 16))) {
            log.write(AuditRecords.miss());
        }
        try (AuditLog log = AuditLog.open(options(file, AuditLog.Format.SQUID, 16))) {
            log.write(AuditRecords.denied());
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void reopenStartsANewFileAfterAnExternalRename() throws Exception {
        Path file = dir.resolve("access.log");
        Path renamed = dir.resolve("access.log.old");
        try (AuditLog log = AuditLog.open(options(file, AuditLog.Format.JSON, 16))) {
            log.write(AuditRecords.numbered("before"));
            awaitTrue(() -> lineCount(file) == 1);
            Files.move(file, renamed);
            log.reopen();
            log.write(AuditRecords.numbered("after"));
        }
        assertEquals("before", JSON.readTree(Files.readAllLines(renamed).getFirst()).get("requestId").asText());
        assertEquals("after", JSON.readTree(Files.readAllLines(file).getFirst()).get("requestId").asText());
    }

    @Test
    void theStreamSinkWritesTheSameLinesAndLeavesTheStreamOpen() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (AuditLog log = AuditLog.openStream(stdout, AuditLog.Format.SQUID, 2)) {
            log.write(AuditRecords.miss());
            log.write(AuditRecords.tunnel());
        }
        SquidNativeFormatter squid = new SquidNativeFormatter();
        assertEquals(squid.format(AuditRecords.miss()) + "\n" + squid.format(AuditRecords.tunnel()) + "\n",
                stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionsRejectNonsenseWithTheNameOfTheSetting() {
        Path file = dir.resolve("access.log");
        Clock clock = Clock.systemUTC();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AuditLog.Options(file, AuditLog.Format.JSON, 0, true, 3, 0, clock));
        assertTrue(e.getMessage().contains("queueCapacity"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AuditLog.Options(file, AuditLog.Format.JSON, -1, true, 3, 1, clock));
        assertThrows(IllegalArgumentException.class,
                () -> new AuditLog.Options(file, AuditLog.Format.JSON, 0, true, -1, 1, clock));
    }

    @Test
    void theConfigNamesTheFormatInAnyCase() {
        assertEquals(AuditLog.Format.SQUID, AuditLog.Format.named("squid"));
        assertEquals(AuditLog.Format.JSON, AuditLog.Format.named("JSON"));
        assertEquals(AuditLog.Format.COMBINED, AuditLog.Format.named("combined"));
        assertEquals(AuditLog.Format.COMMON, AuditLog.Format.named("Common"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditLog.Format.named("xml"));
        assertTrue(e.getMessage().contains("json, squid, combined or common"), e.getMessage());
    }

    /** Threads each writing {@code perThread} records numbered {@code thread-i}. */
    private static List<Thread> startNumberedWriters(AuditLog log, int threads, int perThread) {
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    log.write(AuditRecords.numbered(thread + "-" + i));
                }
            }));
        }
        return writers;
    }

    private static AuditLog.Options options(Path file, AuditLog.Format format, int capacity) {
        return new AuditLog.Options(file, format, 0, false, 0, capacity, Clock.systemUTC());
    }

    static long lineCount(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits, in a bounded loop, for something another thread does; fails rather than hangs. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached");
    }
}
