package dev.gatehouse.cache;

import static dev.gatehouse.cache.ByteRange.Kind.FULL;
import static dev.gatehouse.cache.ByteRange.Kind.PARTIAL;
import static dev.gatehouse.cache.ByteRange.Kind.UNSATISFIABLE;
import static dev.gatehouse.cache.PolicyFixtures.date;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Single-range requests answered from a complete stored 1000-byte body (RFC 9110 §14, §13.1.5). */
class ByteRangeTest {
    private static final long LENGTH = 1000;
    private static final String LAST_MODIFIED = date(-3600);
    private static final CacheEntry STORED = PolicyFixtures.stored(h("Cache-Control", "max-age=60", "ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED));

    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of("no Range", h(), FULL, 0, 999),
                Arguments.of("§14.1.1 first-last", h("Range", "bytes=0-99"), PARTIAL, 0, 99),
                Arguments.of("§14.1.1 open-ended", h("Range", "bytes=900-"), PARTIAL, 900, 999),
                Arguments.of("§14.1.1 last byte past the end is clamped", h("Range", "bytes=900-5000"), PARTIAL, 900, 999),
                Arguments.of("§14.1.1 suffix", h("Range", "bytes=-100"), PARTIAL, 900, 999),
                Arguments.of("§14.1.1 suffix longer than the body", h("Range", "bytes=-5000"), PARTIAL, 0, 999),
                Arguments.of("§14.1.1 one byte", h("Range", "bytes=5-5"), PARTIAL, 5, 5),
                Arguments.of("unit is case-insensitive, spaces tolerated", h("Range", "Bytes = 10 - 19"), PARTIAL, 10, 19),
                Arguments.of("huge numbers do not overflow", h("Range", "bytes=10-99999999999999999999999"), PARTIAL, 10, 999),
                Arguments.of("§14.1.1 first past the end is 416", h("Range", "bytes=1000-"), UNSATISFIABLE, 0, -1),
                Arguments.of("§14.1.1 suffix of zero is 416", h("Range", "bytes=-0"), UNSATISFIABLE, 0, -1),
                Arguments.of("§14.1.1 last before first is ignored", h("Range", "bytes=50-10"), FULL, 0, 999),
                Arguments.of("§14.2 several ranges are ignored", h("Range", "bytes=0-1,5-6"), FULL, 0, 999),
                Arguments.of("§14.2 another unit is ignored", h("Range", "items=0-1"), FULL, 0, 999),
                Arguments.of("§14.2 garbage is ignored", h("Range", "bytes=a-b"), FULL, 0, 999),
                Arguments.of("§14.2 an empty range-spec is ignored", h("Range", "bytes=-"), FULL, 0, 999),
                Arguments.of("§14.2 two Range lines are ignored", h("Range", "bytes=0-1", "Range", "bytes=2-3"), FULL, 0, 999),
                Arguments.of("§13.1.5 If-Range with the strong ETag", h("Range", "bytes=0-9", "If-Range", "\"v1\""), PARTIAL, 0, 9),
                Arguments.of("§13.1.5 If-Range with another ETag", h("Range", "bytes=0-9", "If-Range", "\"v0\""), FULL, 0, 999),
                Arguments.of("§13.1.5 If-Range with a weak ETag never matches", h("Range", "bytes=0-9", "If-Range", "W/\"v1\""), FULL, 0, 999),
                Arguments.of("§13.1.5 If-Range with the Last-Modified date", h("Range", "bytes=0-9", "If-Range", LAST_MODIFIED), PARTIAL, 0, 9),
                Arguments.of("§13.1.5 If-Range with another date", h("Range", "bytes=0-9", "If-Range", date(-60)), FULL, 0, 999),
                Arguments.of("§13.1.5 If-Range with garbage", h("Range", "bytes=0-9", "If-Range", "yesterday"), FULL, 0, 999));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void answersSingleRanges(String rule, CacheHeaders request, ByteRange.Kind kind, long first, long last) {
        ByteRange range = ByteRange.of(PolicyFixtures.get(request), STORED, LENGTH);
        assertEquals(kind, range.kind(), rule);
        assertEquals(first, range.first(), rule);
        assertEquals(last, range.last(), rule);
        ByteRange whole = ByteRange.whole(LENGTH);
        ByteRange fromWhole = ByteRange.of(PolicyFixtures.get(request), STORED, whole);
        assertEquals(range, fromWhole, rule + ": the same answer from the whole body kept by the caller");
        if (kind == FULL) assertSame(whole, fromWhole, rule + ": the caller's whole body, not a copy");
    }

    @Test
    void theWholeOfAnEmptyBodyIsNoBytes() {
        assertEquals(0, ByteRange.whole(0).length());
        assertEquals(ByteRange.of(PolicyFixtures.get(h("Range", "bytes=-10")), STORED, 0),
                ByteRange.of(PolicyFixtures.get(h("Range", "bytes=-10")), STORED, ByteRange.whole(0)));
    }

    @Test
    void partialAndUnsatisfiableResponsesCarryContentRange() {
        assertEquals(h("Content-Range", "bytes 900-999/1000", "Content-Length", "100"),
                ByteRange.of(PolicyFixtures.get(h("Range", "bytes=-100")), STORED, LENGTH).headers());
        assertEquals(h("Content-Range", "bytes */1000", "Content-Length", "0"),
                ByteRange.of(PolicyFixtures.get(h("Range", "bytes=2000-")), STORED, LENGTH).headers());
        assertEquals(100, ByteRange.of(PolicyFixtures.get(h("Range", "bytes=-100")), STORED, LENGTH).length());
    }

    @Test
    void rangesApplyOnlyToGetAndStored200s() {
        CacheHeaders range = h("Range", "bytes=0-9");
        assertEquals(FULL, ByteRange.of(CacheRequest.of("HEAD", PolicyFixtures.URI, range), STORED, LENGTH).kind());
        CacheEntry notFound = PolicyFixtures.stored(404, h("Cache-Control", "max-age=60"), h());
        assertEquals(FULL, ByteRange.of(PolicyFixtures.get(range), notFound, LENGTH).kind());
    }

    /**
     * RFC 9110 §14.1.1: of an empty representation only a suffix-range is satisfiable, yet no 206 can say so
     * (there is no byte to name), so the Range is ignored and the empty 200 sent; an int-range is not satisfiable.
     */
    @Test
    void aSuffixOfAnEmptyBodyIsTheEmptyBodyAndAnIntRangeOfItIs416() {
        assertEquals(FULL, ByteRange.of(PolicyFixtures.get(h("Range", "bytes=-10")), STORED, 0).kind());
        assertEquals(UNSATISFIABLE, ByteRange.of(PolicyFixtures.get(h("Range", "bytes=0-")), STORED, 0).kind());
        assertEquals(UNSATISFIABLE, ByteRange.of(PolicyFixtures.get(h("Range", "bytes=-0")), STORED, 0).kind());
    }

    /**
     * RFC 9110 §13.1.5: an If-Range date that is not a strong validator never matches, and a cache may take a
     * Last-Modified as strong only when its stored Date is at least a second later (§8.8.2.2): otherwise the
     * resource may have changed again within that second, and the client would splice two versions.
     */
    @Test
    void ifRangeWithAWeakLastModifiedDateNeverMatches() {
        CacheHeaders range = h("Range", "bytes=0-9", "If-Range", LAST_MODIFIED);
        CacheEntry sameSecond = PolicyFixtures.stored(h("Cache-Control", "max-age=60", "Last-Modified", LAST_MODIFIED,
                "Date", LAST_MODIFIED));
        assertEquals(FULL, ByteRange.of(PolicyFixtures.get(range), sameSecond, LENGTH).kind());
        CacheEntry noDate = new CacheEntry(200, h("Cache-Control", "max-age=60", "Last-Modified", LAST_MODIFIED),
                PolicyFixtures.T0, PolicyFixtures.T0, "");
        assertEquals(FULL, ByteRange.of(PolicyFixtures.get(range), noDate, LENGTH).kind());
        CacheEntry oneSecondLater = PolicyFixtures.stored(h("Cache-Control", "max-age=60", "Last-Modified", LAST_MODIFIED,
                "Date", date(-3599)));
        assertEquals(PARTIAL, ByteRange.of(PolicyFixtures.get(range), oneSecondLater, LENGTH).kind());
    }

    /** §14.4: the complete length a 206's or 416's Content-Range names; -1 where it names none or is not one. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "bytes 2-5/10 | 10", "bytes */10 | 10", "BYTES 0-0/1 | 1", " bytes 2-5/1099511627776 | 1099511627776",
            "bytes 2-5/* | -1", "null | -1", "bytes 2-5 | -1", "items 2-5/10 | -1", "bytes 2-5/-10 | -1",
            "bytes 2-5/10, bytes 6-7/10 | -1", "bytes 2-5/1234567890123456789012 | -1"})
    void completeLengthIsReadFromContentRange(String contentRange, long expected) {
        assertEquals(expected, ByteRange.completeLength(contentRange));
    }
}
