package dev.gatehouse.upstream;

import java.io.IOException;

/** A response body read that was abandoned because the origin sent nothing for the read timeout. */
public final class BodyReadTimeoutException extends IOException {
    BodyReadTimeoutException() {
        super("response body stalled longer than the read timeout");
    }
}
