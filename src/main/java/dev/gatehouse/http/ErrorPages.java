package dev.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders every page the proxy itself answers with (block, warn, failures, 407): in the built-in layout
 * ({@link ErrorPage}), in the organisation's own {@link PageTemplate} when {@code pages.template} names one, or in
 * the language the client prefers when {@code pages.templates} names one template per language (Squid's
 * {@code error_directory} negotiation, chosen by {@link AcceptLanguage}). {@link #reload()} (SIGHUP) re-reads
 * every template and swaps them all at once; one that fails to load leaves all the running ones.
 */
public final class ErrorPages {
    /** The body of a page and the language it was chosen in, or null when it was not negotiated. */
    public record Page(byte[] body, String language) {}

    private final String contact;
    /** The language of each file, in configuration order; {@code {null}} for the single {@code pages.template}. */
    private final String[] languages;
    private final List<Path> files;
    private final int defaultIndex;
    /** The parsed files, index by index; replaced whole by a reload, never changed in place. */
    private volatile PageTemplate[] templates;

    private ErrorPages(String contact, String[] languages, List<Path> files, int defaultIndex) throws PageTemplate.LoadException {
        this.contact = contact == null ? "" : contact;
        this.languages = languages;
        this.files = files;
        this.defaultIndex = defaultIndex;
        this.templates = read(languages, files);
    }

    /** The built-in layout, with {@code contact} as the help-desk text. */
    public static ErrorPages builtIn(String contact) {
        return new ErrorPages(contact);
    }

    private ErrorPages(String contact) {
        this.contact = contact == null ? "" : contact;
        this.languages = new String[0];
        this.files = List.of();
        this.defaultIndex = 0;
        this.templates = new PageTemplate[0];
    }

    /** Pages in the layout of {@code templateFile}, or the built-in one when it is null or empty. */
    public static ErrorPages load(String contact, String templateFile) throws PageTemplate.LoadException {
        return load(contact, templateFile, Map.of(), "");
    }

    /**
     * Pages as {@code pages} configures them: {@code templates} (language tag → file, in the order given) when it
     * is not empty, else {@code templateFile}, else the built-in layout. The config validator has checked the tags,
     * that {@code defaultLanguage} is one of them, and that not both are set.
     */
    public static ErrorPages load(String contact, String templateFile, Map<String, String> templates, String defaultLanguage)
            throws PageTemplate.LoadException {
        if (!templates.isEmpty()) {
            String[] languages = templates.keySet().toArray(String[]::new);
            List<Path> files = templates.values().stream().map(Path::of).toList();
            int defaultIndex = 0;
            for (int i = 0; i < languages.length; i++) if (languages[i].equalsIgnoreCase(defaultLanguage)) defaultIndex = i;
            return new ErrorPages(contact, languages, files, defaultIndex);
        }
        if (templateFile == null || templateFile.isEmpty()) return builtIn(contact);
        return new ErrorPages(contact, new String[] {null}, List.of(Path.of(templateFile)), 0);
    }

    /** The template files in use, in configuration order; empty for the built-in layout. */
    public List<Path> templateFiles() { return files; }

    /** The language of each of {@link #templateFiles()}, in the same order; only when {@link #negotiated()}. */
    public String[] languages() { return languages.clone(); }

    /** Whether the page depends on the request's {@code Accept-Language}. */
    public boolean negotiated() { return languages.length > 0 && languages[0] != null; }

    /** Re-reads every template file; if any fails, all the running templates stay and the exception says why. */
    public void reload() throws PageTemplate.LoadException {
        if (!files.isEmpty()) templates = read(languages, files);
    }

    /** Every file parsed; the first that fails stops the whole set. */
    private static PageTemplate[] read(String[] languages, List<Path> files) throws PageTemplate.LoadException {
        PageTemplate[] pages = new PageTemplate[files.size()];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = PageTemplate.load(files.get(i), languages[i] == null ? "pages.template" : "pages.templates." + languages[i]);
        }
        return pages;
    }

    /**
     * A failure page: status, {@code error} (the audit record's name for what happened, {@code dns_failure}), title,
     * explanation, the URL (null if none), an optional detail line.
     */
    public Page render(String acceptLanguage, int status, String error, String title, String explanation, String url, String detail,
                       String requestId, String client, String user) {
        return render(acceptLanguage, status, error, title, explanation, url,
                detail == null ? List.of() : List.of(Map.entry("Detail", detail)), requestId, client, user, "");
    }

    /**
     * A page with labelled {@code facts} (rule, category, reason...) and {@code extraHtml}, trusted markup built
     * by the caller (the warn page's continue link), in the language {@code acceptLanguage} (the request's field,
     * null if none) prefers. Every other value is escaped.
     */
    public Page render(String acceptLanguage, int status, String error, String title, String explanation, String url,
                       List<Map.Entry<String, String>> facts, String requestId, String client, String user, String extraHtml) {
        PageTemplate[] own = templates;
        if (own.length == 0) {
            return new Page(ErrorPage.render(status, title, explanation, url, facts, requestId, contact, extraHtml), null);
        }
        int chosen = own.length == 1 ? 0 : AcceptLanguage.choose(acceptLanguage, languages, defaultIndex);
        String language = languages[chosen];
        String html = own[chosen].render(p -> switch (p) {
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
            case LANGUAGE -> language == null ? "" : language; // a validated tag: letters, digits and '-'
            case ERROR -> error; // one of the audit names: lower-case letters and '_'
        });
        return new Page(html.getBytes(StandardCharsets.UTF_8), language);
    }
}
