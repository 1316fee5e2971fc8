package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorPageTest {
    @Test
    void everyValueFromTheRequestIsEscaped() {
        String html = new String(ErrorPage.render(502, "Bad Gateway", "The server <b>failed</b>.",
                "http://x.test/<script>alert('1')</script>?a=1&b=\"2\"", "detail <img src=x onerror=y>",
                "id<1>", "Call \"IT\" & quote it"), StandardCharsets.UTF_8);

        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<b>"), html);
        assertTrue(html.contains("http://x.test/&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;?a=1&amp;b=&quot;2&quot;"), html);
        assertTrue(html.contains("<code>id&lt;1&gt;</code>"), html);
        assertTrue(html.contains("Call &quot;IT&quot; &amp; quote it"), html);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>502 Bad Gateway</title>"), html);
    }

    @Test
    void controlCharactersAreReplaced() {
        assertEquals("a&#xFFFD;b\tc&#xFFFD;", ErrorPage.escape("a\rb\tc\n"));
        assertEquals("", ErrorPage.escape(null));
        assertEquals("plain", ErrorPage.escape("plain"));
    }

    @Test
    void absentUrlAndDetailAreLeftOut() {
        String html = new String(ErrorPage.render(403, "Forbidden", "No.", null, null, "r-1", ""), StandardCharsets.UTF_8);
        assertFalse(html.contains("<dt>URL</dt>"));
        assertFalse(html.contains("<dt>Detail</dt>"));
        assertTrue(html.contains("<code>r-1</code>"));
    }
}
