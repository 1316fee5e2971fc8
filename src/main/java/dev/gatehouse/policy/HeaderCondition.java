package dev.gatehouse.policy;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * Matches a request header field ({@code header}: {@code {"name": "User-Agent", "regex": "(?i)^curl/"}}), as
 * Squid's {@code acl browser} and e2guardian's user-agent lists do: an RE2/J pattern, compiled at load time,
 * finds a match in any of the field's lines (each line's first {@link RegexCondition#MAX_INPUT} characters).
 * An absent field does not match, so {@code notHeader} matches a request without it.
 *
 * @param name the field name as written in the policy (matched case-insensitively, RFC 9110 §5.1)
 * @param patterns the compiled patterns (any may match)
 */
public record HeaderCondition(String name, List<Pattern> patterns) implements Condition {

    public HeaderCondition {
        patterns = List.copyOf(patterns);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        List<String> lines = evaluation.facts().headers().values(name);
        if (lines == null) {
            return Outcome.NO_MATCH;
        }
        for (int i = 0; i < lines.size(); i++) { // indexed: no iterator on the request path
            if (RegexCondition.anyFinds(patterns, lines.get(i))) return Outcome.MATCH;
        }
        return Outcome.NO_MATCH;
    }

    @Override
    public String describe() {
        return "header " + name + " " + patterns.stream().map(Pattern::pattern).toList();
    }
}
