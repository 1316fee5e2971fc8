package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuditRecordTest {

    @Test
    void completesOnlyOnceAndKeepsTheFirstEndTime() {
        AuditRecord r = new AuditRecord();
        r.setStartEpochMillis(1_000);

        assertTrue(r.complete(1_250));
        assertFalse(r.complete(9_000));

        assertTrue(r.isCompleted());
        assertEquals(250, r.getDurationMillis());
        assertEquals(1_250, r.endEpochMillis());
    }

    @Test
    void aClockStepBackDoesNotGiveANegativeDuration() {
        AuditRecord r = new AuditRecord();
        r.setStartEpochMillis(1_000);
        r.complete(900);
        assertEquals(0, r.getDurationMillis());
    }

    @Test
    void absentListsAreEmptyNotNull() {
        AuditRecord r = new AuditRecord();
        r.setCategories(null);
        assertTrue(r.getCategories().isEmpty());
        assertTrue(r.getTags().isEmpty());
    }

    @Test
    void aRequestIdGivenAsPrefixAndSequenceReadsAsThePrefixAndTheSequenceInBase36() {
        AuditRecord r = new AuditRecord();
        r.setRequestId("k3x9q-", 1_295L);
        assertEquals("k3x9q-zz", r.getRequestId());
        assertTrue(new JsonLinesFormatter().format(r).contains("\"requestId\":\"k3x9q-zz\""));

        r.setRequestId("-");
        assertEquals("-", r.getRequestId());
        r.setRequestId("k3x9q-", Long.MAX_VALUE);
        assertEquals("k3x9q-1y2p0ij32e8e7", r.getRequestId());
    }

    @Test
    void markingAbortedAddsTheSuffixOnceAndKeepsAnEarlierError() {
        AuditRecord r = new AuditRecord();
        r.setResultCode("TCP_HIT");
        r.markAborted("client_aborted");
        r.markAborted("stored_body_short");
        assertEquals("TCP_HIT_ABORTED", r.getResultCode());
        assertEquals("client_aborted", r.getError());

        AuditRecord upstream = new AuditRecord();
        upstream.setResultCode("TCP_MISS_ABORTED");
        upstream.setError("upstream_aborted");
        upstream.markAborted("client_aborted");
        assertEquals("TCP_MISS_ABORTED", upstream.getResultCode());
        assertEquals("upstream_aborted", upstream.getError());
    }

    /** A record written long after its client left (the download finished for the cache) is logged as ending at the cut. */
    @Test
    void anAbortedAccessEndsWhenItWasCutOffNotWhenItsRecordIsWritten() {
        long start = System.currentTimeMillis() - 1_000;
        AuditRecord r = new AuditRecord();
        r.setStartEpochMillis(start);
        r.markAborted("client_aborted");
        assertTrue(r.complete(start + 3_600_000));
        assertTrue(r.getDurationMillis() >= 1_000 && r.getDurationMillis() < 3_600_000, () -> "duration " + r.getDurationMillis());

        AuditRecord whole = new AuditRecord();
        whole.setStartEpochMillis(start);
        assertTrue(whole.complete(start + 3_600_000));
        assertEquals(3_600_000, whole.getDurationMillis());
    }
}
