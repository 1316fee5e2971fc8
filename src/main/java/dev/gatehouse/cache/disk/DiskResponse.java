package dev.gatehouse.cache.disk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;

/** A stored response backed by an open body file, opened only once its files pass the checks. */
record DiskResponse(CacheEntry entry, FileChannel channel, long bodyLength) implements CacheStore.StoredResponse {
    /**
     * Opens the files of {@code indexed}, the index's generation of {@code key}, after checking that metadata, body
     * and index agree and, on its first read in this process, the body's checksum (then marked verified); throws
     * if anything is missing or does not add up.
     */
    static DiskResponse open(EntryFiles files, CacheKey key, Indexed indexed) throws IOException {
        MetaFile meta = MetaFile.read(files.meta(key, indexed.generation()));
        FileChannel channel = FileChannel.open(files.body(key, indexed.generation()), StandardOpenOption.READ);
        try {
            if (!meta.key().equals(key) || meta.bodyLength() != indexed.bodyLength() || channel.size() != meta.bodyLength()) {
                throw new MetaFile.CorruptEntryException("metadata and body disagree");
            }
            if (!indexed.verified() && crc(channel, meta.bodyLength()) != meta.bodyCrc()) {
                throw new MetaFile.CorruptEntryException("body checksum mismatch");
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
        indexed.markVerified();
        return new DiskResponse(meta.entry(), channel, meta.bodyLength());
    }

    private static int crc(FileChannel channel, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        while (position < length) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new MetaFile.CorruptEntryException("body shorter than recorded");
            }
            buffer.flip();
            crc.update(buffer);
            position += read;
        }
        return (int) crc.getValue();
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    @Override
    public InputStream body() {
        try {
            return Channels.newInputStream(channel.position(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean fromMemory() {
        return false;
    }

    @Override
    public Optional<FileChannel> bodyChannel() {
        return Optional.of(channel);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
