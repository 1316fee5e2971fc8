package dev.gatehouse.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Matches the client address ({@code clientCidr}) or an IP-literal destination ({@code destCidr})
 * against networks. No DNS lookups: a destination written as a name never matches
 * {@code destCidr} (DNS-dependent matching is slow and nondeterministic).
 *
 * @param key the policy key
 * @param listName the list name or {@code "inline"}
 * @param networks the networks (any may match)
 * @param destination true to test the destination, false for the client
 */
public record CidrCondition(String key, String listName, List<Cidr> networks, boolean destination)
        implements Condition {

    public CidrCondition {
        networks = List.copyOf(networks);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        InetAddress address = destination ? destinationAddress(evaluation) : evaluation.facts().client();
        if (address == null) {
            return Outcome.NO_MATCH;
        }
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return Outcome.MATCH;
            }
        }
        return Outcome.NO_MATCH;
    }

    private static InetAddress destinationAddress(Evaluation evaluation) {
        if (!evaluation.target().host().isIpLiteral()) {
            return null;
        }
        try {
            return InetAddress.getByName(evaluation.target().host().authorityForm()); // a literal: no DNS
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return key + " in " + (listName.equals("inline") ? networks.toString() : listName);
    }
}
