package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParentProxiesTest {
    private static final ParentProxies.Parent HQ = new ParentProxies.Parent("hq-proxy.corp.example", 3128);
    private static final ParentProxies.Parent HQ2 = new ParentProxies.Parent("hq2.corp.example", 8080);
    private static final ParentProxies.Parent HQ3 = new ParentProxies.Parent("hq3.corp.example", 3128);
    private final AtomicLong now = new AtomicLong();

    private ParentProxies parents(boolean fallbackDirect, String... directDomains) {
        return new ParentProxies(List.of(HQ, HQ2), null, List.of(directDomains), fallbackDirect, Duration.ofSeconds(30), now::get,
                ParentProxies.Selection.ORDERED);
    }

    private ParentProxies three(ParentProxies.Selection selection, boolean fallbackDirect) {
        return new ParentProxies(List.of(HQ, HQ2, HQ3), null, List.of(), fallbackDirect, Duration.ofSeconds(30), now::get, selection);
    }

    /** The parents of the route for example.com, from no client. */
    private static List<ParentProxies.Parent> route(ParentProxies p, String host) {
        return p.route(host, null).parents();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutParentsEverythingGoesDirect() {
        assertFalse(ParentProxies.NONE.enabled());
        assertEquals(List.of(), route(ParentProxies.NONE, "example.com"));
    }

    @Test
    void parentsAreTriedInConfigurationOrder() {
        assertEquals(List.of(HQ, HQ2), route(parents(false), "example.com"));
    }

    @Test
    void directDomainsMatchThemselvesAndTheirSubdomainsInAnyCase() {
        ParentProxies p = parents(false, "corp.example", ".intranet.example");
        for (String host : List.of("corp.example", "wiki.corp.example", "WIKI.Corp.Example.", "intranet.example", "a.b.intranet.example")) {
            assertEquals(List.of(), route(p, host), host);
        }
        for (String host : List.of("notcorp.example", "corp.example.evil.test", "example", "10.1.2.3")) {
            assertEquals(List.of(HQ, HQ2), route(p, host), host);
        }
    }

    @Test
    void aParentThatFailedIsPassedOverForThirtySecondsThenTriedFirstAgain() {
        ParentProxies p = parents(false);
        p.failed(HQ);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(List.of(HQ2, HQ), route(p, "example.com"), "still tried, but last");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(List.of(HQ, HQ2), route(p, "example.com"));
    }

    @Test
    void aParentReachedAgainIsNoLongerPassedOver() {
        ParentProxies p = parents(false);
        p.failed(HQ);
        p.reached(HQ);
        assertEquals(List.of(HQ, HQ2), route(p, "example.com"));
    }

    @Test
    void withFallbackDirectParentsThatAreDownAreLeftOutAndNoneLeftMeansDirect() {
        ParentProxies p = parents(true);
        assertTrue(p.fallbackDirect());
        p.failed(HQ);
        assertEquals(List.of(HQ2), route(p, "example.com"));
        p.failed(HQ2);
        assertEquals(List.of(), route(p, "example.com"));
    }

    @Test
    void basicCredentialsAreUtf8Base64() {
        assertEquals("Basic YnJhbmNoOnDDpHNzOndvcmQ=", ParentProxies.basic("branch", "päss:word"));
    }

    @Test
    void anIpv6ParentIsWrittenInBrackets() {
        assertEquals("[2001:db8::1]:3128", new ParentProxies.Parent("2001:db8::1", 3128).authority());
    }

    @Test
    void orderedStartsAtTheFirstParentWhateverTheClient() {
        ParentProxies p = three(ParentProxies.Selection.ORDERED, false);
        for (int i = 0; i < 4; i++) {
            ParentProxies.Route r = p.route("example.com", address("10.0.0." + i));
            assertEquals(List.of(HQ, HQ2, HQ3), r.parents());
            assertEquals("FIRSTUP_PARENT", r.hierarchy(HQ));
            assertEquals("ANY_OLD_PARENT", r.hierarchy(HQ2), "a failover, as Squid's selectAllParents logs it");
        }
    }

    @Test
    void roundRobinStartsEachRouteAtTheNextParentAndTheOthersFollowInOrder() {
        ParentProxies p = three(ParentProxies.Selection.ROUND_ROBIN, false);
        assertEquals(List.of(HQ, HQ2, HQ3), route(p, "example.com"));
        assertEquals(List.of(HQ2, HQ3, HQ), route(p, "example.com"));
        assertEquals(List.of(HQ3, HQ, HQ2), route(p, "example.com"));
        assertEquals(List.of(HQ, HQ2, HQ3), route(p, "example.com"));
    }

    @Test
    void roundRobinSpreadsRoutesEvenlyOverTheParents() {
        ParentProxies p = three(ParentProxies.Selection.ROUND_ROBIN, false);
        Map<ParentProxies.Parent, Integer> first = new HashMap<>();
        for (int i = 0; i < 300; i++) first.merge(route(p, "example.com").getFirst(), 1, Integer::sum);
        assertEquals(Map.of(HQ, 100, HQ2, 100, HQ3, 100), first);
    }

    @Test
    void roundRobinTurnsOverTheParentsThatAreUpEvenlyAndTriesOneThatIsDownLast() {
        ParentProxies p = three(ParentProxies.Selection.ROUND_ROBIN, false);
        p.failed(HQ2);
        Map<ParentProxies.Parent, Integer> first = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            List<ParentProxies.Parent> r = route(p, "example.com");
            assertEquals(HQ2, r.getLast(), "passed over: last");
            first.merge(r.getFirst(), 1, Integer::sum);
        }
        assertEquals(Map.of(HQ, 50, HQ3, 50), first);
    }

    @Test
    void roundRobinWithFallbackDirectLeavesOutParentsThatAreDown() {
        ParentProxies p = three(ParentProxies.Selection.ROUND_ROBIN, true);
        p.failed(HQ);
        assertEquals(List.of(HQ2, HQ3), route(p, "example.com"));
        assertEquals(List.of(HQ3, HQ2), route(p, "example.com"));
        p.failed(HQ2);
        p.failed(HQ3);
        assertTrue(p.route("example.com", null).isEmpty());
    }

    @Test
    void roundRobinAuditsTheChosenParentAsRoundrobinAndOneAfterItAsAnyOldParent() {
        ParentProxies.Route r = three(ParentProxies.Selection.ROUND_ROBIN, false).route("example.com", null);
        assertEquals("ROUNDROBIN_PARENT", r.hierarchy(HQ));
        assertEquals("ANY_OLD_PARENT", r.hierarchy(HQ2));
    }

    @Test
    void clientHashGivesOneClientTheSameParentEveryTimeAndAcrossInstances() {
        ParentProxies p = three(ParentProxies.Selection.CLIENT_HASH, false);
        for (String client : List.of("10.1.2.3", "192.168.7.40", "2001:db8::17")) {
            ParentProxies.Route first = p.route("example.com", address(client));
            for (int i = 0; i < 5; i++) assertEquals(first, p.route("other.example", address(client)), client);
            // A new instance (a restart): the hash has a fixed seed, not a per-run one.
            assertEquals(first.parents(), three(ParentProxies.Selection.CLIENT_HASH, false).route("example.com", address(client)).parents());
            assertEquals("SOURCEHASH_PARENT", first.hierarchy(first.parents().getFirst()));
            assertEquals("ANY_OLD_PARENT", first.hierarchy(first.parents().get(1)));
        }
    }

    @Test
    void clientHashSpreadsASubnetsClientsOverAllTheParents() {
        ParentProxies p = three(ParentProxies.Selection.CLIENT_HASH, false);
        Map<ParentProxies.Parent, Integer> first = new HashMap<>();
        for (int i = 1; i <= 240; i++) first.merge(p.route("example.com", address("10.20.30." + i)).parents().getFirst(), 1, Integer::sum);
        assertEquals(3, first.size(), first.toString());
        for (int count : first.values()) assertTrue(count >= 50 && count <= 110, first.toString());
    }

    @Test
    void clientHashMovesOnlyTheClientsOfAParentThatIsDownToTheNextOneAndBackWhenItIsUp() {
        ParentProxies p = three(ParentProxies.Selection.CLIENT_HASH, false);
        Map<InetAddress, ParentProxies.Parent> before = new HashMap<>();
        for (int i = 1; i <= 60; i++) before.put(address("10.20.30." + i), p.route("example.com", address("10.20.30." + i)).parents().getFirst());
        p.failed(HQ2);
        before.forEach((client, parent) -> {
            List<ParentProxies.Parent> r = p.route("example.com", client).parents();
            assertEquals(parent == HQ2 ? HQ3 : parent, r.getFirst(), client.toString());
            assertEquals(HQ2, r.getLast(), "passed over: last");
        });
        p.reached(HQ2);
        before.forEach((client, parent) -> assertEquals(parent, p.route("example.com", client).parents().getFirst()));
    }

    @Test
    void aRequestWithoutAClientGoesToTheFirstParentUnderClientHash() {
        assertEquals(List.of(HQ, HQ2, HQ3), route(three(ParentProxies.Selection.CLIENT_HASH, false), "example.com"));
    }

    @Test
    void viaParentTakesNoRoundRobinTurn() {
        ParentProxies p = three(ParentProxies.Selection.ROUND_ROBIN, true);
        assertTrue(p.viaParent("example.com"));
        assertEquals(HQ, route(p, "example.com").getFirst());
        p.failed(HQ);
        p.failed(HQ2);
        p.failed(HQ3);
        assertFalse(p.viaParent("example.com"), "all down, and fallbackDirect");
    }

    @Test
    void selectionsAreNamedAsInTheConfiguration() {
        assertEquals(ParentProxies.Selection.ROUND_ROBIN, ParentProxies.Selection.named("round-robin"));
        assertEquals(ParentProxies.Selection.CLIENT_HASH, ParentProxies.Selection.named("client-hash"));
        assertEquals(ParentProxies.Selection.ORDERED, ParentProxies.Selection.named("ordered"));
        assertEquals(null, ParentProxies.Selection.named("sourcehash"));
        assertEquals("\"ordered\", \"round-robin\", \"client-hash\"", ParentProxies.Selection.allowedNames());
    }
}
