package dev.gatehouse.audit;

import java.util.List;

/** Test records: the accesses behind the real Squid 5.7 lines in ECOSYSTEM.md §2.1, and numbered ones. */
final class AuditRecords {
    private AuditRecords() {}

    /** A record ending at {@code endMillis}, i.e. started {@code durationMillis} before it. */
    static AuditRecord ended(long endMillis, long durationMillis) {
        AuditRecord r = new AuditRecord();
        r.setStartEpochMillis(endMillis - durationMillis);
        r.complete(endMillis);
        return r;
    }

    static AuditRecord miss() {
        AuditRecord r = ended(1795424585942L, 1);
        r.setRequestId("req-1");
        r.setClientAddress("127.0.0.1");
        r.setMethod("GET");
        r.setUrl("http://origin.test:18603/page.html");
        r.setStatus(200);
        r.setBytesToClient(323);
        r.setBytesFromClient(85);
        r.setResultCode("TCP_MISS");
        r.setHierarchy("HIER_DIRECT");
        r.setUpstreamAddress("127.0.0.1");
        r.setContentType("text/html");
        r.setDecision("allow");
        r.setRule("default");
        r.setCategories(List.of("news"));
        r.setPolicyVersion("v7");
        return r;
    }

    static AuditRecord memHit() {
        AuditRecord r = ended(1795424585952L, 0);
        r.setClientAddress("127.0.0.1");
        r.setMethod("GET");
        r.setUrl("http://origin.test:18603/page.html");
        r.setStatus(200);
        r.setBytesToClient(329);
        r.setResultCode("TCP_MEM_HIT");
        r.setHierarchy("HIER_NONE");
        r.setContentType("text/html");
        return r;
    }

    static AuditRecord denied() {
        AuditRecord r = ended(1795424585962L, 0);
        r.setClientAddress("127.0.0.1");
        r.setMethod("GET");
        r.setUrl("http://blocked.test:18603/x");
        r.setStatus(403);
        r.setBytesToClient(3423);
        r.setResultCode("TCP_DENIED");
        r.setHierarchy("HIER_NONE");
        r.setContentType("text/html");
        return r;
    }

    static AuditRecord tunnel() {
        AuditRecord r = ended(1795424585972L, 3);
        r.setClientAddress("127.0.0.1");
        r.setMethod("CONNECT");
        r.setUrl("origin.test:18603");
        r.setStatus(200);
        r.setBytesToClient(251);
        r.setResultCode("TCP_TUNNEL");
        r.setHierarchy("HIER_DIRECT");
        r.setUpstreamAddress("127.0.0.1");
        return r;
    }

    /** A request that ended before anything was read: every field absent. */
    static AuditRecord empty() {
        AuditRecord r = ended(1795424585000L, 5);
        r.setClientAddress("::1");
        return r;
    }

    /** A plain miss whose request id is {@code id}, for counting and ordering lines. */
    static AuditRecord numbered(String id) {
        AuditRecord r = miss();
        r.setRequestId(id);
        return r;
    }

    /** Values a hostile client could put in a request: line breaks, quotes, NUL, non-ASCII. */
    static AuditRecord hostile() {
        AuditRecord r = ended(1795424585942L, 12);
        r.setRequestId("id\"\n{\"fake\":1}");
        r.setClientAddress("10.0.0.1 \n");
        r.setUser("CORP\\alice bob\r\n\u0000é😀");
        r.setMethod("GE T\n");
        r.setUrl("http://h.test/a b\r\n1795424585.942 0 1.2.3.4 TCP_HIT/200\u0000\u2028\u0085é\ud800");
        r.setStatus(200);
        r.setResultCode("TCP_MISS");
        r.setHierarchy("HIER_DIRECT");
        r.setContentType("text/html; charset=\"utf-8\"\t");
        r.setRule("r\\1\u001b[31m");
        r.setCategories(List.of("a\nb", "ü"));
        r.setError("bad\u007f");
        r.setTags(List.of("\u2029"));
        return r;
    }
}
