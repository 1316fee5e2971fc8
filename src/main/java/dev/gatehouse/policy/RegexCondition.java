package dev.gatehouse.policy;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * Matches the normalised URL ({@code urlRegex}) or host ({@code hostRegex}) against RE2/J
 * patterns, which run in linear time: a backtracking engine on attacker-chosen URLs is a
 * denial-of-service risk. Patterns are compiled at load time; {@code find} semantics, so anchor
 * with {@code ^...$} where needed (Cloudflare's {@code .*example\.com} also matches
 * {@code notexample.com}).
 *
 * @param key the policy key
 * @param patterns the compiled patterns (any may match)
 * @param onUrl true to match the URL (not applicable to tunnels), false for the host
 */
public record RegexCondition(String key, List<Pattern> patterns, boolean onUrl) implements Condition {
    /** Only the first 8 KiB of a URL are matched, bounding the work per request. */
    public static final int MAX_INPUT = 8 * 1024;

    public RegexCondition {
        patterns = List.copyOf(patterns);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        if (onUrl && evaluation.target().isTunnel()) {
            return Outcome.NOT_APPLICABLE;
        }
        return anyFinds(patterns, onUrl ? evaluation.url() : evaluation.target().host().value()) ? Outcome.MATCH : Outcome.NO_MATCH;
    }

    /** Whether one of {@code patterns} is found in the first {@link #MAX_INPUT} chars of {@code input}. */
    static boolean anyFinds(List<Pattern> patterns, String input) {
        CharSequence bounded = input.length() > MAX_INPUT ? input.substring(0, MAX_INPUT) : input;
        for (Pattern pattern : patterns) {
            if (pattern.matcher(bounded).find()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return key + " " + patterns.stream().map(Pattern::pattern).toList();
    }

    @Override
    public boolean appliesToTunnels() {
        return !onUrl;
    }
}
