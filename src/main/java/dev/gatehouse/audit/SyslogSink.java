package dev.gatehouse.audit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A best-effort copy of the audit log to a syslog collector (a SIEM), one RFC 5424 message per record
 * ({@link SyslogMessage}), over TCP or UDP ({@link SyslogTransport}).
 *
 * <p><b>The file is the system of record; this copy never slows it.</b> {@link AuditLog} hands each record to
 * {@link #accept} on its writer thread once the record's line is in the file ({@link AuditLog#observe}). That only
 * offers the record to this sink's own bounded queue: when the queue is full (the collector is down, slow, or
 * accepts and never reads) the record is dropped <em>for syslog only</em> and counted ({@link #droppedCount}), and a
 * warning naming how many were dropped is logged at most once per {@code warnIntervalMillis}. Requests and the file
 * writer never wait for the collector.
 *
 * <p>One sender thread formats each record with its own formatter (the same format gives the same line as the file),
 * frames it and sends it. A collector that cannot be reached is tried again with backoff (doubling from
 * {@code backoffMillis} up to {@code maxBackoffMillis}); records wait in the queue meanwhile and go out after the
 * reconnection. A message whose send failed is sent again on the new connection (a collector may then see it
 * twice; over TCP, what the kernel had buffered for a connection that broke is lost, as with any syslog sender).
 *
 * <p>{@link #close()} lets the sender deliver what the queue holds for up to {@code closeMillis}, then closes the
 * connection (which ends a send blocked on a stalled collector) and counts what is left as dropped.
 */
public final class SyslogSink implements Consumer<AuditRecord>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyslogSink.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** How long the sender waits on an empty queue before it looks at {@link #closing} again. */
    private static final long POLL_MILLIS = 200;

    /** How messages are carried. */
    public enum Transport { TCP, UDP }

    private final Transport transport;
    private final String host;
    private final int port;
    private final SyslogMessage message;
    private final AuditFormatter formatter;
    private final BlockingQueue<AuditRecord> queue;
    private final Thread sender;
    private final long backoffMillis;
    private final long maxBackoffMillis;
    private final long warnIntervalMillis;
    private final long closeMillis;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile SyslogTransport connection;
    private volatile boolean closing;
    /** Set when {@link #close} stops waiting: the sender ends at once, its failures are expected. */
    private volatile boolean abandoned;
    /** Writer thread only ({@link #accept}): drops already named in a warning, and when. */
    private long droppedWarned;
    private long lastWarnMillis;

    /**
     * Starts the sender thread; the first connection is made there, so a collector that is down does not delay
     * startup.
     *
     * @param formatter     formats each record's line (the audit log's own format gives the file's line)
     * @param queueCapacity records that may wait for the collector; more are dropped and counted
     */
    public static SyslogSink start(Transport transport, String host, int port, SyslogMessage message,
                                   AuditFormatter formatter, int queueCapacity) {
        return new SyslogSink(transport, host, port, message, formatter, queueCapacity, 250, 30_000, 60_000, 2_000);
    }

    SyslogSink(Transport transport, String host, int port, SyslogMessage message, AuditFormatter formatter,
               int queueCapacity, long backoffMillis, long maxBackoffMillis, long warnIntervalMillis, long closeMillis) {
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1: " + queueCapacity);
        this.transport = Objects.requireNonNull(transport, "transport");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.message = Objects.requireNonNull(message, "message");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.backoffMillis = backoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.warnIntervalMillis = warnIntervalMillis;
        this.closeMillis = closeMillis;
        this.lastWarnMillis = System.currentTimeMillis() - warnIntervalMillis;
        this.sender = Thread.ofPlatform().name("gatehouse-syslog-sender").daemon(true).unstarted(this::send);
        sender.start();
    }

    /** Offers a written record for sending; never blocks. Called on the audit writer thread. */
    @Override
    public void accept(AuditRecord record) {
        if (closing || !queue.offer(record)) {
            dropped.incrementAndGet();
            warnOfDrops();
        }
    }

    /** At most one warning per interval, naming the drops since the last one. */
    private void warnOfDrops() {
        long now = System.currentTimeMillis();
        if (now - lastWarnMillis < warnIntervalMillis) return;
        long total = dropped.get();
        log.warn("syslog: {} audit records not sent to {} since {} (its queue of {} is full: the collector is down, "
                        + "slow or not reading); the audit file has them all; {} dropped since start",
                total - droppedWarned, target(), droppedWarned == 0 ? "start" : "the last warning",
                queue.remainingCapacity() + queue.size(), total);
        droppedWarned = total;
        lastWarnMillis = now;
    }

    /** Records sent to the collector so far. */
    public long sentCount() {
        return sent.get();
    }

    /** Records not sent to the collector (its queue was full, or shutdown came first); the file has them. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Records waiting for the sender thread. */
    public int queueDepth() {
        return queue.size();
    }

    /** Whether a connection (TCP) or socket (UDP) to the collector is open. */
    public boolean connected() {
        return connection != null;
    }

    /** {@code tcp://host:port} or {@code udp://host:port}, for messages. */
    public String target() {
        return transport.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + port;
    }

    private void send() {
        LineBuffer line = new LineBuffer(512);
        LineBuffer out = new LineBuffer(768);
        AuditRecord pending = null;
        long backoff = backoffMillis;
        boolean outage = false;
        while (!abandoned) {
            if (pending == null) {
                pending = poll();
                if (pending == null) {
                    if (closing) break;
                    continue;
                }
            }
            if (connection == null) {
                try {
                    connection = connect();
                    if (outage) log.info("syslog: connected to {} again", target());
                    outage = false;
                    backoff = backoffMillis;
                } catch (IOException e) {
                    if (!outage) log.warn("syslog: cannot reach {}, retrying with backoff: {}", target(), e.toString());
                    outage = true;
                    if (closing) break; // no collector at shutdown: waiting out the close time would not help
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, maxBackoffMillis);
                    continue;
                }
            }
            if (!build(pending, line, out)) {
                pending = null;
                continue;
            }
            try {
                connection.send(out.array(), out.length());
                sent.incrementAndGet();
                pending = null;
                if (queue.isEmpty()) connection.flush();
            } catch (IOException e) {
                if (abandoned) break;
                log.warn("syslog: sending to {} failed, reconnecting: {}", target(), e.toString());
                outage = true;
                disconnect();
            }
        }
        if (pending != null) dropped.incrementAndGet();
        if (!abandoned && connection != null) {
            try {
                connection.flush();
            } catch (IOException e) {
                log.warn("syslog: flushing to {} at shutdown failed: {}", target(), e.toString());
            }
        }
        disconnect();
    }

    private SyslogTransport connect() throws IOException {
        InetSocketAddress collector = new InetSocketAddress(host, port); // resolved on each attempt: DNS may move it
        return switch (transport) {
            case TCP -> SyslogTransport.Tcp.connect(collector, CONNECT_TIMEOUT_MILLIS);
            case UDP -> SyslogTransport.Udp.open(collector);
        };
    }

    /** The message for {@code record} into {@code out}; false (logged, dropped) if the formatter failed. */
    private boolean build(AuditRecord record, LineBuffer line, LineBuffer out) {
        try {
            line.clear();
            formatter.append(record, line);
            message.build(record.endEpochMillis(), line, out);
            return true;
        } catch (RuntimeException e) {
            log.error("syslog: cannot format audit record {}; not sent", record.getRequestId(), e);
            dropped.incrementAndGet();
            return false;
        }
    }

    private AuditRecord poll() {
        try {
            return queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return queue.poll(); // close() interrupts: what is queued still goes, then the loop ends
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // close() interrupts a backoff; the loop condition decides
        }
    }

    private void disconnect() {
        SyslogTransport c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a broken connection: nothing left to save
            }
        }
    }

    /**
     * Sends what the queue holds for up to the close time, then stops the sender (closing a connection it is
     * blocked on) and counts the records left as dropped. Call after {@link AuditLog#close()}, so every written
     * record has been offered. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        sender.interrupt(); // ends a backoff sleep so the queue gets its chance at once
        join(closeMillis);
        if (sender.isAlive()) {
            abandoned = true;
            disconnect(); // unblocks a send to a collector that stopped reading
            sender.interrupt();
            join(1_000);
        }
        int left = queue.size();
        queue.clear();
        dropped.addAndGet(left);
        if (dropped.get() > 0) {
            log.warn("syslog: closed; {} audit records sent to {}, {} not sent (the audit file has them all)",
                    sent.get(), target(), dropped.get());
        }
    }

    private void join(long millis) {
        try {
            sender.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
