package dev.gatehouse.icap;

import dev.gatehouse.upstream.UpstreamResponse;

/**
 * A response after the ICAP service: the one to send (the origin's, or the service's replacement), what the
 * service made of it, and the threat it named, if any ({@code X-Infection-Found}'s {@code Threat=}, or
 * {@code X-Virus-ID}). The caller closes {@link #response}.
 */
public record ScanResult(UpstreamResponse response, ScanOutcome outcome, String virus, IcapException failure) {
    /** Whether the cache may store {@link #response}: only a scanned original or a response never meant to be scanned. */
    public boolean storable() {
        return outcome == ScanOutcome.CLEAN || outcome == ScanOutcome.SKIPPED;
    }
}
