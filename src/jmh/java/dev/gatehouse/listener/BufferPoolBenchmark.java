package dev.gatehouse.listener;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DefaultByteBufferPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a cache hit asks of the listener's buffer pool: a read buffer and a write buffer taken and
 * returned, with {@link SlotBufferPool} against the Undertow pool it replaced, configured as ProxyServer
 * had it (16 KiB direct, 256 kept, no thread-local cache). Run with {@code -t2} too: two IO threads
 * share one pool.
 *
 * <pre>{@code
 * scripts/jmh BufferPoolBenchmark
 * scripts/jmh BufferPoolBenchmark -t2
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class BufferPoolBenchmark {
    @Param({"slot", "undertow"})
    public String pool;

    private ByteBufferPool buffers;

    @Setup
    public void setUp() {
        buffers = pool.equals("slot")
                ? new SlotBufferPool(true, 16 * 1024, 256)
                : new DefaultByteBufferPool(true, 16 * 1024, 256, 0);
    }

    @TearDown
    public void tearDown() {
        buffers.close();
    }

    @Benchmark
    public int readThenWrite() {
        int n;
        try (PooledByteBuffer read = buffers.allocate()) {
            read.getBuffer().put((byte) 1);
            try (PooledByteBuffer write = buffers.allocate()) {
                write.getBuffer().put((byte) 2);
                n = read.getBuffer().position() + write.getBuffer().position();
            }
        }
        return n;
    }
}
