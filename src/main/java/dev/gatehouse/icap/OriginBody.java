package dev.gatehouse.icap;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * The origin's body on its way to the service: the preview's bytes taken from it so far, and whether the rest has
 * begun to go too. While it has not, the whole body can still be sent as it came: to the client after a 204 (RFC 3507
 * §4.5), or unscanned when the service fails and {@code bypass} is on.
 */
final class OriginBody {
    final InputStream rest;
    private byte[] preview = new byte[0];
    private volatile boolean restTaken;

    OriginBody(InputStream body) {
        this.rest = body;
    }

    /** Reads up to {@code size} bytes for the preview; fewer means the body ended within it. */
    byte[] takePreview(int size) throws java.io.IOException {
        preview = rest.readNBytes(size);
        return preview;
    }

    /** The rest is about to go to the service: from now on the body cannot be sent whole any more. */
    void takeRest() {
        restTaken = true;
    }

    boolean intact() {
        return !restTaken;
    }

    /** The whole body: the preview's bytes, then what the origin has not yet sent. */
    InputStream whole() {
        return preview.length == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(preview), rest);
    }
}
