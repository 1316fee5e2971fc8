package dev.gatehouse.policy;

import java.util.List;
import java.util.Locale;

/**
 * Matches the file extension of the URL path's last segment ({@code extension}: {@code [".exe", ".msi"]}), as
 * e2guardian's {@code bannedextensionlist}: compared case-insensitively, the query left out. A request-side
 * key (the URL is known before any response), not applicable to a CONNECT tunnel, which has no path.
 *
 * @param extensions the extensions, lower-cased, each with its leading dot
 */
public record ExtensionCondition(List<String> extensions) implements Condition {

    public ExtensionCondition {
        extensions = extensions.stream().map(e -> {
            String t = e.strip().toLowerCase(Locale.ROOT);
            return t.startsWith(".") ? t : "." + t;
        }).toList();
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        if (evaluation.target().isTunnel()) {
            return Outcome.NOT_APPLICABLE;
        }
        String path = evaluation.target().pathAndQuery();
        int end = path.indexOf('?');
        if (end < 0) end = path.length();
        int segment = path.lastIndexOf('/', end - 1) + 1;
        for (String extension : extensions) {
            int at = end - extension.length();
            if (at >= segment && path.regionMatches(true, at, extension, 0, extension.length())) {
                return Outcome.MATCH;
            }
        }
        return Outcome.NO_MATCH;
    }

    @Override
    public String describe() {
        return "extension " + extensions;
    }

    @Override
    public boolean appliesToTunnels() {
        return false;
    }
}
