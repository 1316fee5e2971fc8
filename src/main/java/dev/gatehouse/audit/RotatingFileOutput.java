package dev.gatehouse.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends lines to the live log file and rotates it by size and at local midnight.
 *
 * <p>Rotation happens only between lines, before the line that would cross {@code maxBytes} or the
 * first line of a new day, so a record is never split or lost; a single line longer than
 * {@code maxBytes} gets a file of its own. A file that existed at start is appended to, and its day
 * is taken from its last-modified time, so yesterday's file is rotated by today's first record.
 * Naming and retention: {@link RotationArchive}. Used by the writer thread only.
 */
final class RotatingFileOutput implements LineOutput {
    private static final Logger log = LoggerFactory.getLogger(RotatingFileOutput.class);

    private final Path file;
    private final long maxBytes;
    private final boolean daily;
    private final Clock clock;
    private final RotationArchive archive;

    private OutputStream out;
    private long size;
    private LocalDate fileDay;
    /** Start of the local day after {@code fileDay}: one long comparison per line instead of a date. */
    private long nextMidnightMillis;

    /**
     * @param maxBytes rotate before a line that would make the file larger; 0 or less: no size limit
     * @param daily rotate before the first line written on a later local day (zone of {@code clock})
     * @param retain rotated files to keep; 0 keeps all
     */
    RotatingFileOutput(Path file, long maxBytes, boolean daily, int retain, Clock clock) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.daily = daily;
        this.clock = clock;
        this.archive = new RotationArchive(file, retain);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        open();
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        size = Files.size(file);
        ZoneId zone = clock.getZone();
        fileDay = size > 0
                ? LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), zone)
                : LocalDate.now(clock);
        nextMidnightMillis = fileDay.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    @Override
    public void writeLine(byte[] line, int length) throws IOException {
        if (size > 0 && (tooBigWith(length) || dayEnded())) {
            rotate();
        }
        out.write(line, 0, length);
        size += length;
    }

    private boolean tooBigWith(int lineLength) {
        return maxBytes > 0 && size + lineLength > maxBytes;
    }

    /** Later, not different: a clock set back must not rotate on every line. */
    private boolean dayEnded() {
        return daily && clock.millis() >= nextMidnightMillis;
    }

    private void rotate() throws IOException {
        out.close();
        Path target = archive.nextName(fileDay);
        try {
            Files.move(file, target);
            log.debug("Rotated audit log to {}", target);
        } finally {
            open(); // a failed move leaves the old file live, to be retried on the next line
        }
        try {
            archive.sweep();
        } catch (IOException e) {
            // The record still goes to the new file; old files are swept again at the next rotation.
            log.warn("Cannot delete old rotated audit logs beside {}", file, e);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void reopen() throws IOException {
        out.close();
        open();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
