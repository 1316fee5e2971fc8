package dev.gatehouse.cache.disk;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The disk index's executor (its maintenance and the deletion of evicted or replaced files), which a clean close
 * can empty: the snapshot written then must not name files whose deletion is still queued, nor leave files of
 * entries it does not name, which no start would delete.
 */
final class DeletionQueue implements Executor {
    private final Executor executor;
    private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();
    private int running; // guarded by this

    DeletionQueue(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        queued.add(task);
        try {
            executor.execute(this::runNext); // runs some queued task: this one, unless drain() ran it already
        } catch (RejectedExecutionException e) {
            queued.remove(task);
            throw e; // the caller (Caffeine) runs it itself
        }
    }

    /** Runs every queued task on this thread, and waits for those running on others (and what they queue). */
    void drain() throws InterruptedException {
        while (true) {
            while (runNext()) {
                // next
            }
            synchronized (this) {
                if (running == 0 && queued.isEmpty()) {
                    return;
                }
                if (running > 0) {
                    wait();
                }
            }
        }
    }

    private boolean runNext() {
        Runnable task;
        synchronized (this) {
            task = queued.poll();
            if (task == null) {
                return false;
            }
            running++;
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                if (--running == 0) {
                    notifyAll();
                }
            }
        }
        return true;
    }
}
