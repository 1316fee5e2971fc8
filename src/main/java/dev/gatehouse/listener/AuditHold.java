package dev.gatehouse.listener;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delays writing an exchange's audit record until the exchange has ended <em>and</em> every handler
 * still working on it from another thread has let go. When a client disconnects mid-response, Undertow
 * ends the exchange on its IO thread while the forwarding thread is still about to record why (client
 * aborted, origin failed); written at that moment, the record would miss the outcome, and the late
 * changes would race with the audit writer formatting it.
 */
final class AuditHold {
    /** The exchange itself holds until it completes. */
    private final AtomicInteger holders = new AtomicInteger(1);
    private final Runnable finish;

    AuditHold(Runnable finish) {
        this.finish = finish;
    }

    /** Takes a hold; false if the record was already finished (the exchange ended first). */
    boolean hold() {
        while (true) {
            int n = holders.get();
            if (n == 0) return false;
            if (holders.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Lets go; the last one out finishes the record, on its own thread. */
    void release() {
        if (holders.decrementAndGet() == 0) finish.run();
    }
}
