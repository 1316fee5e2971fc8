package dev.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Renders the built-in HTML page a client sees for a failure or a block (an organisation's own layout is a
 * {@link PageTemplate}, chosen by {@link ErrorPages}). Every value that comes from the request or the network
 * is HTML-escaped: a URL or host name is attacker-chosen text.
 */
public final class ErrorPage {
    private ErrorPage() {}

    /** Page for {@code status} with a title, the explanation, an optional detail line, and the request id. */
    public static byte[] render(int status, String title, String explanation, String url, String detail,
                                String requestId, String contact) {
        return render(status, title, explanation, url, detail == null ? List.of() : List.of(Map.entry("Detail", detail)),
                requestId, contact, "");
    }

    /**
     * Page for {@code status}: title, explanation, the URL, labelled facts (rule, category, reason...),
     * the request id, contact text, and {@code extraHtml} (trusted markup built by the caller, e.g. a form).
     */
    public static byte[] render(int status, String title, String explanation, String url, List<Map.Entry<String, String>> facts,
                                String requestId, String contact, String extraHtml) {
        StringBuilder html = new StringBuilder(1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<meta name=\"viewport\" content=\"width=device-width\">")
            .append("<title>").append(status).append(' ').append(escape(title)).append("</title>")
            .append("<style>body{font:15px/1.5 system-ui,sans-serif;max-width:42em;margin:3em auto;padding:0 1em;color:#222}")
            .append("h1{font-size:1.4em;border-bottom:2px solid #b33;padding-bottom:.3em}code{background:#f3f3f3;padding:0 .3em;word-break:break-all}")
            .append("dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{color:#666}</style></head><body>\n")
            .append("<h1>").append(escape(title)).append("</h1>\n")
            .append("<p>").append(escape(explanation)).append("</p>\n<dl>");
        if (url != null) html.append("<dt>URL</dt><dd><code>").append(escape(url)).append("</code></dd>");
        appendFactRows(html, facts);
        html.append("<dt>Status</dt><dd>").append(status).append("</dd>")
            .append("<dt>Request id</dt><dd><code>").append(escape(requestId)).append("</code></dd></dl>\n");
        html.append(extraHtml);
        if (contact != null && !contact.isEmpty()) html.append("<p>").append(escape(contact)).append("</p>\n");
        html.append("<p><small>Gatehouse</small></p>\n</body></html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The labelled facts (rule, category, reason...) as {@code <dt>/<dd>} rows of a {@code <dl>}, escaped. */
    static StringBuilder appendFactRows(StringBuilder html, List<Map.Entry<String, String>> facts) {
        for (Map.Entry<String, String> f : facts) {
            html.append("<dt>").append(escape(f.getKey())).append("</dt><dd>").append(escape(f.getValue())).append("</dd>");
        }
        return html;
    }

    /** Escapes the five characters that matter in HTML text and attribute values. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep == null && c < 0x20 && c != '\t') rep = "&#xFFFD;";
            if (rep != null) {
                if (out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
