package dev.gatehouse.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SHA-crypt ({@code $5$} SHA-256, {@code $6$} SHA-512; htpasswd -2 / -5, e.g. Debian bookworm's 2.4.71), implemented per
 * Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" (https://www.akkadia.org/drepper/SHA-crypt.txt).
 */
final class ShaCryptHash implements PasswordHash {
    private static final Pattern FORMAT =
            Pattern.compile("\\$([56])\\$(?:rounds=([0-9]{1,9})\\$)?([^$]{0,16})\\$([./0-9A-Za-z]+)");
    private static final int DEFAULT_ROUNDS = 5000;
    private static final int[][] SHA256_ORDER = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
        {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}, {-1, 31, 30}};
    private static final int[][] SHA512_ORDER = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
        {47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54},
        {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19},
        {62, 20, 41}, {-1, -1, 63}};

    private final boolean sha512;
    private final int rounds;
    private final byte[] salt;
    private final byte[] hash;

    private ShaCryptHash(boolean sha512, int rounds, byte[] salt, byte[] hash) {
        this.sha512 = sha512;
        this.rounds = rounds;
        this.salt = salt;
        this.hash = hash;
    }

    static ShaCryptHash parse(String stored) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) throw new IllegalArgumentException("malformed SHA-crypt hash");
        boolean sha512 = m.group(1).equals("6");
        if (m.group(4).length() != (sha512 ? 86 : 43)) throw new IllegalArgumentException("malformed SHA-crypt hash");
        // The spec clamps rounds to [1000, 999999999] rather than refusing.
        int rounds = m.group(2) == null ? DEFAULT_ROUNDS : Math.max(1000, Integer.parseInt(m.group(2)));
        return new ShaCryptHash(sha512, rounds, m.group(3).getBytes(StandardCharsets.UTF_8),
                m.group(4).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean matches(byte[] password) {
        return MessageDigest.isEqual(hash, crypt(sha512, password, salt, rounds).getBytes(StandardCharsets.US_ASCII));
    }

    /** The hash part (after the last {@code $}) for a password, salt (at most 16 bytes) and round count. */
    static String crypt(boolean sha512, byte[] pw, byte[] salt, int rounds) {
        MessageDigest md = digest(sha512);
        md.update(pw);
        md.update(salt);
        md.update(pw);
        byte[] b = md.digest();

        md.update(pw);
        md.update(salt);
        addRepeated(md, b, pw.length);
        for (int bits = pw.length; bits > 0; bits >>>= 1) md.update((bits & 1) != 0 ? b : pw);
        byte[] a = md.digest();

        for (int i = 0; i < pw.length; i++) md.update(pw);
        byte[] p = repeat(md.digest(), pw.length);

        for (int i = 0; i < 16 + (a[0] & 0xff); i++) md.update(salt);
        byte[] s = repeat(md.digest(), salt.length);

        byte[] c = a;
        for (int i = 0; i < rounds; i++) {
            md.update((i & 1) != 0 ? p : c);
            if (i % 3 != 0) md.update(s);
            if (i % 7 != 0) md.update(p);
            md.update((i & 1) != 0 ? c : p);
            c = md.digest();
        }
        return sha512 ? CryptBase64.encode(c, SHA512_ORDER, 2) : CryptBase64.encode(c, SHA256_ORDER, 3);
    }

    private static void addRepeated(MessageDigest md, byte[] block, int length) {
        for (int left = length; left > 0; left -= block.length) md.update(block, 0, Math.min(left, block.length));
    }

    private static byte[] repeat(byte[] block, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = block[i % block.length];
        return out;
    }

    private static MessageDigest digest(boolean sha512) {
        try {
            return MessageDigest.getInstance(sha512 ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-2", e);
        }
    }

    @Override
    public String toString() {
        return "ShaCryptHash";
    }
}
