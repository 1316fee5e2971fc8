package dev.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders every page the proxy itself answers with (block, warn, failures, 407): in the built-in layout
 * ({@link ErrorPage}), or in the organisation's own {@link PageTemplate} when {@code pages.template} names one.
 * The template is re-read by {@link #reload()} (SIGHUP); a template that fails to load leaves the running one.
 */
public final class ErrorPages {
    private final String contact;
    private final Path templateFile;
    private volatile PageTemplate template;

    private ErrorPages(String contact, Path templateFile, PageTemplate template) {
        this.contact = contact == null ? "" : contact;
        this.templateFile = templateFile;
        this.template = template;
    }

    /** The built-in layout, with {@code contact} as the help-desk text. */
    public static ErrorPages builtIn(String contact) {
        return new ErrorPages(contact, null, null);
    }

    /** Pages in the layout of {@code templateFile}, or the built-in one when it is null or empty. */
    public static ErrorPages load(String contact, String templateFile) throws PageTemplate.LoadException {
        if (templateFile == null || templateFile.isEmpty()) return builtIn(contact);
        Path file = Path.of(templateFile);
        return new ErrorPages(contact, file, PageTemplate.load(file));
    }

    /** The template file in use, or null for the built-in layout. */
    public Path templateFile() { return templateFile; }

    /** Re-reads the template file, if any; on failure the running template stays and the exception says why. */
    public void reload() throws PageTemplate.LoadException {
        if (templateFile != null) template = PageTemplate.load(templateFile);
    }

    /** A failure page: status, title, explanation, the URL (null if none), an optional detail line. */
    public byte[] render(int status, String title, String explanation, String url, String detail, String requestId,
                         String client, String user) {
        return render(status, title, explanation, url, detail == null ? List.of() : List.of(Map.entry("Detail", detail)),
                requestId, client, user, "");
    }

    /**
     * A page with labelled {@code facts} (rule, category, reason...) and {@code extraHtml}, trusted markup built
     * by the caller (the warn page's continue link). Every other value is escaped.
     */
    public byte[] render(int status, String title, String explanation, String url, List<Map.Entry<String, String>> facts,
                         String requestId, String client, String user, String extraHtml) {
        PageTemplate own = template;
        if (own == null) return ErrorPage.render(status, title, explanation, url, facts, requestId, contact, extraHtml);
        String html = own.render(p -> switch (p) {
            case STATUS -> Integer.toString(status);
            case TITLE -> ErrorPage.escape(title);
            case EXPLANATION -> ErrorPage.escape(explanation);
            case URL -> ErrorPage.escape(url);
            case FACTS -> ErrorPage.appendFactRows(new StringBuilder(), facts).toString();
            case REQUEST_ID -> ErrorPage.escape(requestId);
            case CONTACT -> ErrorPage.escape(contact);
            case EXTRA -> extraHtml == null ? "" : extraHtml;
            case CLIENT -> ErrorPage.escape(client);
            case USER -> ErrorPage.escape(user);
        });
        return html.getBytes(StandardCharsets.UTF_8);
    }
}
