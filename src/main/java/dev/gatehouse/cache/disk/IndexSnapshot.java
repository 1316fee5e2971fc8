package dev.gatehouse.cache.disk;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.cache.CacheKey;

/**
 * The disk index as written at a clean close, so the next start reads one file instead of every metadata file
 * (Squid's {@code swap.state} does the same). The format is documented on {@link DiskStore}. It is deleted as it
 * is loaded: a process that does not close cleanly leaves none, and the next start scans the files.
 */
final class IndexSnapshot {
    static final String FILE = "index.snapshot";
    static final int MAGIC = 0x47485331; // "GHS1"
    static final int VERSION = 1;
    private static final int MAX_KEY_BYTES = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(IndexSnapshot.class);

    private IndexSnapshot() {
    }

    /** Writes {@code entries} to {@code <root>/index.snapshot} atomically (a file in {@code tmp}, then a rename). */
    static void write(Path root, Path tmp, long maxGeneration, List<Map.Entry<CacheKey, Indexed>> entries) throws IOException {
        Path temp = tmp.resolve(FILE + ".tmp");
        try {
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), new CRC32C());
            try (DataOutputStream out = new DataOutputStream(checked)) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(maxGeneration);
                out.writeInt(entries.size());
                for (Map.Entry<CacheKey, Indexed> entry : entries) {
                    byte[] key = entry.getKey().value().getBytes(StandardCharsets.UTF_8);
                    Indexed indexed = entry.getValue();
                    out.writeInt(key.length);
                    out.write(key);
                    out.writeLong(indexed.generation());
                    out.writeLong(indexed.bodyLength());
                    out.writeInt(indexed.bodyCrc());
                    out.writeInt(indexed.weightKib());
                }
                out.writeInt((int) checked.getChecksum().getValue());
            }
            Files.move(temp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The index the snapshot under {@code root} holds (entries unverified), deleting it; or empty, after one log
     * line saying why, if there is none or it cannot be trusted (torn, corrupt, another version) or deleted.
     */
    static Optional<IndexRebuild.Result> load(Path root) {
        Path file = root.resolve(FILE);
        IndexRebuild.Result result;
        try {
            result = read(file);
        } catch (NoSuchFileException e) {
            log.info("cache: no index snapshot in {} (first start, or the last stop was not clean): scanning the files", root);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.info("cache: index snapshot {} unusable ({}): scanning the files", file, e instanceof EOFException ? "truncated" : e.getMessage());
            deleteQuietly(file);
            return Optional.empty();
        }
        try {
            Files.delete(file); // before the store is used: a crash from here on must lead to a scan
        } catch (IOException e) {
            log.info("cache: index snapshot {} could not be deleted ({}), and a crash would bring it back stale: scanning the files",
                    file, e.toString());
            return Optional.empty();
        }
        return Optional.of(result);
    }

    private static IndexRebuild.Result read(Path file) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), new CRC32C());
        try (DataInputStream in = new DataInputStream(checked)) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IOException("not an index snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("version " + version + ", this build reads " + VERSION);
            }
            long maxGeneration = in.readLong();
            int count = in.readInt();
            if (count < 0 || maxGeneration < 0) {
                throw new IOException("bad header");
            }
            Map<CacheKey, Indexed> entries = HashMap.newHashMap(Math.min(count, 1 << 20));
            for (int i = 0; i < count; i++) {
                int keyLength = in.readInt();
                if (keyLength <= 0 || keyLength > MAX_KEY_BYTES) {
                    throw new IOException("bad key length " + keyLength);
                }
                CacheKey key = new CacheKey(new String(in.readNBytes(keyLength), StandardCharsets.UTF_8));
                long generation = in.readLong();
                long bodyLength = in.readLong();
                int bodyCrc = in.readInt();
                int weightKib = in.readInt();
                if (generation < 0 || generation > maxGeneration || bodyLength < 0 || weightKib < 0
                        || entries.put(key, new Indexed(generation, bodyLength, bodyCrc, weightKib, false)) != null) {
                    throw new IOException("bad entry " + i);
                }
            }
            int expected = (int) checked.getChecksum().getValue();
            if (in.readInt() != expected || in.read() != -1) {
                throw new IOException("checksum mismatch");
            }
            return new IndexRebuild.Result(entries, maxGeneration, List.of(), true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // tried again, and found unusable again, at the next start
        }
    }
}
