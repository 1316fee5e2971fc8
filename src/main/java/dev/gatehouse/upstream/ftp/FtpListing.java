package dev.gatehouse.upstream.ftp;

import dev.gatehouse.http.ErrorPage;
import dev.gatehouse.http.PercentEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * Renders a directory as an HTML page. Every name comes from the FTP server and is untrusted (Squid's
 * listing parser had several CVEs): each is percent-encoded as one path segment for the link and
 * HTML-escaped for the text, so {@code <script>}, quotes, newlines, {@code ../} and {@code javascript:}
 * stay inert text and links stay inside the directory.
 */
public final class FtpListing {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private FtpListing() {}

    /** The page for {@code directory} (a decoded path ending in {@code /}) holding {@code entries}. */
    public static byte[] render(String host, String directory, List<FtpEntry> entries) {
        String title = "ftp://" + host + directory;
        StringBuilder html = new StringBuilder(256 + entries.size() * 160);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ")
                .append(ErrorPage.escape(title)).append("</title></head>\n<body>\n<h1>Index of ")
                .append(ErrorPage.escape(title)).append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified (UTC)</th></tr>\n");
        if (!directory.equals("/")) html.append("<tr><td><a href=\"../\">Parent directory</a></td><td></td><td></td></tr>\n");
        List<FtpEntry> sorted = entries.stream()
                .filter(e -> !e.name().isEmpty() && !e.name().equals(".") && !e.name().equals(".."))
                .sorted(Comparator.comparing(FtpEntry::directory).reversed().thenComparing(FtpEntry::name))
                .toList();
        for (FtpEntry e : sorted) {
            String suffix = e.directory() ? "/" : "";
            // "./" first: even an encoded name can then never read as a scheme or a network path.
            html.append("<tr><td><a href=\"./").append(PercentEncoding.component(e.name())).append(suffix).append("\">")
                    .append(ErrorPage.escape(e.name())).append(suffix).append("</a></td><td>")
                    .append(e.directory() || e.size() < 0 ? "-" : Long.toString(e.size())).append("</td><td>")
                    .append(date(e.modified())).append("</td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String date(Instant modified) {
        return modified == null ? "-" : DATE.format(modified);
    }
}
