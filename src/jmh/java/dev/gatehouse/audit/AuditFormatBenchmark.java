package dev.gatehouse.audit;

import dev.gatehouse.CpuTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One audit line for a typical record (a cache miss with a policy decision and a category, the
 * {@code AuditRecords.miss()} of the formatter tests) in both formats, appended to a reused
 * {@link LineBuffer} as {@link AuditLog}'s writer thread does.
 *
 * <pre>{@code
 * scripts/jmh AuditFormatBenchmark
 * java -jar target/gatehouse-jmh.jar AuditFormatBenchmark -f1 -wi 3 -i 5 -t1
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class AuditFormatBenchmark {
    private final AuditRecord record = AuditRecords.miss();
    private final AuditFormatter json = new JsonLinesFormatter();
    private final AuditFormatter squid = new SquidNativeFormatter();
    private final LineBuffer line = new LineBuffer(512);

    @Benchmark
    public LineBuffer jsonLines(CpuTime cpu) {
        line.clear();
        json.append(record, line);
        return line;
    }

    @Benchmark
    public LineBuffer squidNative(CpuTime cpu) {
        line.clear();
        squid.append(record, line);
        return line;
    }
}
