package dev.gatehouse.policy.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizationNotesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://example.com/a            | ''
            http://example.com              | ''
            http://good.com@evil.com/       | userinfo 'good.com@' removed: the host is what follows the last '@'
            http://WWW.Example.com./        | host 'WWW.Example.com.' is 'www.example.com' (lower case, without trailing dot)
            http://bücher.example/          | host 'bücher.example' is 'xn--bcher-kva.example' (internationalised name as punycode A-labels)
            http://0x7f.1/                  | host '0x7f.1' is '127.0.0.1' (IP address in canonical form)
            http://example.com:80/          | default port :80 dropped
            http://example.com/x#top        | fragment '#top' dropped: browsers never send it
            http://example.com/a/../%7eb    | path '/a/../%7eb' is '/~b' (RFC 3986: escapes and dot segments normalised)
            """)
    void describesEachChange(String raw, String expected) {
        List<String> notes = NormalizationNotes.of(raw, TargetParser.parseUrl(raw));
        assertEquals(expected.isEmpty() ? List.of() : List.of(expected), notes);
    }

    @ParameterizedTest(name = "CONNECT {0}")
    @CsvSource(delimiter = '|', textBlock = """
            example.com:443                 | ''
            Example.COM.:443                | host 'Example.COM.' is 'example.com' (lower case, without trailing dot)
            [::FFFF:10.0.0.1]:443           | host '[::FFFF:10.0.0.1]' is '10.0.0.1' (IP address in canonical form)
            """)
    void describesTunnelChanges(String raw, String expected) {
        List<String> notes = NormalizationNotes.of(raw, TargetParser.parseConnect(raw));
        assertEquals(expected.isEmpty() ? List.of() : List.of(expected), notes);
    }
}
