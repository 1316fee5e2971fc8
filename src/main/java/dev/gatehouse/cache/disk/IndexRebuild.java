package dev.gatehouse.cache.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.cache.CacheKey;

/**
 * Rebuilds the disk index at start from the metadata files alone, deleting whatever is torn,
 * corrupt, superseded or orphaned (the rules are on {@link DiskStore}).
 *
 * <p>A key's files always live in the same shard directory, so shards are scanned independently,
 * several at a time: the work is file-system calls, which overlap well even on few cores.
 */
final class IndexRebuild {
    private static final Pattern ENTRY_FILE = Pattern.compile("([0-9a-f]{64})-(\\d{1,18})\\.(meta|body)");
    private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");
    private static final int SCAN_THREADS = 8;

    /** The entries found, newest generation per key, and the highest generation number seen. */
    record Result(Map<CacheKey, Indexed> entries, long maxGeneration) {
    }

    private record Found(Path meta, Path body, long generation, MetaFile metaFile) {
    }

    private IndexRebuild() {
    }

    static Result scan(Path root, Path tmp) throws IOException {
        deleteAll(tmp);
        List<Path> shards = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, path -> SHARD.matcher(path.getFileName().toString()).matches())) {
            dirs.forEach(shards::add);
        }
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
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rebuilding the cache index", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException("cannot rebuild the cache index", e.getCause());
        } finally {
            scanners.shutdownNow();
        }
        return new Result(entries, maxGeneration);
    }

    private static Result scanShard(Path shard) {
        try {
            Map<CacheKey, Found> newest = new HashMap<>();
            List<Path> bodies = new ArrayList<>();
            long maxGeneration = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                for (Path file : files) {
                    Matcher name = ENTRY_FILE.matcher(file.getFileName().toString());
                    if (!name.matches()) {
                        continue;
                    }
                    long generation = Long.parseLong(name.group(2));
                    maxGeneration = Math.max(maxGeneration, generation);
                    if (name.group(3).equals("body")) {
                        bodies.add(file);
                    } else {
                        Found found = check(file, name.group(1), generation);
                        if (found != null) {
                            keepNewest(newest, found);
                        }
                    }
                }
            }
            Set<Path> kept = new HashSet<>();
            Map<CacheKey, Indexed> entries = new HashMap<>();
            for (Map.Entry<CacheKey, Found> entry : newest.entrySet()) {
                Found found = entry.getValue();
                kept.add(found.body());
                entries.put(entry.getKey(), new Indexed(found.generation(), found.metaFile().bodyLength(), found.metaFile().bodyCrc(),
                        Indexed.weightKib(found.metaFile().bodyLength(), Files.size(found.meta())), false));
            }
            for (Path body : bodies) {
                if (!kept.contains(body)) {
                    Files.deleteIfExists(body); // orphaned, torn or superseded
                }
            }
            return new Result(entries, maxGeneration);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry a metadata file describes, or null (after deleting it) if it cannot be trusted. */
    private static Found check(Path meta, String hash, long generation) throws IOException {
        Path body = meta.resolveSibling(hash + "-" + generation + ".body");
        try {
            MetaFile metaFile = MetaFile.read(meta);
            if (DiskStore.hash(metaFile.key()).equals(hash) && Files.size(body) == metaFile.bodyLength()) {
                return new Found(meta, body, generation, metaFile);
            }
        } catch (IOException e) {
            // corrupt metadata or missing body: dropped below
        }
        Files.deleteIfExists(meta);
        return null;
    }

    private static void keepNewest(Map<CacheKey, Found> newest, Found found) throws IOException {
        Found previous = newest.get(found.metaFile().key());
        if (previous == null || previous.generation() < found.generation()) {
            newest.put(found.metaFile().key(), found);
            if (previous != null) {
                Files.deleteIfExists(previous.meta());
            }
        } else {
            Files.deleteIfExists(found.meta());
        }
    }

    private static void deleteAll(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
