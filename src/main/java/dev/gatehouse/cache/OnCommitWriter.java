package dev.gatehouse.cache;

import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A writer ({@link HttpCache#writer}) whose commit changes the URI's variants too, under the URI's lock so that
 * such changes never interleave: listing a new variant once its body is committed (so the list names only stored
 * bodies), or dropping the variants a response without {@code Vary} replaces. A response fetched before its URI
 * was invalidated (RFC 9111 §4.4) is aborted instead of committed.
 */
final class OnCommitWriter implements CacheStore.Writer {
    private final CacheStore.Writer writer;
    /** The claim of the lookup the response was fetched after: whether the URI was invalidated since. */
    private final InFlightFetches.Ticket ticket;
    /** The URI's lock, under which commits and invalidations of it take turns. */
    private final ReentrantLock uriLock;
    private final Predicate<CacheStore.Writer> commit;
    /** This writer holds the lookup's ticket until it is done, so invalidations are still seen once the lookup is closed. */
    private final AtomicBoolean holdsTicket;

    /**
     * @param looked  the lookup the response was fetched after (a share of its ticket is taken here)
     * @param uriLock the lock of the URI {@code looked} is for
     * @param commit  commits {@code writer} and changes the URI's variants; true if committed
     */
    OnCommitWriter(CacheStore.Writer writer, CacheLookup looked, ReentrantLock uriLock, Predicate<CacheStore.Writer> commit) {
        this.writer = writer;
        this.ticket = looked.ticket();
        this.uriLock = uriLock;
        this.commit = commit;
        this.holdsTicket = new AtomicBoolean(ticket != null && ticket.retain());
    }

    private boolean invalidated() {
        return !holdsTicket.get() || ticket.invalidated();
    }

    private void done() {
        if (holdsTicket.compareAndSet(true, false)) ticket.release();
    }

    @Override
    public OutputStream body() {
        return writer.body();
    }

    @Override
    public boolean commit() {
        uriLock.lock();
        try {
            if (invalidated()) {
                writer.abort(); // fetched before an invalidation of the URI (§4.4)
                return false;
            }
            return commit.test(writer);
        } finally {
            uriLock.unlock();
            done();
        }
    }

    @Override
    public void abort() {
        writer.abort();
        done();
    }

    @Override
    public boolean storing() {
        return writer.storing();
    }

    @Override
    public void close() {
        writer.close();
        done();
    }
}
