package dev.gatehouse.auth;

/** A credentials or groups file that cannot be used; the message names the file and line. */
public final class AuthLoadException extends Exception {
    public AuthLoadException(String message) {
        super(message);
    }

    public AuthLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
