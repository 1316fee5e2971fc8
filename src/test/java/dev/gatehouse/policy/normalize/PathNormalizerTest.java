package dev.gatehouse.policy.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

    /** The examples of RFC 3986 §5.4, restricted to absolute paths. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /a/b/c/./../../g   | /a/g
            /mid/content=5/../6 | /mid/6
            /a/b/c/.           | /a/b/c/
            /a/b/c/..          | /a/b/
            /a/./b/            | /a/b/
            /./                | /
            /.                 | /
            /..                | /
            /a/.b/..c          | /a/.b/..c
            /a/b/../../../x    | /x
            """)
    void removesDotSegments(String path, String expected) {
        assertEquals(expected, PathNormalizer.removeDotSegments(path));
    }
}
