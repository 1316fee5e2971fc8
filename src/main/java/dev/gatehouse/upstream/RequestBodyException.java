package dev.gatehouse.upstream;

import java.io.IOException;

/**
 * Reading the client's request body failed while it was being sent upstream (the client reset its connection, or
 * its body ended before its {@code Content-Length}): the client's failure, which must not pass for the server's
 * closing the connection unanswered, so that no server or parent is blamed (and passed over) for it.
 */
final class RequestBodyException extends IOException {
    RequestBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
