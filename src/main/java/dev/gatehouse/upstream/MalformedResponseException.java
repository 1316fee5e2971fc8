package dev.gatehouse.upstream;

import java.io.IOException;

/** The origin's bytes are not a valid HTTP/1.1 response (RFC 9112); the client gets 502. */
public final class MalformedResponseException extends IOException {
    MalformedResponseException(String message) {
        super(message);
    }
}
