package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The redirect location template: parsed once, every value percent-encoded as one URI component. */
class RedirectLocationTest {

    private static Decision decision(String reason, List<String> categories) {
        return new Decision(Action.REDIRECT, "no-games", categories, reason, null, List.of(), CacheMode.NORMAL, "v1");
    }

    private static String expand(String template, RequestFacts facts, Decision decision) {
        return RedirectLocation.parse(template).expand(facts, decision);
    }

    @Test
    void everyPlaceholderIsSubstitutedAndEncoded() {
        RequestFacts facts = PolicyFixtures.facts("GET", "http://WWW.Games.test/play?a=1&b=%7B2%7D", "10.1.2.3",
                "zoë {x}", "staff games-club", null);
        String location = expand("https://intranet.example/blocked?url={url}&host={host}&client={client}&user={user}"
                + "&groups={groups}&rule={rule}&category={category}&reason={reason}",
                facts, decision("No #games & fun {really}", List.of("games", "kids")));
        assertEquals("https://intranet.example/blocked?url=http%3A%2F%2Fwww.games.test%2Fplay%3Fa%3D1%26b%3D%257B2%257D"
                + "&host=www.games.test&client=10.1.2.3&user=zo%C3%AB%20%7Bx%7D&groups=games-club%2Cstaff&rule=no-games"
                + "&category=games%2Ckids&reason=No%20%23games%20%26%20fun%20%7Breally%7D", location);
    }

    @Test
    void absentValuesAreEmptyAndLiteralTextIsKept() {
        RequestFacts facts = PolicyFixtures.facts("GET", "http://a.example/", "::1", null, null, null);
        assertEquals("https://intranet.example/why/no-games?u=&c=&r=&g=&from=0%3A0%3A0%3A0%3A0%3A0%3A0%3A1#top",
                expand("https://intranet.example/why/{rule}?u={user}&c={category}&r={reason}&g={groups}&from={client}#top",
                        facts, decision(null, List.of())));
        assertEquals("http://intranet.example/static", expand("http://intranet.example/static", facts,
                decision(null, List.of())));
    }

    @Test
    void aValueCannotAddAParameterAFragmentOrAPath() {
        RequestFacts facts = PolicyFixtures.facts("GET", "http://a.example/x", null, "eve&admin=1#/../", null, null);
        String location = expand("https://intranet.example/b?user={user}", facts, decision(null, List.of()));
        assertEquals("https://intranet.example/b?user=eve%26admin%3D1%23%2F..%2F", location);
        assertEquals(1, location.chars().filter(c -> c == '=').count());
    }

    @Test
    void badTemplatesAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedirectLocation.parse("https://i.example/?u={URL}"))
                .getMessage().startsWith("unknown placeholder '{URL}'"));
        assertEquals("unclosed '{' at character 22 of 'location'", assertThrows(IllegalArgumentException.class,
                () -> RedirectLocation.parse("https://i.example/?u={url")).getMessage());
        for (String bad : List.of("/blocked?url={url}", "intranet.example/b", "ftp://i.example/", "https:///path",
                "https://i.example/}", "{url}")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> RedirectLocation.parse(bad)).getMessage()
                    .startsWith("'location' must be an absolute http or https URL"), bad);
        }
    }

    @Test
    void theHostIsTheTemplatesOwn() {
        assertEquals("intranet.example", RedirectLocation.parse("https://intranet.example:8443/b?u={url}").host());
        assertEquals("https://intranet.example/b?u={url}", RedirectLocation.parse("https://intranet.example/b?u={url}").toString());
    }
}
