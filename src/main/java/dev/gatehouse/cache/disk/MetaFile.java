package dev.gatehouse.cache.disk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheKey;

/**
 * One entry's metadata file: encoding, decoding with checksum verification, and atomic writing.
 * The layout is documented on {@link DiskStore}.
 *
 * @param key        the primary key the entry is stored under
 * @param entry      the response metadata
 * @param bodyLength the length of the body file in bytes
 * @param bodyCrc    the CRC32C of the body file
 */
record MetaFile(CacheKey key, CacheEntry entry, long bodyLength, int bodyCrc) {
    private static final long MAX_BYTES = 1024 * 1024;
    static final int MAGIC = 0x47484D31; // "GHM1"
    private static final int MAX_PAYLOAD = 1 << 20;
    private static final int MAX_FIELDS = 10_000;

    /** The file's bytes: magic, payload length, payload, CRC32C of the payload. */
    byte[] encode() {
        try {
            ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(512);
            DataOutputStream payload = new DataOutputStream(payloadBytes);
            writeString(payload, key.value());
            payload.writeInt(entry.status());
            payload.writeLong(entry.requestTimeMillis());
            payload.writeLong(entry.responseTimeMillis());
            writeString(payload, entry.secondaryKey());
            payload.writeInt(entry.headers().size());
            for (var field : entry.headers().fields()) {
                writeString(payload, field.getKey());
                writeString(payload, field.getValue());
            }
            payload.writeLong(bodyLength);
            payload.writeInt(bodyCrc);
            byte[] bytes = payloadBytes.toByteArray();

            ByteArrayOutputStream fileBytes = new ByteArrayOutputStream(bytes.length + 12);
            DataOutputStream file = new DataOutputStream(fileBytes);
            file.writeInt(MAGIC);
            file.writeInt(bytes.length);
            file.write(bytes);
            file.writeInt(crc(bytes));
            return fileBytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
    }

    /** Decodes a metadata file, throwing {@link CorruptEntryException} if anything does not add up. */
    static MetaFile decode(byte[] file) throws CorruptEntryException {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
            if (in.readInt() != MAGIC) {
                throw new CorruptEntryException("bad magic");
            }
            int length = in.readInt();
            if (length < 0 || length > MAX_PAYLOAD || length != file.length - 12) {
                throw new CorruptEntryException("payload length " + length + " does not match file size " + file.length);
            }
            byte[] bytes = in.readNBytes(length);
            if (in.readInt() != crc(bytes)) {
                throw new CorruptEntryException("metadata checksum mismatch");
            }
            DataInputStream payload = new DataInputStream(new ByteArrayInputStream(bytes));
            CacheKey key = new CacheKey(readString(payload));
            int status = payload.readInt();
            long requestTime = payload.readLong();
            long responseTime = payload.readLong();
            String secondaryKey = readString(payload);
            int fieldCount = payload.readInt();
            if (fieldCount < 0 || fieldCount > MAX_FIELDS) {
                throw new CorruptEntryException("field count " + fieldCount);
            }
            CacheHeaders.Builder headers = CacheHeaders.builder();
            for (int i = 0; i < fieldCount; i++) {
                headers.add(readString(payload), readString(payload));
            }
            long bodyLength = payload.readLong();
            int bodyCrc = payload.readInt();
            if (bodyLength < 0 || payload.available() != 0) {
                throw new CorruptEntryException("bad body length or trailing bytes");
            }
            CacheEntry entry = new CacheEntry(status, headers.build(), requestTime, responseTime, secondaryKey);
            return new MetaFile(key, entry, bodyLength, bodyCrc);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptEntryException("unreadable metadata: " + e.getMessage());
        }
    }

    /** Reads and decodes the metadata file at {@code path}, one the index names (this process or its index wrote it). */
    static MetaFile read(Path path) throws IOException {
        return decode(Files.readAllBytes(path));
    }

    /**
     * The bytes of a file named like metadata found in a scan, checked first. Anything but a regular file is refused before it is opened: a
     * FIFO given an entry's name would block the reader (and so the whole index rebuild) forever. So is a file larger
     * than any metadata written (the URI plus a response header section of at most 256 KiB).
     */
    static byte[] readBytes(Path path) throws IOException {
        BasicFileAttributes file = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!file.isRegularFile() || file.size() > MAX_BYTES) {
            throw new CorruptEntryException("not a metadata file: " + path);
        }
        return Files.readAllBytes(path);
    }

    /** Writes this metadata to {@code target} atomically (a temporary file in {@code tmpDir}, then a rename); returns its length. */
    int write(Path target, Path tmpDir) throws IOException {
        Path temp = Files.createTempFile(tmpDir, "meta", ".tmp");
        try {
            byte[] bytes = encode();
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return bytes.length;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new CorruptEntryException("string length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A metadata or body file that fails its checks; the entry is dropped, never served. */
    static final class CorruptEntryException extends IOException {
        CorruptEntryException(String message) {
            super(message);
        }
    }
}
