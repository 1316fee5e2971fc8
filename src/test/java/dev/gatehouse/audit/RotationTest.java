package dev.gatehouse.audit;

import static dev.gatehouse.audit.AuditLogTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOV_23_NOON = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sizeRotationMovesWholeLinesIntoDatedNumberedFiles() throws Exception {
        Path file = dir.resolve("access.log");
        long line = lineLength("r0");
        FakeClock clock = new FakeClock(NOV_23_NOON, ZoneOffset.UTC);

        writeAll(new AuditLog.Options(file, AuditLog.Format.JSON, 3 * line, false, 0, 4, clock), 10);

        assertEquals(List.of("access.log", "access.log.2026-11-23", "access.log.2026-11-23.1", "access.log.2026-11-23.2"),
                names());
        assertEquals(List.of("r0", "r1", "r2"), ids("access.log.2026-11-23"));
        assertEquals(List.of("r3", "r4", "r5"), ids("access.log.2026-11-23.1"));
        assertEquals(List.of("r6", "r7", "r8"), ids("access.log.2026-11-23.2"));
        assertEquals(List.of("r9"), ids("access.log"));
        for (String name : names()) {
            assertTrue(Files.size(dir.resolve(name)) <= 3 * line, name);
        }
    }

    @Test
    void retentionKeepsOnlyTheNewestRotatedFiles() throws Exception {
        Path file = dir.resolve("access.log");
        long line = lineLength("r0");
        Files.writeString(dir.resolve("access.log.1.gz"), "not ours"); // an external logrotate's file
        FakeClock clock = new FakeClock(NOV_23_NOON, ZoneOffset.UTC);

        writeAll(new AuditLog.Options(file, AuditLog.Format.JSON, 2 * line, false, 2, 4, clock), 10);

        assertEquals(List.of("access.log", "access.log.1.gz", "access.log.2026-11-23.2", "access.log.2026-11-23.3"),
                names());
        assertEquals(List.of("r4", "r5"), ids("access.log.2026-11-23.2"));
        assertEquals(List.of("r6", "r7"), ids("access.log.2026-11-23.3"));
        assertEquals(List.of("r8", "r9"), ids("access.log"));
    }

    @Test
    void dailyRotationHappensAtLocalMidnightNotUtcMidnight() throws Exception {
        Path file = dir.resolve("access.log");
        // 22:30 UTC is 23:30 in Berlin; an hour later it is the 24th there but still the 23rd in UTC.
        FakeClock clock = new FakeClock(Instant.parse("2026-11-23T22:30:00Z"), ZoneId.of("Europe/Berlin"));

        try (AuditLog log = AuditLog.open(new AuditLog.Options(file, AuditLog.Format.JSON, 0, true, 0, 4, clock))) {
            log.write(AuditRecords.numbered("r0"));
            log.write(AuditRecords.numbered("r1"));
            awaitTrue(() -> log.writtenCount() == 2);
            clock.advance(Duration.ofHours(1));
            log.write(AuditRecords.numbered("r2"));
            awaitTrue(() -> log.writtenCount() == 3);
            clock.advance(Duration.ofDays(1));
            log.write(AuditRecords.numbered("r3"));
        }

        assertEquals(List.of("access.log", "access.log.2026-11-23", "access.log.2026-11-24"), names());
        assertEquals(List.of("r0", "r1"), ids("access.log.2026-11-23"));
        assertEquals(List.of("r2"), ids("access.log.2026-11-24"));
        assertEquals(List.of("r3"), ids("access.log"));
    }

    @Test
    void yesterdaysFileFoundAtStartIsRotatedByTodaysFirstRecord() throws Exception {
        Path file = dir.resolve("access.log");
        Files.writeString(file, jsonLine("old"));
        Files.setLastModifiedTime(file, FileTime.from(NOV_23_NOON.minus(Duration.ofDays(1))));
        FakeClock clock = new FakeClock(NOV_23_NOON, ZoneOffset.UTC);

        writeAll(new AuditLog.Options(file, AuditLog.Format.JSON, 0, true, 0, 4, clock), 1);

        assertEquals(List.of("access.log", "access.log.2026-11-22"), names());
        assertEquals(List.of("old"), ids("access.log.2026-11-22"));
        assertEquals(List.of("r0"), ids("access.log"));
    }

    private static void writeAll(AuditLog.Options options, int count) throws IOException {
        try (AuditLog log = AuditLog.open(options)) {
            for (int i = 0; i < count; i++) {
                log.write(AuditRecords.numbered("r" + i));
            }
        }
    }

    private static String jsonLine(String id) {
        return new JsonLinesFormatter().format(AuditRecords.numbered(id)) + "\n";
    }

    private static long lineLength(String id) {
        return jsonLine(id).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Request ids of the file's lines, in order; fails on a line that is not whole JSON. */
    private List<String> ids(String name) throws IOException {
        String text = Files.readString(dir.resolve(name));
        assertTrue(text.endsWith("\n"), name + " ends with a whole line");
        List<String> ids = new ArrayList<>();
        for (String line : text.split("\n")) {
            ids.add(JSON.readTree(line).get("requestId").asText());
        }
        return ids;
    }
}
