package dev.gatehouse.icap;

import dev.gatehouse.http.Failure;
import java.io.IOException;

/**
 * The ICAP service failed: an {@link IOException} so that it can surface from the adapted body's reads, typed by one of
 * the {@code ICAP_*} {@link Failure}s so that the listener answers and audits it as what it is, not as an origin's
 * failure.
 */
public final class IcapException extends IOException {
    private final Failure failure;

    IcapException(Failure failure, String detail, Throwable cause) {
        super(detail, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
