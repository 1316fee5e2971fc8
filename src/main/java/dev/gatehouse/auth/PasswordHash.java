package dev.gatehouse.auth;

import java.util.regex.Pattern;

/** One stored password hash from an htpasswd file, able to check a password against itself in constant time. */
interface PasswordHash {
    /** bcrypt as htpasswd -B writes it: version, two-digit cost, 22 salt and 31 hash characters. */
    Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    /** Whether {@code password} (UTF-8 bytes, as htpasswd hashes them) is the one this hash was made from. */
    boolean matches(byte[] password);

    /**
     * Parses a stored hash.
     *
     * @throws IllegalArgumentException naming the scheme and why it is refused
     */
    static PasswordHash parse(String stored) {
        if (stored.startsWith("$2")) {
            if (!BCRYPT.matcher(stored).matches()) throw new IllegalArgumentException("malformed bcrypt hash");
            return new BcryptHash(stored);
        }
        if (stored.startsWith("$apr1$")) return Md5CryptHash.parse(stored);
        if (stored.startsWith("$5$") || stored.startsWith("$6$")) return ShaCryptHash.parse(stored);
        if (stored.startsWith("{SHA}")) {
            throw new IllegalArgumentException("{SHA} hashes are unsalted SHA-1 and not supported; re-create with htpasswd -B");
        }
        if (stored.startsWith("$1$")) {
            throw new IllegalArgumentException("$1$ (glibc MD5-crypt) is not an htpasswd scheme; re-create with htpasswd -B");
        }
        if (stored.startsWith("$")) {
            throw new IllegalArgumentException("unknown hash scheme '" + stored.substring(0, Math.max(1, stored.indexOf('$', 1) + 1))
                    + "'; re-create with htpasswd -B");
        }
        // What is left is DES crypt (htpasswd -d, 13 characters, only 8 password characters count) or plaintext (-p).
        throw new IllegalArgumentException("DES crypt and plaintext passwords are not supported (DES uses only 8 characters); "
                + "re-create with htpasswd -B");
    }
}
