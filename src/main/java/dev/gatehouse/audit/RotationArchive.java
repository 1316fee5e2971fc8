package dev.gatehouse.audit;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rotated files beside a live log: picks the name for the next one and deletes the oldest
 * beyond the retention count.
 *
 * <p>Naming: {@code access.log.YYYY-MM-DD} for the first file rotated for a day (the local day the
 * file's records started), then {@code access.log.YYYY-MM-DD.1}, {@code .2}… for further size
 * rotations of the same day. Newest is the latest date, then the highest suffix. Files that do not
 * follow this pattern (an external logrotate's {@code .gz}, say) are never touched.
 */
final class RotationArchive {
    private static final Logger log = LoggerFactory.getLogger(RotationArchive.class);

    private static final Comparator<Archived> OLDEST_FIRST =
            Comparator.comparing(Archived::day).thenComparingInt(Archived::sequence);

    private final Path live;
    private final Pattern names;
    private final int retain;

    /** @param retain how many rotated files to keep; 0 keeps all */
    RotationArchive(Path live, int retain) {
        this.live = live;
        this.retain = retain;
        this.names = Pattern.compile(
                Pattern.quote(live.getFileName().toString()) + "\\.(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?");
    }

    /** The name the live file gets when it is rotated now, its records having started on {@code day}. */
    Path nextName(LocalDate day) throws IOException {
        int highest = -1;
        for (Archived a : list()) {
            if (a.day().equals(day)) {
                highest = Math.max(highest, a.sequence());
            }
        }
        String base = live.getFileName() + "." + day;
        return live.resolveSibling(highest < 0 ? base : base + "." + (highest + 1));
    }

    /** Deletes the oldest rotated files so that at most {@code retain} remain. */
    void sweep() throws IOException {
        if (retain <= 0) {
            return;
        }
        List<Archived> all = list();
        all.sort(OLDEST_FIRST);
        for (int i = 0; i < all.size() - retain; i++) {
            Files.deleteIfExists(all.get(i).path());
            log.debug("Deleted rotated audit log {}", all.get(i).path());
        }
    }

    /** The rotated files present now, in no particular order. */
    List<Archived> list() throws IOException {
        List<Archived> found = new ArrayList<>();
        Path dir = live.toAbsolutePath().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = names.matcher(p.getFileName().toString());
                if (m.matches()) {
                    LocalDate day = LocalDate.parse(m.group(1));
                    int seq = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                    found.add(new Archived(p, day, seq));
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return found;
    }

    /** One rotated file: the day its records started and its suffix (0 when none). */
    record Archived(Path path, LocalDate day, int sequence) {}
}
