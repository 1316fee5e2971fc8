package dev.gatehouse.upstream.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FtpListingTest {
    private static String render(String dir, FtpEntry... entries) {
        return new String(FtpListing.render("files.example", dir, List.of(entries)), StandardCharsets.UTF_8);
    }

    @Test
    void hostileNamesAreInertTextAndLinksStayInTheDirectory() {
        String html = render("/pub/",
                new FtpEntry("<script>alert(1)</script>", false, 5, null),
                new FtpEntry("a\"b' onmouseover=x", false, 1, null),
                new FtpEntry("../../etc/passwd", false, 1, null),
                new FtpEntry("line\r\nbreak", false, 1, null),
                new FtpEntry("javascript:alert(1)", true, -1, null),
                new FtpEntry("//evil.example/x", false, 1, null));
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("href=\"./%3Cscript%3Ealert%281%29%3C%2Fscript%3E\""), html);
        assertTrue(html.contains("href=\"./a%22b%27%20onmouseover%3Dx\""), html);
        assertTrue(html.contains("a&quot;b&#39; onmouseover=x"), html);
        assertTrue(html.contains("href=\"./..%2F..%2Fetc%2Fpasswd\""), html);
        assertTrue(html.contains("href=\"./line%0D%0Abreak\""), html);
        assertFalse(html.contains("line\r\nbreak"), html);
        assertTrue(html.contains("href=\"./javascript%3Aalert%281%29/\""), html);
        assertTrue(html.contains("href=\"./%2F%2Fevil.example%2Fx\""), html);
        // Every href is ./something or the parent link: none can leave the directory or carry a scheme.
        for (String part : html.split("href=\"").clone()) {
            if (part.startsWith("<!DOCTYPE")) continue;
            assertTrue(part.startsWith("./") || part.startsWith("../\""), part);
        }
    }

    @Test
    void dotEntriesAreLeftOutAndDirectoriesComeFirst() {
        String html = render("/",
                new FtpEntry(".", true, -1, null), new FtpEntry("..", true, -1, null),
                new FtpEntry("b.txt", false, 12, Instant.parse("2024-03-01T10:15:00Z")), new FtpEntry("a", true, -1, null));
        assertFalse(html.contains("href=\"./.\""), html);
        assertFalse(html.contains("href=\"./../\""), html);
        assertFalse(html.contains("Parent directory"), "no parent link at the root: " + html);
        assertTrue(html.indexOf("./a/") < html.indexOf("./b.txt"), html);
        assertTrue(html.contains("<td>12</td><td>2024-03-01 10:15</td>"), html);
    }

    @Test
    void theTitleIsEscapedAndASubdirectoryLinksToItsParent() {
        String html = render("/x<y>/", new FtpEntry("f", false, 0, null));
        assertTrue(html.contains("<title>Index of ftp://files.example/x&lt;y&gt;/</title>"), html);
        assertTrue(html.contains("<a href=\"../\">Parent directory</a>"), html);
    }

    @Test
    void nonAsciiNamesAreEncodedAsUtf8() {
        assertEquals("%C3%A9t%C3%A9.txt", dev.gatehouse.http.PercentEncoding.component("été.txt"));
        assertEquals("a-b_c.d~e", dev.gatehouse.http.PercentEncoding.component("a-b_c.d~e"));
    }
}
