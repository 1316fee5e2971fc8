package dev.gatehouse.icap;

import java.util.Locale;

/** What became of a response (or an upload) on its way through the ICAP service, as the audit record's {@code icap=} tag names it. */
public enum ScanOutcome {
    /** The service let it through: unmodified (204), or sent back with the origin's status and no infection named. */
    CLEAN,
    /** The service replaced it (a virus page, say): sent to the client, never stored; or changed an upload. */
    ADAPTED,
    /** The REQMOD service answered an upload with a response of its own: the client got it, the origin nothing. */
    BLOCKED,
    /** The service failed and {@code bypass} is on: the origin's response, unscanned, sent and never stored. */
    BYPASSED,
    /** The service failed and the client got an error page (or a cut-off response). */
    FAILED,
    /** Not sent to the service: its type is in {@code skip.contentTypes} or it is larger than {@code maxBodyBytes}. */
    SKIPPED;

    /** The audit tag, e.g. {@code icap=clean}. */
    public String tag() {
        return "icap=" + name().toLowerCase(Locale.ROOT);
    }
}
