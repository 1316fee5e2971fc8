package dev.gatehouse.listener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the TLS certificate and key when either file changes (modification time, size or inode: a
 * renamed-in replacement counts too), and swaps a good new pair into the {@link TlsKeyManager}.
 *
 * <p>Renewal tools write the two files one after the other, so a check may see a new certificate beside the
 * old key. A pair that fails to load is therefore retried at every check, and only when it fails again with
 * the files unchanged since the last attempt is it logged as an error (once): the running pair stays.
 * {@link #check()} runs on one scheduler thread, never on an IO thread (it reads files).
 */
final class TlsReloader {
    private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

    /** What identifies one version of a file; a missing file has a null time. */
    private record Stamp(FileTime modified, long size, Object fileKey) {}

    private final Path certificateFile;
    private final Path keyFile;
    private final TlsKeyManager keys;
    private final Clock clock;
    private List<Stamp> loaded;
    private List<Stamp> failed;
    private boolean failureLogged;

    TlsReloader(Path certificateFile, Path keyFile, TlsKeyManager keys, Clock clock) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.keys = keys;
        this.clock = clock;
        this.loaded = stamps(); // taken after the initial load: a change in between shows at the first check
    }

    /** Loads the pair if a file changed since the last check. */
    void check() {
        List<Stamp> now = stamps();
        if (now.equals(loaded)) {
            failed = null;
            return;
        }
        TlsCredentials next;
        try {
            next = TlsCredentials.load(certificateFile, keyFile, clock.instant());
        } catch (TlsCredentials.LoadException e) {
            if (!now.equals(failed)) {
                failed = now;
                failureLogged = false;
                log.info("tls: changed files cannot be loaded yet ({}); trying again at the next check", e.getMessage());
            } else if (!failureLogged) {
                failureLogged = true;
                log.error("tls: {}; still serving the previous certificate", e.getMessage());
            }
            return;
        }
        keys.swap(next);
        loaded = now;
        failed = null;
        log.info("tls: now serving certificate {} from {}", next.summary(), certificateFile);
        next.warnings().forEach(w -> log.warn("tls: {}", w));
    }

    private List<Stamp> stamps() {
        return List.of(stamp(certificateFile), stamp(keyFile));
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return new Stamp(null, -1, null);
        } catch (IOException e) {
            return new Stamp(null, -2, e.toString());
        }
    }
}
