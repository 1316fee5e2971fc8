package dev.gatehouse.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Apache's MD5-crypt ({@code $apr1$}, htpasswd -m): Poul-Henning Kamp's FreeBSD md5crypt with the magic
 * {@code $apr1$}: 1,000 MD5 rounds over password, salt and the previous digest. Weak by today's standards but
 * still htpasswd's default, so existing files use it.
 */
final class Md5CryptHash implements PasswordHash {
    private static final String MAGIC = "$apr1$";
    private static final int[][] ORDER = {{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}, {-1, -1, 11}};

    private final byte[] salt;
    private final byte[] hash;

    private Md5CryptHash(byte[] salt, byte[] hash) {
        this.salt = salt;
        this.hash = hash;
    }

    static Md5CryptHash parse(String stored) {
        int dollar = stored.indexOf('$', MAGIC.length());
        if (dollar < 0 || dollar - MAGIC.length() > 8 || stored.length() - dollar - 1 != 22) {
            throw new IllegalArgumentException("malformed $apr1$ hash");
        }
        return new Md5CryptHash(stored.substring(MAGIC.length(), dollar).getBytes(StandardCharsets.US_ASCII),
                stored.substring(dollar + 1).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean matches(byte[] password) {
        return MessageDigest.isEqual(hash, crypt(password, salt).getBytes(StandardCharsets.US_ASCII));
    }

    /** The 22-character hash part for a password and salt. */
    static String crypt(byte[] pw, byte[] salt) {
        MessageDigest md5 = md5();
        md5.update(pw);
        md5.update(salt);
        md5.update(pw);
        byte[] alternate = md5.digest();

        md5.update(pw);
        md5.update(MAGIC.getBytes(StandardCharsets.US_ASCII));
        md5.update(salt);
        for (int left = pw.length; left > 0; left -= 16) md5.update(alternate, 0, Math.min(left, 16));
        // Odd bits add a zero byte (md5crypt's cleared buffer), even bits the first password byte.
        for (int bits = pw.length; bits != 0; bits >>>= 1) {
            if ((bits & 1) != 0) md5.update((byte) 0);
            else md5.update(pw[0]);
        }
        byte[] digest = md5.digest();

        for (int i = 0; i < 1000; i++) {
            md5.update((i & 1) != 0 ? pw : digest);
            if (i % 3 != 0) md5.update(salt);
            if (i % 7 != 0) md5.update(pw);
            md5.update((i & 1) != 0 ? digest : pw);
            digest = md5.digest();
        }
        return CryptBase64.encode(digest, ORDER, 2);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    @Override
    public String toString() {
        return "Md5CryptHash";
    }
}
