package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParentProxiesTest {
    private static final ParentProxies.Parent HQ = new ParentProxies.Parent("hq-proxy.corp.example", 3128);
    private static final ParentProxies.Parent HQ2 = new ParentProxies.Parent("hq2.corp.example", 8080);
    private final AtomicLong now = new AtomicLong();

    private ParentProxies parents(boolean fallbackDirect, String... directDomains) {
        return new ParentProxies(List.of(HQ, HQ2), null, List.of(directDomains), fallbackDirect, Duration.ofSeconds(30), now::get);
    }

    @Test
    void withoutParentsEverythingGoesDirect() {
        assertFalse(ParentProxies.NONE.enabled());
        assertEquals(List.of(), ParentProxies.NONE.route("example.com"));
    }

    @Test
    void parentsAreTriedInConfigurationOrder() {
        assertEquals(List.of(HQ, HQ2), parents(false).route("example.com"));
    }

    @Test
    void directDomainsMatchThemselvesAndTheirSubdomainsInAnyCase() {
        ParentProxies p = parents(false, "corp.example", ".intranet.example");
        for (String host : List.of("corp.example", "wiki.corp.example", "WIKI.Corp.Example.", "intranet.example", "a.b.intranet.example")) {
            assertEquals(List.of(), p.route(host), host);
        }
        for (String host : List.of("notcorp.example", "corp.example.evil.test", "example", "10.1.2.3")) {
            assertEquals(List.of(HQ, HQ2), p.route(host), host);
        }
    }

    @Test
    void aParentThatFailedIsPassedOverForThirtySecondsThenTriedFirstAgain() {
        ParentProxies p = parents(false);
        p.failed(HQ);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(List.of(HQ2, HQ), p.route("example.com"), "still tried, but last");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(List.of(HQ, HQ2), p.route("example.com"));
    }

    @Test
    void aParentReachedAgainIsNoLongerPassedOver() {
        ParentProxies p = parents(false);
        p.failed(HQ);
        p.reached(HQ);
        assertEquals(List.of(HQ, HQ2), p.route("example.com"));
    }

    @Test
    void withFallbackDirectParentsThatAreDownAreLeftOutAndNoneLeftMeansDirect() {
        ParentProxies p = parents(true);
        assertTrue(p.fallbackDirect());
        p.failed(HQ);
        assertEquals(List.of(HQ2), p.route("example.com"));
        p.failed(HQ2);
        assertEquals(List.of(), p.route("example.com"));
    }

    @Test
    void basicCredentialsAreUtf8Base64() {
        assertEquals("Basic YnJhbmNoOnDDpHNzOndvcmQ=", ParentProxies.basic("branch", "päss:word"));
    }

    @Test
    void anIpv6ParentIsWrittenInBrackets() {
        assertEquals("[2001:db8::1]:3128", new ParentProxies.Parent("2001:db8::1", 3128).authority());
    }
}
