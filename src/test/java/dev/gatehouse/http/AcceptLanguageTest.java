package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Choosing a page language from {@code Accept-Language} (RFC 9110 §12.5.4, RFC 4647 §3.3.1 and §3.4). */
class AcceptLanguageTest {
    /** The organisation's languages, in configuration order; {@code en} is the default. */
    private static final String[] TAGS = {"en", "de", "fr-CA", "zh-Hant", "pt-BR"};
    private static final int DEFAULT = 0;

    private static String chosen(String field) {
        return TAGS[AcceptLanguage.choose(field, TAGS, DEFAULT)];
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                  | en
            ''                                    | en
            de                                    | de
            de-DE,de;q=0.9,en;q=0.5               | de
            fr-CA                                 | fr-CA
            # q-values: the highest weight wins, wherever it stands
            en;q=0.5, de                          | de
            en;q=0.4, de;q=0.6                    | de
            de;q=0.001, en;q=0.002                | en
            de;q=1.0, en;q=1                      | de
            # ties go to the earlier range
            de;q=0.5, en;q=0.5                    | de
            en;q=0.5, de;q=0.5                    | en
            # lookup's fallback (RFC 4647 §3.4): de-CH falls back to de, zh-Hant-TW to zh-Hant
            de-CH                                 | de
            de-CH-1996                            | de
            zh-Hant-TW                            | zh-Hant
            zh-Hant-x-private                     | zh-Hant
            # basic filtering (RFC 4647 §3.3.1): a range matches the longer tags it prefixes
            fr                                    | fr-CA
            zh                                    | zh-Hant
            pt                                    | pt-BR
            # but a region is not shared sideways: fr-FR is not fr-CA, pt-PT is not pt-BR
            fr-FR                                 | en
            pt-PT, de;q=0.1                       | de
            # unmatched ranges give the default
            ja                                    | en
            ja, ko;q=0.9                          | en
            # a fallback of the preferred range beats a lower-weighted exact one
            de-CH, en;q=0.5                       | de
            # the wildcard: the default, unless ruled out
            *                                     | en
            ja, *;q=0.1                           | en
            fr;q=0.1, *                           | en
            en;q=0, *                             | de
            # q=0 rules a language out, also for its longer tags and as a fallback
            de;q=0, de-CH                         | en
            fr;q=0, fr-CA                         | en
            de-CH, de;q=0, fr;q=0.5               | fr-CA
            *;q=0                                 | en
            de;q=0                                | en
            # case-insensitive tags and q (RFC 5646 §2.1.1)
            DE-ch                                 | de
            FR-ca                                 | fr-CA
            ZH-HANT                               | zh-Hant
            en;Q=0.1, de;Q=0.2                    | de
            # white space and empty list elements (RFC 9110 §5.6.1)
            '  ,, de ; q=0.8 ,  , en ;q=0.7 ,'    | de
            en;q=0.5,	de                        | de
            # malformed items are skipped, the rest still count
            de;q=2, en;q=0.1                      | en
            de;q=1.5, en;q=0.1                    | en
            de;q=1.001, en;q=0.1                  | en
            de;q=0.1234, en;q=0.1                 | en
            de;q=.5, en;q=0.1                     | en
            de;q=, en;q=0.1                       | en
            de;level=1, en;q=0.1                  | en
            de;q=0.9;x=y, en;q=0.1                | en
            de_DE, en;q=0.1                       | en
            de-, en;q=0.1                         | en
            -de, en;q=0.1                         | en
            deutschland, en;q=0.1                 | en
            de-abcdefghi, en;q=0.1                | en
            d1, en;q=0.1                          | en
            de x, en;q=0.1                        | en
            ;q=1, de;q=0.1                        | de
            """)
    void choosesTheBestAvailableLanguage(String field, String expected) {
        assertEquals(expected, chosen(field));
    }

    @Test
    void theDefaultNeedNotBeTheFirstLanguage() {
        String[] tags = {"de", "en"};
        assertEquals(1, AcceptLanguage.choose("ja", tags, 1));
        assertEquals(1, AcceptLanguage.choose("*", tags, 1));
        assertEquals(0, AcceptLanguage.choose("en;q=0, *", tags, 1));
        assertEquals(1, AcceptLanguage.choose("en;q=0, de;q=0, *", tags, 1), "nothing acceptable: the default, a page must be shown");
    }

    @Test
    void onlyTheFirstRangesOfAHugeFieldAreLookedAt() {
        String filler = "ja;q=0.1,".repeat(AcceptLanguage.MAX_RANGES - 1);
        assertEquals("de", chosen(filler + "de"), "the last range within the bound counts");
        assertEquals("en", chosen(filler + "ja," + "de"), "one past the bound is not looked at");
    }

    @Test
    void onlyTheFirstCharactersOfAHugeFieldAreLookedAt() {
        String padding = " ".repeat(AcceptLanguage.MAX_CHARS - 2);
        assertEquals("de", chosen(padding + "de"), "ends exactly at the bound");
        assertEquals("en", chosen(padding + "de-CH"), "an item cut by the bound is ignored, not read as de");
        assertEquals("en", chosen("x".repeat(1 << 20) + ",de"), "one huge item costs at most the bound");
        assertEquals("en", chosen(",".repeat(1 << 20) + "de"), "a megabyte of empty elements too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "de", "de-CH", "fr-CA", "zh-Hant", "zh-Hant-TW", "sr-Latn-RS", "es-419", "de-CH-1996",
            "en-US-x-twain", "haw", "abcdefgh"})
    void wellFormedTags(String tag) {
        assertTrue(AcceptLanguage.isWellFormedTag(tag), tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "e", "*", "de_CH", "de-", "-de", "de--CH", "de CH", "1de", "abcdefghi", "de-abcdefghi",
            "de-CH;q=1", "de,en", "dé"})
    void malformedTags(String tag) {
        assertFalse(AcceptLanguage.isWellFormedTag(tag), tag);
    }
}
