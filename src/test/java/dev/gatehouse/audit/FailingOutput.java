package dev.gatehouse.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An output whose first {@code failures} writes fail, like a disk that fills up and is then cleared. */
final class FailingOutput implements LineOutput {
    private final AtomicInteger failuresLeft;
    final AtomicInteger reopens = new AtomicInteger();
    final List<String> lines = new CopyOnWriteArrayList<>();

    FailingOutput(int failures) {
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public void writeLine(byte[] line, int length) throws IOException {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IOException("No space left on device");
        }
        lines.add(new String(line, 0, length, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {}

    @Override
    public void reopen() {
        reopens.incrementAndGet();
    }

    @Override
    public void close() {}
}
