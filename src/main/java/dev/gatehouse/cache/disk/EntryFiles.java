package dev.gatehouse.cache.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import dev.gatehouse.cache.CacheKey;

/**
 * Where the disk store's files live (the layout documented on {@link DiskStore}): the shard directory and names
 * of each generation of a key, and the file operations on them: putting a written entry in place, deleting one
 * generation's files or all of a key's. It knows paths, not which generation the index holds.
 */
final class EntryFiles {
    /** An entry file's name: the key's hash, its generation, and which of its two files. */
    static final Pattern NAME = Pattern.compile("([0-9a-f]{64})-(\\d{1,18})\\.(meta|body)");
    /** A shard directory's name: the first two characters of the hashes it holds. */
    static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;
    private final Path tmp;

    EntryFiles(Path root) {
        this.root = root;
        this.tmp = root.resolve("tmp");
    }

    /** The store's directory. */
    Path root() {
        return root;
    }

    /** Where files are written before they are renamed into place. */
    Path tmp() {
        return tmp;
    }

    /**
     * The shard directories, found by name alone (whether each can be listed shows when it is: see {@link #list});
     * anything else under the root but {@code tmp/} is added to {@code others}.
     */
    List<Path> shards(List<Path> others) throws IOException {
        List<Path> shards = new ArrayList<>();
        for (Path path : list(root)) {
            if (SHARD.matcher(path.getFileName().toString()).matches()) {
                shards.add(path);
            } else if (!path.equals(tmp)) {
                others.add(path);
            }
        }
        return shards;
    }

    /** What the directory holds, listed in full before any of it is acted on; throws if it cannot be listed. */
    static List<Path> list(Path directory) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(found::add);
        } catch (DirectoryIteratorException e) {
            throw e.getCause(); // an I/O error part-way through the listing
        }
        return found;
    }

    Path meta(CacheKey key, long generation) {
        return entry(hash(key), generation, ".meta");
    }

    Path body(CacheKey key, long generation) {
        return entry(hash(key), generation, ".body");
    }

    private Path entry(String hash, long generation, String suffix) {
        return shard(root, hash).resolve(hash + "-" + generation + suffix);
    }

    private static Path shard(Path root, String hash) {
        return root.resolve(hash.substring(0, 2));
    }

    /** The hex SHA-256 of the key, which names its files. */
    static String hash(CacheKey key) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(key.value().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Puts {@code generation} of {@code key} in place: the body written to {@code temp} (in {@link #tmp()}) is
     * renamed, then the metadata written beside it, last, so a metadata file always has its body. Returns the
     * metadata's length; on failure nothing of this generation is left.
     */
    int place(Path temp, MetaFile meta, long generation) throws IOException {
        Path body = body(meta.key(), generation);
        if (!Files.isDirectory(body.getParent())) {
            Files.createDirectories(body.getParent()); // which, for an existing directory, throws inside first
        }
        Files.move(temp, body, StandardCopyOption.ATOMIC_MOVE);
        try {
            return meta.write(meta(meta.key(), generation), tmp);
        } catch (IOException e) {
            Files.deleteIfExists(body);
            throw e;
        }
    }

    /**
     * Deletes the files of one generation of {@code key}, those that cannot be left for the next start; false if its
     * metadata file was not there (any more).
     */
    boolean delete(CacheKey key, long generation) {
        try {
            boolean found = Files.deleteIfExists(meta(key, generation));
            Files.deleteIfExists(body(key, generation));
            return found;
        } catch (IOException e) {
            return true; // left behind: the next start deletes files that no longer belong to the newest generation
        }
    }

    /** Deletes every file of {@code key} under {@code root}, whatever its generation. */
    static void deleteAll(Path root, CacheKey key) {
        String hash = hash(key);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard(root, hash), hash + "-*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // no such shard; or left, and the removal is applied to the index once it is rebuilt
        }
    }
}
