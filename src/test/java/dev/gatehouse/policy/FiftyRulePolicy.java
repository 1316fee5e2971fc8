package dev.gatehouse.policy;

import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * The 50-rule policy without regexes that the decision-rate target of issue 3 (item 7) is measured on,
 * and the requests it is measured with. Shared by {@code PolicyDecisionFigures} and the JMH
 * {@code PolicyDecisionBenchmark} (the {@code jmh} profile compiles this class from here).
 */
final class FiftyRulePolicy {
    /** Requests that run through the whole rule list: most match no rule and take the default. */
    static final String[] URLS = {"http://www.example.com/index.html", "http://cdn.example.net/a/b/c.js?v=3",
        "http://social.example/feed", "http://docs7.example/public/x", "http://news.example.org/2026/11/23/story"};

    private FiftyRulePolicy() {
    }

    /**
     * The policy file: domain, category plus client CIDR, exact host plus method, URL prefix, and port
     * plus negated domain rules in turn, all blocking, default allow.
     *
     * @param categoryDir a UT1-layout folder with a {@code social_networks} category
     */
    static String json(Path categoryDir) {
        StringJoiner rules = new StringJoiner(",\n");
        for (int i = 0; i < 50; i++) {
            String match = switch (i % 5) {
                case 0 -> "{\"domain\": [\"site" + i + ".example\", \"other" + i + ".example\"]}";
                case 1 -> "{\"category\": [\"social_networks\"], \"clientCidr\": [\"192.168." + i + ".0/24\"]}";
                case 2 -> "{\"hostExact\": [\"h" + i + ".example\"], \"method\": [\"POST\"]}";
                case 3 -> "{\"urlPrefix\": [\"docs" + i + ".example/private/\"]}";
                default -> "{\"port\": [" + (9000 + i) + "], \"notDomain\": [\"corp.example\"]}";
            };
            rules.add("{\"id\": \"r" + i + "\", \"match\": " + match + ", \"action\": \"block\"}");
        }
        return """
                {"schemaVersion": 1, "defaultAction": {"action": "allow"},
                 "categorySources": [{"format": "ut1", "path": "%s"}],
                 "rules": [%s]}
                """.formatted(categoryDir, rules);
    }
}
