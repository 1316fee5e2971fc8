package dev.gatehouse.cache.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.cache.CacheKey;

/**
 * Rebuilds the disk index at start: from the {@link IndexSnapshot} a clean close left, else from the metadata files alone, deleting whatever is torn,
 * corrupt, superseded or orphaned (the rules are on {@link DiskStore}). Anything else found (a
 * README, {@code lost+found}, a directory where a file is expected) is left alone, uncounted, and
 * logged in one line: it must not cost the proxy its disk tier. Nor must a shard directory that cannot be
 * listed: it is skipped, with a warning naming it, and the others are indexed.
 *
 * <p>A key's files always live in the same shard directory, so shards are scanned independently,
 * several at a time: the work is file-system calls, which overlap well even on few cores.
 */
final class IndexRebuild {
    private static final int SCAN_THREADS = 8;
    private static final Logger log = LoggerFactory.getLogger(IndexRebuild.class);

    /**
     * The entries found, newest generation per key, the highest generation number seen, what was left alone, and
     * whether they came from the snapshot (or a scan).
     */
    record Result(Map<CacheKey, Indexed> entries, long maxGeneration, List<Path> ignored, boolean fromSnapshot) {
    }

    private record Found(Path meta, Path body, long generation, MetaFile metaFile, int metaLength) {
    }

    private IndexRebuild() {
    }

    /**
     * The index from the snapshot if there is a usable one (emptying {@code tmp}), else from a {@link #scan}; either
     * way without the variants whose URI's list was not found, whose files are deleted.
     */
    static Result rebuild(EntryFiles files) throws IOException {
        Optional<Result> loaded = IndexSnapshot.load(files.root());
        Result found;
        if (loaded.isEmpty()) {
            found = scan(files);
        } else {
            List<Path> ignored = new ArrayList<>();
            deleteAll(files.tmp(), ignored);
            logIgnored(files.root(), ignored);
            found = new Result(loaded.get().entries(), loaded.get().maxGeneration(), ignored, true);
        }
        dropUnlistedVariants(found.entries(), files);
        return found;
    }

    /**
     * Drops the variants whose URI's list of variants is not on disk: purged while the index was rebuilt (the purge
     * deleted the list's files, not knowing the variants', which are stored under keys of their own), evicted, or
     * not yet written when the process stopped. Nothing can reach them. The list's metadata file is looked for, not
     * only its entry: a snapshot's entries are not checked against the files, and a purge may have come after the
     * scan read them.
     */
    private static void dropUnlistedVariants(Map<CacheKey, Indexed> entries, EntryFiles files) {
        Map<CacheKey, Boolean> listed = new HashMap<>();
        entries.entrySet().removeIf(entry -> {
            boolean unlisted = DiskStore.uriKeyOf(entry.getKey())
                    .filter(uri -> !listed.computeIfAbsent(uri, u -> entries.containsKey(u) && Files.exists(files.meta(u, entries.get(u).generation()))))
                    .isPresent();
            if (unlisted) {
                files.delete(entry.getKey(), entry.getValue().generation());
            }
            return unlisted;
        });
    }

    private static Result scan(EntryFiles files) throws IOException {
        List<Path> ignored = new ArrayList<>();
        deleteAll(files.tmp(), ignored);
        List<Path> shards = files.shards(ignored);
        Map<CacheKey, Indexed> entries = new HashMap<>();
        long maxGeneration = 0;
        ExecutorService scanners = Executors.newFixedThreadPool(Math.max(1, Math.min(SCAN_THREADS, shards.size())));
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (Path shard : shards) {
                results.add(scanners.submit(() -> scanShard(shard)));
            }
            for (Future<Result> result : results) {
                entries.putAll(result.get().entries());
                maxGeneration = Math.max(maxGeneration, result.get().maxGeneration());
                ignored.addAll(result.get().ignored());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rebuilding the cache index", e);
        } catch (ExecutionException e) {
            throw new IOException("cannot rebuild the cache index", e.getCause());
        } finally {
            scanners.shutdownNow();
        }
        logIgnored(files.root(), ignored);
        return new Result(entries, maxGeneration, ignored, false);
    }

    private static void logIgnored(Path root, List<Path> ignored) {
        if (!ignored.isEmpty()) {
            log.info("cache: left alone {} file(s) under {} that are not cache entries (not counted against its bound): {}",
                    ignored.size(), root, ignored.size() <= 3 ? ignored : ignored.subList(0, 3) + " ...");
        }
    }

    /**
     * What {@code shard} holds; empty, after a warning naming it, if it cannot be listed (a file or a dangling link
     * where the directory should be, no permission, an I/O error): one shard lost must not cost the proxy its disk
     * tier, and nothing in it is touched.
     */
    static Optional<List<Path>> listShard(Path shard) {
        try {
            return Optional.of(EntryFiles.list(shard));
        } catch (IOException e) {
            log.warn("cache: cannot read the cache directory {} ({}): its entries are left out of the index, not counted "
                    + "against the bound, and responses that belong there are not stored", shard, e.toString());
            return Optional.empty();
        }
    }

    /** The newest entry of each key in {@code shard}, after deleting what cannot be trusted; none if it cannot be listed. */
    private static Result scanShard(Path shard) {
        Optional<List<Path>> listed = listShard(shard);
        if (listed.isEmpty()) {
            return new Result(Map.of(), 0, List.of(), false);
        }
        List<Path> files = listed.get();
        Map<CacheKey, Found> newest = new HashMap<>();
        List<Path> bodies = new ArrayList<>();
        List<Path> ignored = new ArrayList<>();
        long maxGeneration = 0;
        for (Path file : files) {
            Matcher name = EntryFiles.NAME.matcher(file.getFileName().toString());
            if (!name.matches()) {
                ignored.add(file);
                continue;
            }
            long generation = Long.parseLong(name.group(2));
            maxGeneration = Math.max(maxGeneration, generation);
            if (name.group(3).equals("body")) {
                bodies.add(file);
            } else {
                Found found = check(file, name.group(1), generation, ignored);
                if (found != null) {
                    keepNewest(newest, found, ignored);
                }
            }
        }
        Set<Path> kept = new HashSet<>();
        Map<CacheKey, Indexed> entries = new HashMap<>();
        for (Map.Entry<CacheKey, Found> entry : newest.entrySet()) {
            Found found = entry.getValue();
            kept.add(found.body());
            entries.put(entry.getKey(), new Indexed(found.generation(), found.metaFile().bodyLength(), found.metaFile().bodyCrc(),
                    Indexed.weightKib(found.metaFile().bodyLength(), found.metaLength()), false));
        }
        for (Path body : bodies) {
            if (!kept.contains(body)) {
                delete(body, ignored); // orphaned, torn or superseded
            }
        }
        return new Result(entries, maxGeneration, ignored, false);
    }

    /**
     * The entry a metadata file describes, or null (after deleting it) if it cannot be trusted. The length
     * is the one read, not asked again: a removal while the index is rebuilt may delete the files meanwhile.
     */
    private static Found check(Path meta, String hash, long generation, List<Path> ignored) {
        Path body = meta.resolveSibling(hash + "-" + generation + ".body");
        try {
            byte[] bytes = MetaFile.readBytes(meta);
            MetaFile metaFile = MetaFile.decode(bytes);
            BasicFileAttributes bodyFile = Files.readAttributes(body, BasicFileAttributes.class);
            if (EntryFiles.hash(metaFile.key()).equals(hash) && bodyFile.isRegularFile() && bodyFile.size() == metaFile.bodyLength()) {
                return new Found(meta, body, generation, metaFile, bytes.length);
            }
        } catch (IOException e) {
            // corrupt metadata or missing body: dropped below
        }
        delete(meta, ignored);
        return null;
    }

    private static void keepNewest(Map<CacheKey, Found> newest, Found found, List<Path> ignored) {
        Found previous = newest.get(found.metaFile().key());
        if (previous == null || previous.generation() < found.generation()) {
            newest.put(found.metaFile().key(), found);
            if (previous != null) {
                delete(previous.meta(), ignored);
            }
        } else {
            delete(found.meta(), ignored);
        }
    }

    private static void deleteAll(Path directory, List<Path> ignored) throws IOException {
        for (Path file : EntryFiles.list(directory)) {
            delete(file, ignored);
        }
    }

    /** Deletes a file named as the cache's; one that cannot be (a directory someone made, say) is left alone. */
    private static void delete(Path file, List<Path> ignored) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            ignored.add(file);
        }
    }
}
