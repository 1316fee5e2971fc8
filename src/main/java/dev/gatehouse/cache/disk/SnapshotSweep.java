package dev.gatehouse.cache.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.cache.CacheKey;

/**
 * After a start from the {@link IndexSnapshot}, deletes once, in the background, the entry files the index does not
 * hold: files the snapshot does not name (another process sharing the directory, a backup restored, a hand) would
 * otherwise sit on disk, not counted against the bound, until the next scan. It reads the directory listings, and
 * a metadata file only where a name does not settle it: a fraction of a scan, which the start does not wait for.
 *
 * <p>A file of a generation up to the snapshot's highest belongs to the snapshot or to no one: this process numbers
 * its commits above it, so nothing can index that file later, and one the snapshot does not name is deleted as
 * found. A higher generation is this process's commit, perhaps under way, or a stranger's: it is kept if the index
 * holds it, and otherwise deleted only after checking again with commits and updates held off (the store's commit
 * lock, written), when no body can be in place without its metadata and index entry yet.
 */
final class SnapshotSweep implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSweep.class);

    private final EntryFiles files;
    private final Map<CacheKey, Indexed> snapshot;
    private final long snapshotGeneration;
    private final BiPredicate<CacheKey, Long> indexed;
    private final ReentrantReadWriteLock commits;

    /**
     * A sweep of {@code files} for a store started from {@code snapshot}, whose highest generation was
     * {@code snapshotGeneration}; {@code indexed} tells whether the store's index holds a generation of a key now,
     * and {@code commits} is the lock its commits and updates hold shared.
     */
    SnapshotSweep(EntryFiles files, Map<CacheKey, Indexed> snapshot, long snapshotGeneration,
                  BiPredicate<CacheKey, Long> indexed, ReentrantReadWriteLock commits) {
        this.files = files;
        this.snapshot = snapshot;
        this.snapshotGeneration = snapshotGeneration;
        this.indexed = indexed;
        this.commits = commits;
    }

    @Override
    public void run() {
        Set<String> named = new HashSet<>(); // file names without their suffix
        snapshot.forEach((key, entry) -> named.add(EntryFiles.hash(key) + "-" + entry.generation()));
        List<Path> deleted = new ArrayList<>();
        List<Path> later = new ArrayList<>();
        try {
            for (Path shard : files.shards(new ArrayList<>())) {
                for (Path file : IndexRebuild.listShard(shard).orElse(List.of())) {
                    Matcher name = EntryFiles.NAME.matcher(file.getFileName().toString());
                    if (!name.matches()) {
                        continue; // a stranger's file, left alone as a scan leaves it
                    }
                    long generation = Long.parseLong(name.group(2));
                    if (generation > snapshotGeneration) {
                        if (!indexed(file, name)) {
                            later.add(file);
                        }
                    } else if (!named.contains(name.group(1) + "-" + generation) && delete(file)) {
                        deleted.add(file);
                    }
                }
            }
        } catch (IOException e) {
            log.info("cache: could not look for files the index snapshot does not name under {} ({})", files.root(), e.toString());
        }
        deleteIfStillUnindexed(later, deleted);
        if (!deleted.isEmpty()) {
            log.info("cache: deleted {} entry file(s) under {} that the index snapshot did not name: {}", deleted.size(),
                    files.root(), deleted.size() <= 3 ? deleted : deleted.subList(0, 3) + " ...");
        }
    }

    /** Deletes those of {@code files} the index still does not hold once no commit is under way. */
    private void deleteIfStillUnindexed(List<Path> files, List<Path> deleted) {
        if (files.isEmpty() || commits.getReadHoldCount() > 0) {
            return; // run by a committing thread (an executor that runs tasks in place): left for the next scan
        }
        commits.writeLock().lock();
        try {
            for (Path file : files) {
                Matcher name = EntryFiles.NAME.matcher(file.getFileName().toString());
                if (name.matches() && !indexed(file, name) && delete(file)) {
                    deleted.add(file);
                }
            }
        } finally {
            commits.writeLock().unlock();
        }
    }

    /** Whether the index holds the generation of the entry {@code file} (whose name matched as {@code name}) belongs to. */
    private boolean indexed(Path file, Matcher name) {
        try {
            CacheKey key = MetaFile.decode(MetaFile.readBytes(file.resolveSibling(name.group(1) + "-" + name.group(2) + ".meta"))).key();
            return EntryFiles.hash(key).equals(name.group(1)) && indexed.test(key, Long.parseLong(name.group(2)));
        } catch (IOException e) {
            return false; // no metadata (a body left alone, or a commit under way: checked again) or a broken one
        }
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false; // a directory with an entry's name, say: left alone
        }
    }
}
