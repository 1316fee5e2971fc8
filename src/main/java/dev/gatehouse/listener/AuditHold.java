package dev.gatehouse.listener;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Keeps an exchange's audit record open while anyone still works on the access. The exchange itself
 * holds it until it completes; a forwarding virtual thread or a tunnel takes another hold. Undertow can
 * complete an exchange (a client reset, say) while the forwarding thread is still copying, and the record
 * must wait for that thread's verdict (aborted, upstream failed) before it is written; the last release
 * writes it ({@link #finish()}).
 *
 * <p>A subclass rather than a wrapped {@code Runnable} and an {@code AtomicInteger}, so that the hold is
 * one object per exchange: {@link AuditHandler}'s is its exchange-completion listener too.
 */
abstract class AuditHold {
    private static final AtomicIntegerFieldUpdater<AuditHold> HOLDS =
            AtomicIntegerFieldUpdater.newUpdater(AuditHold.class, "holds");
    @SuppressWarnings("unused") // through HOLDS
    private volatile int holds = 1;

    void hold() {
        HOLDS.incrementAndGet(this);
    }

    void release() {
        if (HOLDS.decrementAndGet(this) == 0) finish();
    }

    /** Runs once, on the thread that lets go of the last hold. */
    abstract void finish();
}
