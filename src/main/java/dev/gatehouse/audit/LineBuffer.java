package dev.gatehouse.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One audit line being built, directly as UTF-8 bytes: the writer thread reuses one buffer line after
 * line, so a record is formatted and handed to the file without a {@code String} or a byte array of its
 * own (the per-line {@code StringBuilder → String → getBytes} copies showed in the hit-path profile).
 *
 * <p>ASCII goes in byte for byte; {@link #utf8} and {@link #percentEncoded} take one character, or one
 * surrogate pair, and encode it exactly as {@code String.getBytes(UTF_8)} does, a lone surrogate
 * included (as {@code ?}). Not thread-safe.
 */
public final class LineBuffer {
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** Digits of the largest long. */
    private static final int MAX_DIGITS = 19;

    private byte[] bytes;
    private int length;

    public LineBuffer(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    /** Empties the buffer, keeping its capacity. */
    public void clear() {
        length = 0;
    }

    public int length() {
        return length;
    }

    /** The backing array: bytes {@code 0} to {@link #length()} are the line. Valid until the next append. */
    byte[] array() {
        return bytes;
    }

    /** The byte at {@code index}, which must be below {@link #length()}. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** Appends {@code c}, which must be ASCII. */
    public LineBuffer ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code s}, which must be all ASCII (a field name, a literal). */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) narrows each char: exact for ASCII
    public LineBuffer ascii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, bytes, length);
        length += n;
        return this;
    }

    /** Appends {@code value} in decimal, as {@link Long#toString(long)} writes it. */
    public LineBuffer decimal(long value) {
        return decimal(value, 0, ' ');
    }

    /**
     * Appends {@code value} in decimal left-padded with {@code pad} to {@code width} characters, like
     * {@code %0Nd} or {@code %Nd}; never truncates. {@code pad} must be ASCII.
     */
    public LineBuffer decimal(long value, int width, char pad) {
        if (value < 0) {
            return padded(Long.toString(value), width, pad); // a sign, and Long.MIN_VALUE: rare enough
        }
        int digits = digits(value);
        ensure(Math.max(width, digits));
        for (int i = digits; i < width; i++) {
            bytes[length++] = (byte) pad;
        }
        int at = length + digits;
        length = at;
        do {
            bytes[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return this;
    }

    private LineBuffer padded(String digits, int width, char pad) {
        for (int i = digits.length(); i < width; i++) {
            ascii(pad);
        }
        return ascii(digits);
    }

    private static int digits(long value) {
        long bound = 10;
        for (int n = 1; n < MAX_DIGITS; n++) {
            if (value < bound) return n;
            bound *= 10;
        }
        return MAX_DIGITS;
    }

    /**
     * Appends the character at {@code i} of {@code s} as UTF-8, with the low surrogate that follows a
     * high one.
     *
     * @return the index of the last char consumed
     */
    public int utf8(String s, int i) {
        ensure(4);
        return encode(s, i);
    }

    /**
     * Appends the character at {@code i} of {@code s} (or its surrogate pair) as percent-encoded UTF-8
     * bytes with upper-case hex digits ({@code é} is {@code %C3%A9}), as in URLs (RFC 3986 §2.1).
     *
     * @return the index of the last char consumed
     */
    public int percentEncoded(String s, int i) {
        ensure(12);
        int start = length;
        int last = encode(s, i);
        // Spread the n raw bytes at start into %XX triples, from the end so none is overwritten unread.
        int n = length - start;
        length = start + 3 * n;
        for (int k = n - 1; k >= 0; k--) {
            int b = bytes[start + k] & 0xFF;
            int at = start + 3 * k;
            bytes[at] = '%';
            bytes[at + 1] = HEX_UPPER[b >> 4];
            bytes[at + 2] = HEX_UPPER[b & 0xF];
        }
        return last;
    }

    /** Appends the single byte {@code b} (0 to 255) as {@code %XX} with upper-case hex digits. */
    public LineBuffer percentEncodedByte(int b) {
        ensure(3);
        bytes[length++] = '%';
        bytes[length++] = HEX_UPPER[b >> 4 & 0xF];
        bytes[length++] = HEX_UPPER[b & 0xF];
        return this;
    }

    /** Appends another buffer's line, byte for byte. */
    LineBuffer append(LineBuffer other) {
        ensure(other.length);
        System.arraycopy(other.bytes, 0, bytes, length, other.length);
        length += other.length;
        return this;
    }

    /** Appends one byte as it is (a byte order mark, say). */
    LineBuffer rawByte(byte b) {
        ensure(1);
        bytes[length++] = b;
        return this;
    }

    /** Whether any byte of the line is outside US-ASCII (the line has UTF-8 beyond ASCII). */
    boolean hasNonAscii() {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) return true;
        }
        return false;
    }

    /** UTF-8 of the char at {@code i}, or of the pair it starts; room for 4 bytes is ensured. */
    private int encode(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x80) {
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xC0 | c >> 6);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        } else if (!Character.isSurrogate(c)) {
            bytes[length++] = (byte) (0xE0 | c >> 12);
            bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            bytes[length++] = (byte) (0xF0 | cp >> 18);
            bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp & 0x3F);
            return i + 1;
        } else {
            bytes[length++] = '?'; // a lone surrogate, replaced as String.getBytes(UTF_8) does
        }
        return i;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** The line as text. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
