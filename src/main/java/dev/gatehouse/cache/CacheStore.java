package dev.gatehouse.cache;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.function.Function;

/**
 * A storage tier for responses: metadata ({@link CacheEntry}) plus a body, keyed by {@link CacheKey}.
 *
 * <p>Stores never fail a request: every storage problem (full disk, corrupt file, object too large)
 * shows up as "not stored" or "not found", never as an exception to the forward path. Bodies stream
 * in through a {@link Writer} and out through {@link StoredResponse}, so no tier needs a large body
 * whole in memory. Implementations are thread-safe.
 */
public interface CacheStore extends Closeable {

    /**
     * The stored response for {@code key}, or empty if there is none or it cannot be read intact.
     * The caller must close it.
     */
    Optional<StoredResponse> open(CacheKey key);

    /**
     * The stored response for {@code key} if this store can hand it over without blocking (from
     * memory), else empty even if a slower tier holds it. Lets a caller on a non-blocking thread
     * answer memory hits there and move everything else to a worker thread.
     */
    default Optional<StoredResponse> openInMemory(CacheKey key) {
        return Optional.empty();
    }

    /**
     * A writer for a new response to {@code key}, or empty if this store will not take it now
     * (known length over the maximum object size, disk full). {@code expectedLength} is the
     * Content-Length, or -1 if unknown. The previous response for the key stays readable until
     * the new one is committed.
     */
    Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength);

    /**
     * Replaces the metadata of the stored response for {@code key} with {@code entry} (after a 304, RFC 9111 §4.3.4),
     * if the response stored is still the one validated, whose metadata is {@code expected}; false if none is stored or
     * another has replaced it meanwhile (its body must not be relabelled with the validated response's fields).
     */
    boolean update(CacheKey key, CacheEntry expected, CacheEntry entry);

    /** Drops the stored response for {@code key}, if any (RFC 9111 §4.4 invalidation, purge). */
    void remove(CacheKey key);

    /** The bytes currently counted against this store's bound. */
    long sizeBytes();

    /** The number of stored responses. */
    long count();

    /** Releases resources; stored data stays where it is (a disk store persists). */
    @Override
    void close();

    /**
     * Receives one response body as it arrives and commits it at the end.
     *
     * <p>{@link #body()} never throws because of storage: if the store fails (disk full, object over
     * the maximum size), the writer silently stops storing and {@link #commit()} returns false. So the
     * forward path can tee into it without risking the client's response. Closing without
     * {@code commit()} aborts.
     */
    interface Writer extends Closeable {
        /** The stream the body is written to as it arrives. */
        OutputStream body();

        /** Makes the complete body and its metadata visible to readers; false if nothing was stored. */
        boolean commit();

        /** Discards what was written (the origin died mid-body, or the response turned out uncacheable). */
        void abort();

        /** Whether what {@link #body()} gets is still stored: false once it stopped (too large, a storage failure, the end). */
        boolean storing();

        /** Aborts unless committed. */
        @Override
        void close();
    }

    /** A stored response being read: its metadata and its body; close it when done. */
    interface StoredResponse extends Closeable {
        /** The response's metadata. */
        CacheEntry entry();

        /** The body length in bytes. */
        long bodyLength();

        /**
         * The body as a stream, from its first byte. A disk tier's stream shares the file with
         * {@link #bodyChannel()}: use one or the other for a response, not both at once.
         */
        InputStream body();

        /** Whether this came from the memory tier ({@link ResultCode#TCP_MEM_HIT}). */
        boolean fromMemory();

        /**
         * The whole body as a read-only buffer without copying, where the tier holds it in memory: a fresh view
         * each call (own position and limit), so the caller may move it freely.
         */
        default Optional<ByteBuffer> bodyBuffer() {
            return Optional.empty();
        }

        /**
         * The body's file, where the tier keeps it in a file: bytes {@code [0, bodyLength())} are the
         * body, for zero-copy {@code transferTo(position, count, target)} (positional, so its current
         * position does not matter). It is closed with this response.
         */
        default Optional<FileChannel> bodyChannel() {
            return Optional.empty();
        }

        /**
         * {@code derive} applied to this response, kept with the stored response where the tier holds it
         * between reads (memory), so that what every hit sends unchanged (the response head as the listener
         * writes it, say) is prepared once, not per hit; other tiers derive on each call. A kept value lives
         * exactly as long as the stored response: an update (a 304's merged fields, RFC 9111 §4.3.4) or a
         * replacement starts without one. One value is kept at a time, for the last {@code derive} asked
         * (compared by identity, so pass the same function object each time); {@code derive} must return an
         * immutable value, since concurrent readers may each derive and see another's result.
         */
        default <T> T derived(Function<? super StoredResponse, ? extends T> derive) {
            return derive.apply(this);
        }

        @Override
        void close();
    }
}
