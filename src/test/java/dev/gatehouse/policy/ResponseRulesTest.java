package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request-side {@code header} and {@code extension} keys, and the response rules: the matchers for
 * {@code contentType} and {@code contentLength}, first match wins, no match lets the response through
 * ({@code good/response-rules.json}).
 */
class ResponseRulesTest {
    private static final Policy POLICY = PolicyFixtures.load(PolicyFixtures.resource("good/response-rules.json"));

    private static RequestFacts request(String url, String groups, String... headerLines) {
        RequestFacts plain = PolicyFixtures.facts("GET", url, null, groups.isEmpty() ? null : "u", groups, null);
        return new RequestFacts(plain.target(), plain.method(), plain.client(), plain.user(), plain.groups(), plain.instant(),
                RequestHeaders.of(List.of(headerLines)));
    }

    private static String responseRule(String groups, String contentType, long length, String... headerLines) {
        Decision d = POLICY.decideResponse(request("http://dl.example/file", groups, headerLines),
                new ResponseFacts(200, contentType, length));
        return d == null ? "through" : d.action().label() + " " + d.ruleId();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "curl/8.5.0                                        | block no-curl",
            "Wget/1.21                                         | block no-curl",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0     | allow default",
            "Mozilla/5.0 curl/8                                | allow default", // anchored: curl only at the start
    })
    void userAgentHeaderRegex(String agent, String expected) {
        Decision d = POLICY.decide(request("http://www.example/", "", "User-Agent: " + agent));
        assertEquals(expected, d.action().label() + " " + d.ruleId());
    }

    @Test
    void anAbsentHeaderDoesNotMatchAndAnyOfSeveralFieldLinesDoes() {
        assertEquals("default", POLICY.decide(request("http://www.example/", "")).ruleId());
        assertEquals("no-curl", POLICY.decide(request("http://www.example/", "", "user-agent: Mozilla/5.0", "User-Agent: curl/8"))
                .ruleId(), "field names are case-insensitive, and any line may match");
    }

    @Test
    void theHeaderFieldIsMatchedOnItsFirst8KiBOnly() {
        String padded = "x".repeat(RegexCondition.MAX_INPUT) + "curl/";
        Policy policy = PolicyFixtures.load(PolicyFixtures.resource("good/response-rules.json"));
        RequestFacts facts = request("http://www.example/", "", "X-Long: " + padded);
        HeaderCondition longField = new HeaderCondition("X-Long", List.of(com.google.re2j.Pattern.compile("curl/")));
        assertEquals(Condition.Outcome.NO_MATCH, longField.test(new Evaluation(facts, policy.categories())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://dl.example/setup.msi             | no-setup-files",
            "http://dl.example/SETUP.MSI?x=1         | no-setup-files",
            "http://dl.example/src/app.tar.gz        | no-setup-files",
            "http://dl.example/setup.msi/readme.txt  | default",
            "http://dl.example/download?file=a.msi   | default",
            "http://dl.example/msi                   | default",
    })
    void extensionOfTheLastPathSegment(String url, String rule) {
        assertEquals(rule, POLICY.decide(request(url, "")).ruleId());
    }

    @Test
    void extensionIsNotApplicableToTunnels() {
        ExtensionCondition condition = new ExtensionCondition(List.of(".exe"));
        RequestFacts tunnel = PolicyFixtures.facts("CONNECT", "dl.example:443", null, null, "", null);
        assertEquals(Condition.Outcome.NOT_APPLICABLE, condition.test(new Evaluation(tunnel, POLICY.categories())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "staff | application/x-msdownload                 | 10         | block no-exe",
            "staff | Application/X-MSDownload ; name=\"a.exe\"  | 10         | block no-exe",
            "staff | application/x-msdownloadx                | 10         | through",
            "guest | application/x-msdownload                 | 10         | through",
            "it    | application/x-msdownload                 | 900000000  | allow it-may",
            "staff | video/mp4                                | 10         | block no-video",
            "staff | VIDEO/webm;codecs=vp9                    | 10         | block no-video",
            "staff | video/                                   | 10         | through",
            "staff | videos/mp4                               | 10         | through",
            "guest | text/html                                | 500000001  | block big",
            "guest | text/html                                | 500000000  | through",
            "guest | text/html                                | -1         | through",
    })
    void responseRulesFirstMatchWinsAndNoMatchLetsTheResponseThrough(String groups, String type, long length, String expected) {
        assertEquals(expected, responseRule(groups, type, length));
    }

    @Test
    void aResponseWithoutContentTypeMatchesNoTypeRule() {
        assertEquals("through", responseRule("staff", null, 10));
    }

    @Test
    void requestHeadersMayDecideAResponseRule() {
        assertEquals("through", responseRule("staff", "video/mp4", 10, "X-Video-Ok: yes"));
    }

    @Test
    void theBlockingDecisionCarriesTheRulesReasonTagsAndVersion() {
        Decision d = POLICY.decideResponse(request("http://dl.example/f", "staff"), new ResponseFacts(200, "application/x-msi", 5));
        assertEquals("Programs must come from the software centre", d.reason());
        assertEquals(List.of("exe"), d.tags());
        assertEquals(POLICY.version(), d.policyVersion());
    }

    @Test
    void aDisabledResponseRuleIsLeftOutAndHeaderNamesAreCollectedAtLoad() {
        assertEquals(List.of("it-may", "no-exe", "no-video", "big", "never"), POLICY.responseRules().stream().map(Rule::id).toList());
        assertEquals(Set.of("user-agent", "x-video-ok"), POLICY.headerNames());
        assertTrue(POLICY.hasResponseRules());
    }

    @Test
    void aPolicyWithoutResponseRulesDecidesNoResponseAndReadsNoHeader() {
        Policy plain = PolicyFixtures.load(PolicyFixtures.resource("good/decisions.json"));
        assertFalse(plain.hasResponseRules());
        assertTrue(plain.headerNames().isEmpty());
        assertNull(plain.decideResponse(request("http://dl.example/f", "staff"), new ResponseFacts(200, "video/mp4", 1L << 40)));
    }

    @Test
    void explainListsResponseRulesAsDecidedWhenTheResponseArrives() {
        Explanation e = POLICY.explain(request("http://dl.example/f", "staff", "User-Agent: curl/8"));
        assertEquals("no-curl", e.decision().ruleId());
        assertTrue(e.toText().contains("response rules: decided when the response arrives: it-may, no-exe, no-video, big, never"),
                e.toText());
    }

    @Test
    void explainHeadersAreNameColonValue() {
        assertThrows(IllegalArgumentException.class, () -> RequestHeaders.of(List.of("User-Agent curl")));
        assertEquals(List.of("curl/8"), RequestHeaders.of(List.of("User-Agent:  curl/8 ")).values("user-agent"));
    }
}
