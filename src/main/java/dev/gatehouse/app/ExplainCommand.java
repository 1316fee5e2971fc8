package dev.gatehouse.app;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.policy.Explanation;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyLoadException;
import dev.gatehouse.policy.RequestFacts;
import dev.gatehouse.policy.RequestHeaders;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * {@code gatehouse explain URL [--client IP] [--user U] [--group G]... [--method M] [--header "N: V"]... [--at TIME] [--json]}:
 * runs the proxy's own decision code on one request and prints the normalised request, every rule tried
 * and why it matched or not, the list entries that matched (file and line), and the decision.
 * A {@code host:port} target is explained as a CONNECT. Response rules are listed as decided when the
 * response arrives: explain has no response to try them on.
 */
final class ExplainCommand {
    static final String USAGE = "gatehouse explain URL|HOST:PORT [--client IP] [--user U] [--group G]... [--method M] [--header \"N: V\"]... [--at TIME] [--json] [--config FILE]";

    private ExplainCommand() {}

    static int run(Path policyFile, String target, String client, String user, Set<String> groups, String method,
                   List<String> headerLines, String at, boolean json, PrintStream out, PrintStream err) {
        Policy policy;
        try {
            policy = PolicyRuntime.load(policyFile);
        } catch (PolicyLoadException e) {
            err.println("gatehouse: " + policyFile + " has errors:");
            e.problems().forEach(p -> err.println("  " + p));
            return 3;
        }
        try {
            InetAddress clientAddress = InetAddress.getByName(client); // an IP literal: no DNS lookup
            Instant instant = at == null ? Instant.now() : Instant.parse(at);
            boolean tunnel = !target.contains("://");
            RequestHeaders headers = RequestHeaders.of(headerLines);
            RequestFacts facts = tunnel
                    ? RequestFacts.forConnect(target, clientAddress, user, groups, instant, headers)
                    : RequestFacts.forUrl(null, target, method, clientAddress, user, groups, instant, headers);
            Explanation explanation = policy.explain(facts);
            if (json) {
                out.println(JsonMapper.builder().findAndAddModules().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValueAsString(explanation));
            } else {
                out.print(explanation.toText());
            }
            return 0;
        } catch (IllegalArgumentException | UnknownHostException | DateTimeParseException e) { // incl. InvalidTargetException
            err.println("gatehouse explain: " + e.getMessage());
            err.println("usage: " + USAGE);
            return 2;
        } catch (Exception e) {
            err.println("gatehouse explain: " + e);
            return 1;
        }
    }
}
