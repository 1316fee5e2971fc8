package dev.gatehouse.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records, one line each, through a bounded queue drained by one writer thread.
 *
 * <p><b>Never drops a record.</b> {@link #write} enqueues; when the queue is full the caller blocks
 * until the writer catches up. That is the back-pressure: a disk that cannot keep up slows the
 * proxy down rather than losing accesses. Size the queue so a burst fits; a caller on an
 * Undertow IO thread stalls that thread while it waits.
 *
 * <p>The writer thread takes records in batches, formats them, writes them and flushes whenever
 * the queue runs empty (so {@code tail -f} sees a record at once; the writer then lets records gather
 * for 2 ms before it looks again, so a busy proxy pays one wake-up per burst) and at least every
 * {@value #FLUSH_INTERVAL_MILLIS} ms under sustained load. {@link #close()} writes everything that
 * was enqueued, flushes and closes the file; call it at shutdown after the exchanges have drained.
 *
 * <p>If the file cannot be written (disk full, say), the writer logs an error, retries the same
 * line with a fresh file handle every second, and callers block once the queue is full. Only while
 * closing does it give up after a few attempts, so shutdown ends; it then logs each unwritten line
 * at ERROR, so not even then is a record silently lost. (A failure in the middle of a line can
 * leave that line's first bytes in the file before its retried copy.)
 *
 * <p>An {@linkplain #observe observer} (metrics, statistics) sees each record on the writer thread once its
 * line is written: off the request path, in batches, and never for an access the log lacks.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    /** Longest a written line waits in the buffer while the queue never runs empty. */
    static final long FLUSH_INTERVAL_MILLIS = 1000;
    private static final int BATCH = 256;
    /** How long the writer leaves new records to gather after it ran the queue empty. */
    private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int ATTEMPTS_WHILE_CLOSING = 3;
    /** Wakes the writer on close; never formatted. */
    private static final AuditRecord WAKE_UP = new AuditRecord();

    private final BlockingQueue<AuditRecord> queue;
    private final LineOutput output;
    private final AuditFormatter formatter;
    private final String target;
    private final Thread writer;
    private final long retryPauseMillis;
    private final AtomicLong written = new AtomicLong();
    /** Callers between their closed check and their put: the writer waits for them before exiting. */
    private final AtomicInteger writersInFlight = new AtomicInteger();
    private volatile boolean closing;
    private volatile boolean reopenRequested;
    private volatile Consumer<AuditRecord> observer = record -> {};
    /** Writer thread only. */
    private int consecutiveFailures;

    /** The formats; {@code JSON} is the default. */
    public enum Format {
        JSON(zone -> new JsonLinesFormatter()),
        SQUID(zone -> new SquidNativeFormatter()),
        /** NCSA combined, as Squid's {@code logformat combined}. */
        COMBINED(NcsaFormatter::combined),
        /** NCSA common, as Squid's {@code logformat common}. */
        COMMON(NcsaFormatter::common);

        private final Function<ZoneId, AuditFormatter> factory;

        Format(Function<ZoneId, AuditFormatter> factory) {
            this.factory = factory;
        }

        /** A formatter for one writer; {@code zone} is the local time of the NCSA formats' timestamps. */
        public AuditFormatter formatter(ZoneId zone) {
            return factory.apply(zone);
        }

        /** A formatter for one writer, NCSA timestamps in the JVM's default zone. */
        public AuditFormatter formatter() {
            return formatter(ZoneId.systemDefault());
        }

        /** The format for a config value, {@code json}, {@code squid}, {@code combined} or {@code common} (any case). */
        public static Format named(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown audit format '" + name + "': use json, squid, combined or common");
        }
    }

    /**
     * How to write the audit file.
     *
     * @param file the live log, e.g. {@code var/log/access.log}; parent directories are created
     * @param format line format
     * @param maxBytes rotate before the file would exceed this size; 0: no size rotation
     * @param daily rotate at the first record after local midnight (zone of {@code clock})
     * @param retain rotated files to keep, the oldest are deleted; 0: keep all
     * @param queueCapacity records that may wait for the writer before {@link #write} blocks
     * @param clock decides the day for daily rotation and the rotated file names; its zone is the local time
     *              of the NCSA formats' timestamps
     */
    public record Options(Path file, Format format, long maxBytes, boolean daily, int retain,
                          int queueCapacity, Clock clock) {
        public Options {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(clock, "clock");
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes must be >= 0 (0 = no size rotation): " + maxBytes);
            }
            if (retain < 0) {
                throw new IllegalArgumentException("retain must be >= 0 (0 = keep all): " + retain);
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1: " + queueCapacity);
            }
        }

        /** Daily rotation, 100 MiB size limit, 30 rotated files kept, 8192 queued records, system clock. */
        public static Options defaults(Path file, Format format) {
            return new Options(file, format, 100L * 1024 * 1024, true, 30, 8192, Clock.systemDefaultZone());
        }
    }

    /** Opens (creating directories and appending to an existing file) and starts the writer thread. */
    public static AuditLog open(Options options) throws IOException {
        LineOutput output = new RotatingFileOutput(options.file(), options.maxBytes(), options.daily(),
                options.retain(), options.clock());
        return new AuditLog(output, options.format().formatter(options.clock().getZone()), options.queueCapacity(),
                options.file().toString());
    }

    /** Writes to standard output instead of a file, for containers; no rotation. */
    public static AuditLog openStdout(Format format, int queueCapacity) {
        return new AuditLog(new StreamOutput(System.out), format.formatter(), queueCapacity, "stdout");
    }

    /** Writes to {@code stream}, which is flushed but not closed by {@link #close()}. */
    static AuditLog openStream(OutputStream stream, Format format, int queueCapacity) {
        return new AuditLog(new StreamOutput(stream), format.formatter(), queueCapacity, "stream");
    }

    AuditLog(LineOutput output, AuditFormatter formatter, int queueCapacity, String target) {
        this(output, formatter, queueCapacity, target, 1000);
    }

    AuditLog(LineOutput output, AuditFormatter formatter, int queueCapacity, String target, long retryPauseMillis) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1: " + queueCapacity);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.output = output;
        this.formatter = formatter;
        this.target = target;
        this.retryPauseMillis = retryPauseMillis;
        this.writer = Thread.ofPlatform().name("gatehouse-audit-writer").daemon(true).unstarted(this::drain);
        writer.start();
    }

    /**
     * Enqueues a completed record; blocks while the queue is full. The record must not be changed
     * afterwards.
     *
     * @throws IllegalStateException after {@link #close()} has begun
     */
    public void write(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        writersInFlight.incrementAndGet();
        try {
            if (closing) {
                throw new IllegalStateException("audit log " + target + " is closed");
            }
            if (queue.offer(record)) {
                return; // the usual case, without put()'s interruptible lock and interrupt check
            }
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(record);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep the record: losing it is worse than a late interrupt
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            writersInFlight.decrementAndGet();
        }
    }

    /**
     * Sets who sees every record after its line is written (before {@link #writtenCount} counts it). It runs on
     * the writer thread, so it must be quick and must not block; a failure is logged and the record stays written.
     */
    public void observe(Consumer<AuditRecord> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Asks the writer to close and reopen the file before its next record (external logrotate, SIGHUP). */
    public void reopen() {
        reopenRequested = true;
    }

    /** Records waiting for the writer thread. */
    public int queueDepth() {
        return queue.size();
    }

    /** Records handed to the output so far (buffered; flushed when the queue runs empty). */
    public long writtenCount() {
        return written.get();
    }

    /** Writes every record enqueued so far, flushes and closes the output. Idempotent. */
    @Override
    public void close() {
        closing = true;
        if (writer.isAlive()) {
            queue.offer(WAKE_UP); // if the queue is full the writer is busy anyway
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish the drain: shutdown must not lose the tail of the log
            }
        }
        queue.remove(WAKE_UP); // left by a second close(); the writer has gone
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        LineBuffer line = new LineBuffer(512);
        long lastFlush = System.nanoTime();
        boolean unflushed = false;
        while (!(closing && writersInFlight.get() == 0 && queue.isEmpty())) {
            AuditRecord first = take();
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (AuditRecord record : batch) {
                    if (record != WAKE_UP) {
                        writeOne(record, line);
                        unflushed = true;
                    }
                }
                batch.clear();
            }
            boolean due = System.nanoTime() - lastFlush >= TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS);
            boolean ranEmpty = queue.isEmpty();
            if (unflushed && (ranEmpty || due)) {
                flush();
                unflushed = false;
                lastFlush = System.nanoTime();
                // Only after running empty: under sustained load a pause would only let the queue fill and block producers.
                if (ranEmpty && first != null && !closing) {
                    // Not waiting on the queue for a moment: records that arrive meanwhile are enqueued without
                    // waking this thread, and go out together, one wake-up and one write for a burst instead
                    // of one per access (a context switch per request showed as CPU on a 2-core box).
                    LockSupport.parkNanos(COALESCE_NANOS);
                }
            }
        }
        try {
            output.close();
        } catch (IOException e) {
            log.error("Closing audit log {} failed", target, e);
        }
    }

    private AuditRecord take() {
        try {
            return queue.poll(FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return null; // nobody interrupts this thread; the loop condition decides
        }
    }

    private void writeOne(AuditRecord record, LineBuffer line) {
        try {
            line.clear();
            formatter.append(record, line);
            line.ascii('\n');
        } catch (RuntimeException e) {
            log.error("Cannot format audit record {}; not written", record.getRequestId(), e);
            return;
        }
        while (true) {
            try {
                if (reopenRequested) {
                    reopenRequested = false;
                    output.reopen();
                }
                output.writeLine(line.array(), line.length());
                try {
                    observer.accept(record);
                } catch (RuntimeException e) {
                    log.warn("audit observer failed on record {}", record.getRequestId(), e);
                }
                written.incrementAndGet();
                consecutiveFailures = 0;
                return;
            } catch (IOException e) {
                consecutiveFailures++;
                if (consecutiveFailures == 1) {
                    log.error("Cannot write audit log {}; retrying, callers block when the queue is full",
                            target, e);
                }
                // Closing must end: after a few failures, each remaining record gets one attempt.
                if (closing && consecutiveFailures >= ATTEMPTS_WHILE_CLOSING) {
                    log.error("Audit log {} closing with a write failure; unwritten record: {}",
                            target, line.toString().stripTrailing());
                    return;
                }
                pause();
                reopenRequested = true; // a fresh handle may work again (file deleted, disk remounted)
            }
        }
    }

    private void flush() {
        try {
            output.flush();
        } catch (IOException e) {
            log.error("Cannot flush audit log {}", target, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryPauseMillis);
        } catch (InterruptedException e) {
            // nobody interrupts this thread
        }
    }
}
