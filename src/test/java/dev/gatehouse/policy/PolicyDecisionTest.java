package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyDecisionTest {
    static Policy policy;

    @BeforeAll
    static void load() {
        policy = PolicyFixtures.load(PolicyFixtures.resource("good/decisions.json"));
        assertTrue(policy.warnings().stream().noneMatch(PolicyProblem::isError));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} from {2} user {3} groups {4} at {5} -> {6} by {7}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET     | http://www.example-corp.com/x       | 10.1.1.1    | -     | -         | -                    | ALLOW | corp-allow
            GET     | http://updates.example/win/kb1      | -           | -     | -         | -                    | ALLOW | updates-cached
            GET     | http://dl.example/pkg?v=2           | -           | -     | -         | -                    | ALLOW | updates-cached
            GET     | http://dl.example/pkg?w=2           | -           | -     | -         | -                    | ALLOW | default
            GET     | http://www.malware.example/         | -           | -     | -         | -                    | BLOCK | malware
            GET     | http://good.com@malware.example/    | -           | -     | -         | -                    | BLOCK | malware
            GET     | http://MALWARE.EXAMPLE./            | -           | -     | -         | -                    | BLOCK | malware
            GET     | http://notmalware.example/          | -           | -     | -         | -                    | ALLOW | default
            CONNECT | 1.2.3.4:443                         | -           | -     | -         | -                    | BLOCK | ip-https
            CONNECT | 0x7f.1:443                          | -           | -     | -         | -                    | BLOCK | ip-https
            CONNECT | [2001:db8::1]:443                   | -           | -     | -         | -                    | BLOCK | ip-https
            GET     | http://1.2.3.4/                     | -           | -     | -         | -                    | ALLOW | default
            GET     | http://social.example/              | 192.168.50.7 | -    | -         | -                    | BLOCK | guests-no-social
            GET     | http://social.example/              | ::ffff:192.168.50.7 | - | -       | -                    | BLOCK | guests-no-social
            GET     | http://social.example/              | 10.20.1.1   | -     | -         | -                    | ALLOW | default
            GET     | http://casino.example/              | 10.20.1.1   | alice | it-admins |  -                   | ALLOW | admins-gamble
            GET     | http://casino.example/              | 10.20.1.1   | bob   | -         | -                    | BLOCK | bob-blocked
            GET     | http://www.casino.example/          | 10.20.1.1   | -     | -         | -                    | WARN  | gambling
            GET     | http://casino.example/              | fd00:20::5  | -     | -         | -                    | WARN  | gambling
            GET     | http://casino.example/              | 172.16.0.1  | -     | -         | -                    | ALLOW | default
            GET     | http://games.example.org/casino/x   | 10.20.1.1   | -     | -         | -                    | WARN  | gambling
            CONNECT | games.example.org:443               | 10.20.1.1   | -     | -         | -                    | ALLOW | default
            GET     | http://app.saas.example/            | -           | -     | -         | -                    | BLOCK | saas-exact
            GET     | http://x.saas.example/              | -           | -     | -         | -                    | ALLOW | corp-saas
            POST    | http://x.saas.example/              | -           | -     | -         | -                    | BLOCK | saas-subs
            POST    | http://saas.example/                | -           | -     | -         | -                    | ALLOW | corp-saas
            GET     | http://site.example/admin/x         | -           | -     | -         | -                    | BLOCK | no-admin-paths
            GET     | http://site.example/x/../admin      | -           | -     | -         | -                    | BLOCK | no-admin-paths
            GET     | http://site.example/administrator   | -           | -     | -         | -                    | ALLOW | default
            CONNECT | site.example:443                    | -           | -     | -         | -                    | ALLOW | default
            GET     | http://portal.example/private       | -           | -     | -         | -                    | BLOCK | not-under-public
            GET     | http://portal.example/public/x      | -           | -     | -         | -                    | ALLOW | default
            CONNECT | portal.example:443                  | -           | -     | -         | -                    | ALLOW | default
            GET     | http://ads12.tracker.example/       | -           | -     | -         | -                    | BLOCK | host-regex
            CONNECT | ads7.tracker.example:443            | -           | -     | -         | -                    | BLOCK | host-regex
            GET     | http://site.example:8080/           | -           | -     | -         | -                    | BLOCK | weird-ports
            CONNECT | site.example:2323                   | -           | -     | -         | -                    | BLOCK | weird-ports
            GET     | http://site.example:80/             | -           | -     | -         | -                    | ALLOW | default
            GET     | ftp://files.example/pub             | -           | -     | -         | -                    | BLOCK | ftp
            GET     | http://video.example/               | -           | -     | -         | 2026-11-23T09:00:00Z | BLOCK | work-hours-video
            GET     | http://video.example/               | -           | -     | -         | 2026-11-23T17:30:00Z | ALLOW | default
            GET     | http://video.example/               | -           | -     | -         | 2026-11-22T12:00:00Z | ALLOW | default
            GET     | http://night.example/               | -           | -     | -         | 2026-11-21T23:00:00Z | BLOCK | night
            GET     | http://night.example/               | -           | -     | -         | 2026-11-22T05:59:00Z | BLOCK | night
            GET     | http://night.example/               | -           | -     | -         | 2026-11-22T06:00:00Z | ALLOW | default
            GET     | http://night.example/               | -           | -     | -         | 2026-11-21T21:59:00Z | ALLOW | default
            GET     | http://chat.example/                | -           | -     | -         | 2026-11-23T09:00:00Z | ALLOW | default
            GET     | http://chat.example/                | -           | -     | -         | 2026-11-22T09:00:00Z | BLOCK | not-work-hours
            GET     | http://203.0.113.9/                 | -           | -     | -         | -                    | BLOCK | dest-cidr
            GET     | http://[::ffff:203.0.113.9]/        | -           | -     | -         | -                    | BLOCK | dest-cidr
            GET     | http://members.example/             | -           | -     | -         | -                    | BLOCK | anon
            GET     | http://members.example/             | -           | alice | -         | -                    | ALLOW | default
            GET     | http://exact.example/               | -           | -     | -         | -                    | ALLOW | corp-saas
            GET     | http://www.exact.example/           | -           | -     | -         | -                    | ALLOW | default
            GET     | http://docs.example/corp/x          | -           | -     | -         | -                    | ALLOW | corp-saas
            GET     | http://docs.example/other           | -           | -     | -         | -                    | ALLOW | default
            """)
    void decides(String method, String target, String client, String user, String groups, String at,
            Action action, String rule) {
        Decision decision = policy.decide(PolicyFixtures.facts(method, target, client, user, groups,
                at == null ? null : Instant.parse(at)));
        assertEquals(action + " " + rule, decision.action() + " " + decision.ruleId());
        assertEquals(policy.version(), decision.policyVersion());
    }

    @Test
    void accumulatesTagsAndCacheModeFromContinuingRules() {
        Decision corp = policy.decide(PolicyFixtures.facts("GET", "http://example-corp.net/", null, null, null, null));
        assertEquals(CacheMode.BYPASS, corp.cacheMode());
        assertEquals(List.of("corp"), corp.tags());

        Decision social = policy.decide(PolicyFixtures.facts("GET", "http://social.example/", "10.20.1.1", null, null,
                null));
        assertEquals(CacheMode.NO_STORE, social.cacheMode());
        assertEquals(List.of("social", "default"), social.tags());
        assertEquals(List.of("social_networks"), social.categories());
    }

    @Test
    void aLaterTerminalRuleOverridesTheCacheMode() {
        Decision plain = policy.decide(PolicyFixtures.facts("GET", "http://updates.example/win/x", null, null, null,
                null));
        assertEquals(CacheMode.NORMAL, plain.cacheMode());
    }

    @Test
    void requestsInNoCategoryDecidedByTheSameRuleShareOneDecision() {
        Decision first = policy.decide(PolicyFixtures.facts("GET", "http://a.example/", null, null, null, null));
        Decision second = policy.decide(PolicyFixtures.facts("GET", "http://b.example/x", "10.9.9.9", null, null, null));
        assertEquals(new Decision(Action.ALLOW, Decision.DEFAULT_RULE, List.of(), null, null, List.of("default"), CacheMode.NORMAL,
                policy.version()), first);
        assertSame(first, second, "made once per policy, not per request");

        Decision corp = policy.decide(PolicyFixtures.facts("GET", "http://example-corp.net/", null, null, null, null));
        assertEquals("corp-allow", corp.ruleId());
        assertEquals(List.of("corp"), corp.tags(), "a continuing rule's tags are not the terminal rule's alone");
        assertEquals(CacheMode.BYPASS, corp.cacheMode());
    }

    @Test
    void carriesReasonAndCategories() {
        Decision decision = policy.decide(PolicyFixtures.facts("GET", "http://casino.example/", "10.20.1.1", null,
                null, null));
        assertEquals("gambling at work", decision.reason());
        assertEquals(List.of("gambling"), decision.categories());
    }
}
