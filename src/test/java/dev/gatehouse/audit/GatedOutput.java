package dev.gatehouse.audit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** An output that holds the writer thread at its first line until the test opens the gate: a slow disk. */
final class GatedOutput implements LineOutput {
    private final CountDownLatch gate = new CountDownLatch(1);
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    void open() {
        gate.countDown();
    }

    @Override
    public void writeLine(byte[] line, int length) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        lines.add(new String(line, 0, length, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {}

    @Override
    public void reopen() {}

    @Override
    public void close() {
        closed = true;
    }
}
