package dev.gatehouse.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.http.PercentEncoding;
import dev.gatehouse.http.TemplateParts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The {@code location} of a {@code redirect} rule: a URL template with {@code {placeholders}} (squidGuard's
 * {@code redirect http://intranet/blocked.cgi?url=%u}), split once at load into literal text and placeholders so
 * that a request only appends strings. Every substituted value is percent-encoded as one URI component (RFC 3986
 * §2.1), so a value can never add a query parameter, a fragment or a path to the location.
 */
public final class RedirectLocation {

    /** What a placeholder stands for. */
    public enum Placeholder {
        /** The request URL, normalised as the policy saw it. */
        URL,
        /** The request's host. */
        HOST,
        /** The client's IP address. */
        CLIENT,
        /** The authenticated user name, empty when none. */
        USER,
        /** The user's groups, sorted and comma-joined, empty when none. */
        GROUPS,
        /** The deciding rule's id. */
        RULE,
        /** The request's categories, comma-joined, empty when none. */
        CATEGORY,
        /** The deciding rule's reason, empty when none. */
        REASON;

        private final String name = name().toLowerCase(Locale.ROOT);

        static Placeholder named(String name) {
            for (Placeholder p : values()) {
                if (p.name.equals(name)) return p;
            }
            return null;
        }

        @Override
        public String toString() {
            return "{" + name + "}";
        }
    }

    private final String template;
    private final TemplateParts<Placeholder> parts;
    private final URI withEmptyValues;

    private RedirectLocation(String template, List<String> literals, List<Placeholder> placeholders, URI withEmptyValues) {
        this.template = template;
        this.parts = new TemplateParts<>(literals, placeholders);
        this.withEmptyValues = withEmptyValues;
    }

    /**
     * @param template the {@code location} text of a rule
     * @return the parsed template
     * @throws IllegalArgumentException with a message for the policy's author: an unknown or unclosed
     *         placeholder, or a template that is not an absolute {@code http}/{@code https} URL once every
     *         placeholder is empty
     */
    public static RedirectLocation parse(String template) {
        List<String> literals = new ArrayList<>();
        List<Placeholder> placeholders = new ArrayList<>();
        StringBuilder empty = new StringBuilder();
        int from = 0;
        for (int open = template.indexOf('{'); open >= 0; open = template.indexOf('{', from)) {
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' at character " + (open + 1) + " of 'location'");
            }
            String name = template.substring(open + 1, close);
            Placeholder placeholder = Placeholder.named(name);
            if (placeholder == null) {
                throw new IllegalArgumentException("unknown placeholder '{" + name + "}' in 'location'; use one of "
                        + List.of(Placeholder.values()));
            }
            literals.add(template.substring(from, open));
            empty.append(template, from, open);
            placeholders.add(placeholder);
            from = close + 1;
        }
        literals.add(template.substring(from));
        empty.append(template, from, template.length());
        return new RedirectLocation(template, literals, placeholders, absoluteHttpUrl(empty.toString()));
    }

    private static URI absoluteHttpUrl(String text) {
        String why;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
            why = "it has no http or https scheme and host";
        } catch (URISyntaxException e) {
            why = e.getReason() + " at character " + (e.getIndex() + 1);
        }
        throw new IllegalArgumentException("'location' must be an absolute http or https URL, e.g. "
                + "\"https://intranet.example/blocked?url={url}\" (" + why + ", with every placeholder empty: '"
                + text + "')");
    }

    /** @return the host the browser is sent to (placeholders cannot change it: their values are encoded) */
    public String host() {
        return withEmptyValues.getHost();
    }

    /** @return the location with every placeholder empty, for load-time checks */
    public String withEmptyValues() {
        return withEmptyValues.toString();
    }

    /**
     * @param facts the request
     * @param decision the policy's decision for it
     * @return the location to send the browser to
     */
    public String expand(RequestFacts facts, Decision decision) {
        return parts.fill(p -> PercentEncoding.component(value(p, facts, decision)));
    }

    private static String value(Placeholder placeholder, RequestFacts facts, Decision decision) {
        return switch (placeholder) {
            case URL -> facts.target().url();
            case HOST -> facts.target().host().toString();
            case CLIENT -> facts.client().getHostAddress();
            case USER -> facts.user() == null ? "" : facts.user();
            case GROUPS -> String.join(",", new TreeSet<>(facts.groups()));
            case RULE -> decision.ruleId();
            case CATEGORY -> String.join(",", decision.categories());
            case REASON -> decision.reason() == null ? "" : decision.reason();
        };
    }

    /** @return the template as written in the policy (also its JSON form in {@code explain}) */
    @JsonValue
    @Override
    public String toString() {
        return template;
    }
}
