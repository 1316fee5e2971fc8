package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The syslog copy through real loopback sockets: delivery, reconnection, and never blocking its caller. */
// A separate thread: a sink that blocked its caller would hold the test method forever.
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyslogSinkTest {
    private static final SyslogMessage MESSAGE = new SyslogMessage(20, 6, "proxy1", "gatehouse", "7", ZoneOffset.UTC);
    private static final AuditFormatter FORMAT = AuditLog.Format.JSON.formatter(ZoneOffset.UTC);

    private static SyslogSink sink(int port, int queueCapacity) {
        return new SyslogSink(SyslogSink.Transport.TCP, "127.0.0.1", port, MESSAGE, FORMAT, queueCapacity,
                50, 200, 60_000, 1_000);
    }

    @Test
    void eachRecordArrivesAsOneFramedMessageWithTheFilesLine() throws Exception {
        try (SyslogCollector collector = SyslogCollector.start(); SyslogSink sink = sink(collector.port(), 16)) {
            sink.accept(AuditRecords.miss());
            sink.accept(AuditRecords.denied());
            List<String> got = collector.await(2, 10);
            assertEquals("<166>1 " + SyslogMessage.timestamp(AuditRecords.miss().endEpochMillis(), ZoneOffset.UTC)
                    + " proxy1 gatehouse 7 access - " + FORMAT.format(AuditRecords.miss()), got.get(0));
            assertTrue(got.get(1).endsWith(" access - " + FORMAT.format(AuditRecords.denied())), got.get(1));
            assertEquals(2, sink.sentCount());
            assertEquals(0, sink.droppedCount());
        }
    }

    @Test
    void aCollectorThatIsDownAtStartGetsTheQueuedRecordsOnceItAppears() throws Exception {
        int port = SyslogCollector.freePort();
        try (SyslogSink sink = sink(port, 16)) {
            for (int i = 0; i < 3; i++) sink.accept(AuditRecords.miss());
            Thread.sleep(300); // a few failed attempts
            assertEquals(0, sink.sentCount());
            assertEquals(3, sink.queueDepth() + 1, "the record being tried waits outside the queue");
            try (SyslogCollector collector = SyslogCollector.startOn(port)) {
                assertEquals(3, collector.await(3, 10).size());
                sink.accept(AuditRecords.denied());
                assertTrue(collector.await(1, 10).get(0).contains("TCP_DENIED"));
            }
            assertEquals(0, sink.droppedCount());
        }
    }

    @Test
    void aStalledCollectorNeverBlocksTheCallerAndTheDropsAreCountedAndNamed() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(SyslogSink.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        int total = 100_000;
        try (SyslogCollector collector = SyslogCollector.stalled()) {
            SyslogSink sink = sink(collector.port(), 16);
            long started = System.nanoTime();
            for (int i = 0; i < total; i++) sink.accept(AuditRecords.miss());
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 3_000, "offering " + total + " records took " + tookMillis + " ms");
            assertTrue(sink.droppedCount() > total / 2, "dropped " + sink.droppedCount());
            long closeStarted = System.nanoTime();
            sink.close();
            long closeMillis = (System.nanoTime() - closeStarted) / 1_000_000;
            assertTrue(closeMillis < 3_000, "close took " + closeMillis + " ms on a stalled collector");
            assertEquals(total, sink.sentCount() + sink.droppedCount(), "every record is either sent or counted");
        } finally {
            logger.detachAppender(logs);
        }
        List<String> warnings = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("not sent to")).toList();
        assertEquals(1, warnings.size(), "one warning per interval: " + warnings);
        assertTrue(warnings.get(0).matches("syslog: \\d+ audit records not sent to tcp://127\\.0\\.0\\.1:\\d+ since start .*"),
                warnings.get(0));
    }

    @Test
    void overUdpEachRecordIsOneDatagramWithoutFraming() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            collector.setSoTimeout(10_000);
            try (SyslogSink sink = new SyslogSink(SyslogSink.Transport.UDP, "127.0.0.1", collector.getLocalPort(), MESSAGE, FORMAT,
                    16, 50, 200, 60_000, 1_000)) {
                sink.accept(AuditRecords.miss());
                sink.accept(AuditRecords.denied());
                for (AuditRecord r : List.of(AuditRecords.miss(), AuditRecords.denied())) {
                    DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
                    collector.receive(packet);
                    String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    assertEquals("<166>1 " + SyslogMessage.timestamp(r.endEpochMillis(), ZoneOffset.UTC)
                            + " proxy1 gatehouse 7 access - " + FORMAT.format(r), datagram);
                }
            }
        }
    }

    @Test
    void closeDeliversWhatIsQueued() throws IOException, InterruptedException {
        try (SyslogCollector collector = SyslogCollector.start()) {
            SyslogSink sink = sink(collector.port(), 1000);
            for (int i = 0; i < 500; i++) sink.accept(AuditRecords.memHit());
            sink.close();
            assertEquals(500, sink.sentCount());
            assertEquals(500, collector.await(500, 10).size());
        }
    }
}
