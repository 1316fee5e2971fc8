package dev.gatehouse.policy.category;

/**
 * A reusable window on one line of a byte buffer, read as ISO-8859-1 characters. Loading 5 M
 * entries through it avoids a String per line; any byte above 0x7f fails the canonical-name
 * check, so such lines take the slow path with real UTF-8 decoding.
 */
final class ByteLine implements CharSequence {
    private byte[] buffer;
    private int start;
    private int length;

    ByteLine set(byte[] buffer, int start, int end) {
        this.buffer = buffer;
        this.start = start;
        this.length = end - start;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) (buffer[start + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return toString().substring(from, to);
    }

    @Override
    public String toString() {
        return new String(buffer, start, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
