package dev.gatehouse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The share of one core the benchmark thread actually got during each iteration, reported by JMH as
 * the secondary result {@code :cpu} (CPU seconds per second). On a shared, overloaded machine the
 * wall-clock score mostly measures the neighbours; score ÷ cpu is the rate per CPU second, which is
 * what the "on one core" targets mean ({@code scripts/jmh} prints both). Take it as a benchmark method
 * parameter.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU seconds this thread used in the iteration; JMH divides it by the iteration's length. */
    public double cpu;
    private long startNanos;

    @Setup(Level.Iteration)
    public void start() {
        cpu = 0;
        startNanos = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpu = (THREADS.getCurrentThreadCpuTime() - startNanos) / 1e9;
    }
}
