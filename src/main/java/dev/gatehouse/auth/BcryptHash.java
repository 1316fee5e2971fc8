package dev.gatehouse.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** A bcrypt hash ({@code $2y$}, {@code $2b$}, {@code $2a$}), checked by BouncyCastle (constant-time comparison inside). */
record BcryptHash(String stored) implements PasswordHash {
    @Override
    public boolean matches(byte[] password) {
        try {
            return OpenBSDBCrypt.checkPassword(stored, password);
        } catch (IllegalArgumentException e) {
            return false; // a password bcrypt cannot take (e.g. empty) cannot match
        }
    }

    @Override
    public String toString() {
        return "BcryptHash"; // the hash stays out of logs
    }
}
