package dev.gatehouse.listener;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps an exchange's audit record open while anyone still works on the access. The exchange itself
 * holds it until it completes; a forwarding virtual thread or a tunnel takes another hold. Undertow can
 * complete an exchange (a client reset, say) while the forwarding thread is still copying, and the record
 * must wait for that thread's verdict (aborted, upstream failed) before it is written; the last release
 * writes it.
 */
final class AuditHold {
    private final AtomicInteger holds = new AtomicInteger(1);
    private final Runnable finish;

    AuditHold(Runnable finish) {
        this.finish = finish;
    }

    void hold() {
        holds.incrementAndGet();
    }

    void release() {
        if (holds.decrementAndGet() == 0) finish.run();
    }
}
