package dev.gatehouse.cache.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.cache.BodyWriter;
import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;

/**
 * Keeps responses in checksummed files under one directory, bounded in bytes, and finds them again
 * after a restart; a torn or corrupt entry is dropped, never served. This class keeps the index and decides
 * which generation of a key is in use; where the files go and how they are placed and deleted is
 * {@link EntryFiles}', reading one back {@link DiskResponse}'s, finding them at start {@link IndexRebuild}'s.
 *
 * <h2>On-disk format</h2>
 * <pre>
 * &lt;root&gt;/tmp/                      files being written; emptied at start
 * &lt;root&gt;/index.snapshot             the index, written at a clean close, deleted as the next start loads it:
 *     int   magic 0x47485331 ("GHS1")
 *     int   version (1)
 *     long  the highest generation handed out
 *     int   entry count N
 *     N     entries: key (int byte count, UTF-8), generation (long), body length (long),
 *                    body CRC32C (int), weight in KiB (int)
 *     int   CRC32C of everything before it
 * &lt;root&gt;/&lt;hh&gt;/&lt;hash&gt;-&lt;gen&gt;.body     the body, raw bytes, nothing else (so it can be sent with zero-copy)
 * &lt;root&gt;/&lt;hh&gt;/&lt;hash&gt;-&lt;gen&gt;.meta     the metadata:
 *     int   magic 0x47484D31 ("GHM1")
 *     int   payload length N
 *     N     payload: key, status, request time, response time, secondary key,
 *                    field count, (name, value)*, body length (long), body CRC32C (int)
 *                    (strings are an int byte count then UTF-8; numbers big-endian)
 *     int   CRC32C of the payload
 * </pre>
 * {@code hash} is the SHA-256 of the key in hex, {@code hh} its first two characters, and
 * {@code gen} a number that grows with every commit, so a new response for a key never overwrites
 * the files an older one (possibly being read, or being deleted) uses, and the newest generation of
 * a key is the one committed last. Anything else in the directory is left alone.
 *
 * <h2>Atomicity and integrity</h2>
 * A body is written to {@code tmp/}, its CRC32C computed as it streams, then renamed into place;
 * the metadata is written the same way last. Files are not fsynced: a crash may leave a torn file,
 * which the checks catch. At start the index is rebuilt from the metadata files alone: a metadata
 * file that fails its checksum, names another key, or whose body is missing or of another length is
 * deleted with its body, as are older generations of a key (left when their deletion was still
 * queued at exit) and bodies without metadata. An update rewrites the metadata file the same way. The body
 * checksum is verified on the first read of an entry in each process (the body is read once
 * before its first byte is served); entries written by this process are trusted.
 *
 * <h2>Restart</h2>
 * {@link #close()} stops commits and updates, runs the deletions still queued, then writes the index snapshot
 * (a file in {@code tmp/}, then a rename). At start, a snapshot that is complete, of this version and passes its
 * checksum is the index, loaded in one read instead of a scan of every metadata file, and deleted before the store
 * is used: a process that then crashes leaves none, and the next start scans (Squid does the same with a dirty
 * {@code swap.state}). Its entries are unverified, as a scan's are, and files missing or damaged since make them
 * misses, dropped on first read. Files the snapshot does not name (none, after a clean close, unless someone put
 * them there) are deleted in the background after the start, once ({@link SnapshotSweep}), on the deletion executor:
 * until then they are on disk but not counted against the bound. A removal after close (the store
 * stays readable) deletes the files but not the snapshot's entry, which is then a miss at the next start. A
 * missing, torn or foreign snapshot, or one that cannot be read or deleted, means a scan, and one log line why.
 * Either way, a variant of a URI whose list of variants is not on disk (a key with a NUL, see {@link CacheKey}) is
 * dropped: a purge while the index was rebuilt deletes the list, not the variants it cannot look up yet.
 *
 * <h2>Bounds</h2>
 * The index is a Caffeine cache weighed in KiB of 4 KiB blocks (an update reweighs its entry); bodies
 * being written count against the bound too, up to half of it, so a burst of large downloads cannot take the
 * files past it ({@link BytesInFlight}, which lends to them in coarse grains: up to 1/64 of the bound may go
 * unused). Files of evicted or replaced entries are deleted on the deletion executor; those of removed ones at once.
 * When the file system's usable space falls below {@code minFreeBytes}, or a write fails (disk full), the store
 * stops storing; requests never fail.
 */
public final class DiskStore implements CacheStore {
    private static final Logger log = LoggerFactory.getLogger(DiskStore.class);

    private final EntryFiles files;
    private final long maxObjectBytes;
    private final long minFreeBytes;
    /** Where {@code root} lives, looked up once: finding it reads the whole mount table. */
    private final FileStore fileStore;
    private final Cache<CacheKey, Indexed> index;
    private final BytesInFlight inFlight;
    private final AtomicLong generations = new AtomicLong();
    private final DeletionQueue deletions;
    /** Commits and updates hold it shared; close() takes it to stop them, so none lands after the snapshot. */
    private final ReentrantReadWriteLock commits = new ReentrantReadWriteLock();
    private volatile boolean closed; // set under commits' write lock
    private boolean indexFromSnapshot;

    private DiskStore(Path root, long maxBytes, long maxObjectBytes, long minFreeBytes, Executor deletions) throws IOException {
        this.files = new EntryFiles(root);
        Files.createDirectories(files.tmp());
        this.maxObjectBytes = maxObjectBytes;
        this.minFreeBytes = minFreeBytes;
        this.fileStore = Files.getFileStore(root);
        this.deletions = new DeletionQueue(deletions);
        this.index = Caffeine.newBuilder()
                .maximumWeight(maxBytes / 1024)
                .weigher((CacheKey key, Indexed entry) -> entry.weightKib())
                .executor(this.deletions)
                .removalListener((CacheKey key, Indexed entry, RemovalCause cause) -> {
                    // Unless an update only reweighed it: then the index still holds this generation, files and all.
                    if (key != null && entry != null && !indexes(key, entry.generation())) {
                        files.delete(key, entry.generation());
                    }
                })
                .build();
        this.inFlight = new BytesInFlight(index.policy().eviction().orElseThrow(), maxBytes / 1024);
    }

    /** Opens (creating if needed) the store under {@code root}, with no free-space reserve, deleting in the background. */
    public static DiskStore open(Path root, long maxBytes, long maxObjectBytes) throws IOException {
        return open(root, maxBytes, maxObjectBytes, 0, ForkJoinPool.commonPool());
    }

    /**
     * Opens (creating if needed) the store under {@code root} holding at most {@code maxBytes}, no
     * body over {@code maxObjectBytes}, storing nothing while the file system has less than
     * {@code minFreeBytes} usable; files are deleted on {@code deletions}. Loads the index from the
     * snapshot a clean close left, else rebuilds it from the files found.
     */
    public static DiskStore open(Path root, long maxBytes, long maxObjectBytes, long minFreeBytes, Executor deletions)
            throws IOException {
        if (maxBytes < 0 || maxObjectBytes < 0 || minFreeBytes < 0) {
            throw new IllegalArgumentException("disk store sizes must not be negative, got "
                    + maxBytes + ", " + maxObjectBytes + " and " + minFreeBytes);
        }
        DiskStore store = new DiskStore(root, maxBytes, maxObjectBytes, minFreeBytes, deletions);
        IndexRebuild.Result found = IndexRebuild.rebuild(store.files);
        store.indexFromSnapshot = found.fromSnapshot();
        store.generations.set(found.maxGeneration() + 1);
        store.index.putAll(found.entries());
        store.index.cleanUp(); // settles the weights (and evicts down to a smaller bound) before anyone reads the size
        if (found.fromSnapshot()) {
            try {
                store.deletions.execute(new SnapshotSweep(store.files, found.entries(), found.maxGeneration(), store::indexes, store.commits));
            } catch (RejectedExecutionException e) {
                // no background work any more (shutting down): the files are left for the next scan
            }
        }
        return store;
    }

    /**
     * Deletes every file of {@code key} under {@code root}, whatever its generation, without an index: a removal
     * asked for while the index is still being rebuilt must hold even if the process stops before the store opens.
     */
    public static void removeFiles(Path root, CacheKey key) {
        EntryFiles.deleteAll(root, key);
    }

    @Override
    public Optional<StoredResponse> open(CacheKey key) {
        Indexed indexed = index.getIfPresent(key);
        if (indexed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DiskResponse.open(files, key, indexed));
        } catch (IOException e) {
            // A miss, and the entry is dropped. Only if the index still holds this generation: after a concurrent
            // eviction or replacement (files gone or going) this does nothing, but files lost while the entry is
            // indexed must not leave it counted against the bound, and its other file on disk, until evicted.
            index.asMap().remove(key, indexed);
            return Optional.empty();
        }
    }

    /** Whether the index was loaded from the snapshot of a clean close (else the files were scanned). */
    public boolean indexFromSnapshot() {
        return indexFromSnapshot;
    }

    @Override
    public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
        if (expectedLength > maxObjectBytes || closed) {
            return Optional.empty();
        }
        try {
            if (minFreeBytes > 0 && fileStore.getUsableSpace() - Math.max(0, expectedLength) < minFreeBytes) {
                return Optional.empty(); // disk (nearly) full: stop storing
            }
            return Optional.of(new DiskWriter(key, entry, generations.getAndIncrement()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
        commits.readLock().lock();
        try {
            return !closed && updateOpen(key, expected, entry);
        } finally {
            commits.readLock().unlock();
        }
    }

    private boolean updateOpen(CacheKey key, CacheEntry expected, CacheEntry entry) {
        Indexed indexed = index.getIfPresent(key);
        if (indexed == null) {
            return false;
        }
        long generation = indexed.generation();
        try {
            if (!MetaFile.read(files.meta(key, generation)).entry().equals(expected)) {
                return false; // another response is stored now (a newer generation reads differently)
            }
            int metaLength = new MetaFile(key, entry, indexed.bodyLength(), indexed.bodyCrc()).write(files.meta(key, generation), files.tmp());
            // Reweighed: the new metadata may take more blocks. Unless the entry left the index meanwhile (evicted,
            // removed, replaced): then its files are being deleted, and the metadata just written must go with them.
            for (Indexed current = indexed; current != null && current.generation() == generation;
                    current = index.policy().getIfPresentQuietly(key)) {
                if (index.asMap().replace(key, current, current.reweighed(metaLength))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false; // the metadata file was not replaced
        }
        files.delete(key, generation);
        return false;
    }

    @Override
    public void remove(CacheKey key) {
        Indexed removed = index.asMap().remove(key);
        // Now, not only on the deletion executor: a removal is an invalidation or a purge, and a deletion
        // still queued when the process exits would bring the response back at the next start.
        // (The removal listener deletes again later; the paths are this generation's alone.)
        if (removed != null && !files.delete(key, removed.generation())) {
            // Its files were gone: removeFiles deleted them, for a removal asked for while the index was rebuilt, after
            // the rebuild had found them. If the key lists a URI's variants, that removal could not find them (they are
            // stored under keys of their own): only the index can now, or they would stay, unreachable, until evicted.
            removeVariants(key);
        }
    }

    /** Removes the variants stored for the URI whose key is {@code key}: all the keys {@link #uriKeyOf} it. */
    private void removeVariants(CacheKey key) {
        for (CacheKey indexed : index.asMap().keySet()) {
            if (uriKeyOf(indexed).filter(key::equals).isPresent()) {
                remove(indexed);
            }
        }
    }

    /**
     * The key of the URI whose variant {@code key} stores, if it stores one: a variant is stored under its URI's key,
     * a NUL and its secondary key, next to the list of the URI's variants under the URI's key ({@link CacheKey}).
     */
    static Optional<CacheKey> uriKeyOf(CacheKey key) {
        int end = key.value().indexOf('\u0000');
        return end > 0 ? Optional.of(new CacheKey(key.value().substring(0, end))) : Optional.empty();
    }

    @Override
    public long sizeBytes() {
        return index.policy().eviction().orElseThrow().weightedSize().orElse(0) * 1024;
    }

    @Override
    public long count() {
        return index.estimatedSize();
    }

    /** Runs pending index maintenance (evictions and their deletions); for tests and shutdown. */
    public void cleanUp() {
        index.cleanUp();
    }

    /**
     * Stops commits and updates (a writer still open fails its commit, its response served all the same), runs the
     * deletions still queued, and writes the index snapshot the next start loads. If that fails, the next start scans.
     */
    @Override
    public void close() {
        commits.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            commits.writeLock().unlock();
        }
        index.cleanUp();
        try {
            deletions.drain();
            List<Map.Entry<CacheKey, Indexed>> entries = new ArrayList<>(index.asMap().entrySet());
            IndexSnapshot.write(files.root(), files.tmp(), generations.get() - 1, entries);
        } catch (IOException e) {
            log.warn("cache: could not write the index snapshot under {} ({}); the next start scans the files", files.root(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("cache: interrupted while closing the disk store under {}; the next start scans the files", files.root());
        }
    }

    /** The hex SHA-256 of the key, which names its files. */
    static String hash(CacheKey key) {
        return EntryFiles.hash(key);
    }

    /** Whether the index holds this generation of {@code key}, whose files are then in use. */
    private boolean indexes(CacheKey key, long generation) {
        Indexed current = index.policy().getIfPresentQuietly(key);
        return current != null && current.generation() == generation;
    }

    /** Indexes {@code fresh} unless a newer generation of its key is in: the newest wins, here as at a rebuild. */
    private boolean install(CacheKey key, Indexed fresh) {
        ConcurrentMap<CacheKey, Indexed> entries = index.asMap();
        for (Indexed current = entries.putIfAbsent(key, fresh); current != null; current = entries.putIfAbsent(key, fresh)) {
            if (current.generation() > fresh.generation()) {
                return false;
            }
            if (entries.replace(key, current, fresh)) {
                return true;
            }
        }
        return true;
    }

    /**
     * Streams one body into a temporary file, counted against the bound as it grows, then renames body and
     * metadata into place.
     */
    private final class DiskWriter extends BodyWriter {
        private final CacheKey key;
        private final CacheEntry entry;
        private final Path temp;
        private final FileChannel channel;
        private final CRC32C crc = new CRC32C();
        private final BytesInFlight.Reservation reserved = inFlight.reservation();

        DiskWriter(CacheKey key, CacheEntry entry, long id) throws IOException {
            super(maxObjectBytes);
            this.key = key;
            this.entry = entry;
            this.temp = files.tmp().resolve(id + ".body.tmp");
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) throws IOException {
            reserved.cover(written() + length);
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            crc.update(bytes, offset, length);
        }

        @Override
        protected void publish(long length) throws IOException {
            channel.close();
            commits.readLock().lock();
            try {
                if (closed) {
                    throw new IOException("the disk store is closed"); // a commit now would be missing from the snapshot
                }
                publishOpen(length);
            } finally {
                commits.readLock().unlock();
            }
        }

        private void publishOpen(long length) throws IOException {
            // Numbered now, not when the writer opened: of two writers racing for a key, the last to commit must be
            // the newest generation, the one a rebuild keeps if the older one's deletion is lost.
            long generation = generations.getAndIncrement();
            int metaLength = files.place(temp, new MetaFile(key, entry, length, (int) crc.getValue()), generation);
            reserved.release(); // weighed in the index from here
            if (!install(key, new Indexed(generation, length, (int) crc.getValue(), Indexed.weightKib(length, metaLength), true))) {
                files.delete(key, generation); // a commit that came later is already in
            }
        }

        @Override
        protected void discard() {
            reserved.release();
            DiskResponse.closeQuietly(channel);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // the next start empties tmp/
            }
        }
    }
}
