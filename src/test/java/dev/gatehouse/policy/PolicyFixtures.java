package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.gatehouse.policy.load.PolicyLoader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/** Policies and requests shared by the policy tests. */
final class PolicyFixtures {
    /** Monday 2026-11-23 10:00 in Paris. */
    static final Instant MONDAY_MORNING = Instant.parse("2026-11-23T09:00:00Z");

    private PolicyFixtures() {
    }

    /** @return the project folder (surefire sets {@code gatehouse.repo}; the IDE runs in it) */
    static Path repo() {
        String repo = System.getProperty("gatehouse.repo");
        return Path.of(repo == null ? "." : repo).toAbsolutePath().normalize();
    }

    static Path resource(String name) {
        return repo().resolve("src/test/resources/policy").resolve(name);
    }

    static Policy load(Path file) {
        try {
            Policy policy = PolicyLoader.load(file);
            assertNotNull(policy);
            return policy;
        } catch (PolicyLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /**
     * @param target an absolute URL, or {@code host:port} when the method is CONNECT
     * @param groups space-separated, may be empty
     */
    static RequestFacts facts(String method, String target, String client, String user, String groups,
            Instant at) {
        Set<String> groupSet = groups == null || groups.isBlank() ? Set.of() : Set.of(groups.split(" "));
        InetAddress from = address(client == null ? "10.0.0.1" : client);
        Instant when = at == null ? MONDAY_MORNING : at;
        return method.equals("CONNECT") ? RequestFacts.forConnect(target, from, user, groupSet, when)
                : RequestFacts.forUrl(target, method, from, user, groupSet, when);
    }
}
