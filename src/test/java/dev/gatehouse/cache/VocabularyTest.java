package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.http.TargetCorpus;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The small types the policy speaks: HTTP dates, header multi-maps, directives and keys. */
class VocabularyTest {
    private static final long NOV_6_1994 = 784111777000L;

    static Stream<Arguments> dates() {
        return Stream.of(
                Arguments.of("Sun, 06 Nov 1994 08:49:37 GMT", OptionalLong.of(NOV_6_1994)),
                Arguments.of("Sunday, 06-Nov-94 08:49:37 GMT", OptionalLong.of(NOV_6_1994)),
                Arguments.of("Sun Nov  6 08:49:37 1994", OptionalLong.of(NOV_6_1994)),
                Arguments.of("sun, 06 nov 1994 08:49:37 gmt", OptionalLong.of(NOV_6_1994)),
                Arguments.of("  Mon, 06 Nov 1994 08:49:37 GMT ", OptionalLong.of(NOV_6_1994)),
                Arguments.of("Thursday, 01-Jan-26 00:00:00 GMT", OptionalLong.of(1767225600000L)),
                Arguments.of("Sun, 06 Nov 1994 08:49:60 GMT", OptionalLong.of(NOV_6_1994 + 22000)),
                Arguments.of("Sun, 30 Feb 1994 08:49:37 GMT", OptionalLong.empty()),
                Arguments.of("Sun, 06 Nox 1994 08:49:37 GMT", OptionalLong.empty()),
                Arguments.of("Sun, 06 Nov 1994 08:49:37 UTC", OptionalLong.empty()),
                Arguments.of("Sun, 06 Nov 1994 25:49:37 GMT", OptionalLong.empty()),
                Arguments.of("1994-11-06T08:49:37Z", OptionalLong.empty()),
                Arguments.of("0", OptionalLong.empty()),
                Arguments.of("-1", OptionalLong.empty()),
                Arguments.of("", OptionalLong.empty()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("dates")
    void parsesTheThreeDateFormatsAndNothingElse(String text, OptionalLong expected) {
        assertEquals(expected, HttpDate.parse(text));
    }

    @Test
    void formatsImfFixdate() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(NOV_6_1994));
        assertEquals(OptionalLong.empty(), HttpDate.parse(null));
    }

    @Test
    void headerNamesAreCaseInsensitiveAndLinesKeepTheirOrder() {
        CacheHeaders headers = CacheHeaders.of("Accept", "a", "X-One", "1", "accept", "b");
        assertEquals("a", headers.first("ACCEPT"));
        assertEquals(List.of("a", "b"), headers.all("Accept"));
        assertEquals("a, b", headers.combined("accept"));
        assertNull(headers.combined("Missing"));
        assertEquals(List.of("Accept", "X-One"), List.copyOf(headers.names()));
        assertEquals(CacheHeaders.of("X-One", "1"), headers.without("ACCEPT"));
        assertEquals(CacheHeaders.of("X-One", "1", "Accept", "c"), headers.with("accept", "c"));
        assertEquals(CacheHeaders.of("accept", "a", "x-one", "1", "Accept", "b"), headers);
        assertFalse(headers.has("X-Two"));
        assertThrows(IllegalArgumentException.class, () -> CacheHeaders.of("Odd"));
    }

    @Test
    void listElementsRespectQuotes() {
        CacheHeaders headers = CacheHeaders.of("If-None-Match", "\"a,b\", W/\"c\"", "If-None-Match", " ,\"d\"");
        assertEquals(List.of("\"a,b\"", "W/\"c\"", "\"d\""), headers.elements("if-none-match"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max-age=60              | max-age | 60",
            "MAX-AGE=60              | max-age | 60",
            "max-age=\"60\"          | max-age | 60",
            "max-age=0060            | max-age | 60",
            "max-age=99999999999     | max-age | 2147483648",
            "max-age=2147483649      | max-age | 2147483648",
            "max-age=60, max-age=60  | max-age | 60",
            "max-age=60, max-age=61  | max-age | ",
            "max-age=                | max-age | ",
            "max-age=1.5             | max-age | ",
            "max-age=+5              | max-age | ",
            "max-age                 | max-age | ",
            "public                  | max-age | "})
    void parsesDeltaSecondsDefensively(String cacheControl, String directive, Long expected) {
        CacheControl cc = CacheControl.of(CacheHeaders.of("Cache-Control", cacheControl));
        assertEquals(expected == null ? -7 : expected, cc.seconds(directive, -7), cacheControl + ", with a value for empty");
        String value = cc.value(directive);
        if (!cacheControl.contains(",")) { // one directive: its value alone parses the same way
            assertEquals(expected == null ? -7 : expected, CacheControl.deltaSeconds(value, -7), cacheControl);
        }
    }

    @Test
    void qualifiedDirectivesListFieldNames() {
        CacheControl cc = CacheControl.of(CacheHeaders.of("Cache-Control", "no-cache=\"Set-Cookie, X-User\", Private"));
        assertEquals(List.of("set-cookie", "x-user"), cc.fieldNames("no-cache"));
        assertEquals(List.of(), cc.fieldNames("private"));
        assertEquals(true, cc.has("private"));
    }

    @ParameterizedTest
    @CsvSource({
            "http://Example.COM/a,            http://example.com/a",
            "http://example.com:80/a,         http://example.com/a",
            "https://example.com:443/a,       https://example.com/a",
            "http://example.com:8080/a,       http://example.com:8080/a",
            "http://example.com,              http://example.com/",
            "http://example.com/a?b=1#frag,   http://example.com/a?b=1",
            "http://example.com/A%2fb,        http://example.com/A%2fb",
            "HTTP://example.com/x,            http://example.com/x",
            "http://example.com:0080/a,       http://example.com/a",
            "http://example.com:08080/a,      http://example.com:8080/a",
            "http://127.0.0.1:28050/c/1k,     http://127.0.0.1:28050/c/1k",
            "http://user:pw@example.com/a,    http://example.com/a",
            "http://example.com/a?,           http://example.com/a?",
            "http://example.com?q,            http://example.com/?q",
            "http://[::1]:8080/a?b#c,         http://[::1]:8080/a?b",
            "http://[::1]/a,                  http://[::1]/a",
            "ftp://example.com:21/f,          ftp://example.com/f",
            "https://example.com:44/a,        https://example.com:44/a",
            "http://example.com:/a,           http://example.com/a",
            "http://example.com:80,           http://example.com/",
            "http://example.com:8080#f,       http://example.com:8080/"})
    void normalisesKeys(String uri, String key) {
        assertEquals(key, CacheKey.of(uri).value());
        RequestTarget target = RequestTarget.parse(uri, null); // null with user info, which a request target refuses
        if (target != null) assertEquals(key, CacheKey.of(target).value(), "from the request target");
    }

    /** The keys of request targets are the keys of the same targets as {@code java.net.URI}s, byte for byte. */
    @Test
    void aRequestTargetsKeyIsItsUrisKey() {
        int compared = 0;
        for (TargetCorpus.Input in : TargetCorpus.inputs(20240612L, 100_000)) {
            URI uri = TargetCorpus.oracle(in.uri(), in.query());
            if (uri == null) continue;
            assertEquals(CacheKey.of(uri), CacheKey.of(RequestTarget.parse(in.uri(), in.query())), in.toString());
            compared++;
        }
        assertTrue(compared > 10_000, compared + " compared");
    }

    @Test
    void aTargetInNormalFormIsItsOwnKey() {
        RequestTarget target = RequestTarget.parse("http://127.0.0.1:18050/c/1k", "a=1");
        assertSame(target.text(), CacheKey.of(target).value(), "no text built");
    }

    @Test
    void keysNeedAnAbsoluteUri() {
        assertThrows(IllegalArgumentException.class, () -> CacheKey.of("/relative"));
        assertEquals("http://example.com:8080", CacheKey.of("http://example.com:8080/a/b").origin());
    }
}
