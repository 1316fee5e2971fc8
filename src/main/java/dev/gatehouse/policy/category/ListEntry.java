package dev.gatehouse.policy.category;

import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import dev.gatehouse.policy.normalize.Target;
import dev.gatehouse.policy.normalize.TargetParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses one line of a list into normalised entries, with the same normaliser the requests go
 * through; returns nothing for blank, comment and ignorable lines.
 */
final class ListEntry {
    /** Names hosts files map to a loopback address as part of their boilerplate. */
    private static final Set<String> HOSTS_BOILERPLATE = Set.of("localhost", "localhost.localdomain",
            "local", "broadcasthost", "ip6-localhost", "ip6-loopback", "0.0.0.0");

    /**
     * A parsed host entry.
     *
     * @param host normalised host
     * @param semantics what it covers
     */
    record Host(String host, EntrySemantics semantics) {
    }

    /**
     * A parsed URL entry.
     *
     * @param host normalised host (covers subdomains, as squidGuard urllists do)
     * @param pathPrefix normalised path and query prefix
     */
    record Url(String host, String pathPrefix) {
    }

    private ListEntry() {
    }

    /** @return the text of a line without comment and surrounding blanks, or null if none is left */
    static String content(String line) {
        int hash = line.indexOf('#');
        String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * @param line a line of a DOMAINS or HOSTS list
     * @return the hosts it names (a hosts line can name several)
     * @throws InvalidTargetException if a host is malformed
     */
    static List<Host> hosts(String line, ListFormat format, EntrySemantics semantics) {
        if (format == ListFormat.HOSTS) {
            String text = content(line);
            if (text == null) {
                return List.of();
            }
            String[] tokens = text.split("\\s+");
            if (tokens.length < 2) {
                throw new InvalidTargetException("hosts line needs an address and a name");
            }
            List<Host> hosts = new ArrayList<>(tokens.length - 1);
            for (int i = 1; i < tokens.length; i++) {
                if (!HOSTS_BOILERPLATE.contains(tokens[i].toLowerCase(Locale.ROOT))) {
                    hosts.add(host(tokens[i], semantics));
                }
            }
            return hosts;
        }
        // UT1 domains files have no comments; test the cheap case first to keep loading fast.
        String text = HostNormalizer.isCanonicalDnsName(line) ? line : content(line);
        return text == null ? List.of() : List.of(host(text, semantics));
    }

    /** @return the normalised host entry for one host text ({@code *.} prefix means subdomains) */
    static Host host(String text, EntrySemantics semantics) {
        EntrySemantics effective = semantics;
        String name = text;
        if (name.startsWith("*.")) {
            effective = EntrySemantics.SUBDOMAINS;
            name = name.substring(2);
        } else if (name.startsWith(".")) {
            name = name.substring(1); // squid's ".example.com": domain and subdomains
        }
        if (name.indexOf('*') >= 0) {
            throw new InvalidTargetException("'*' is allowed only as a whole leading label: '" + text + "'");
        }
        if (name.indexOf('/') >= 0) {
            throw new InvalidTargetException("a host entry cannot have a path: '" + text + "'");
        }
        String host = HostNormalizer.isCanonicalDnsName(name) ? name : HostNormalizer.normalize(name).value();
        return new Host(host, effective);
    }

    /**
     * @param line a line of a URLS list ({@code host/path}, scheme optional)
     * @return the entry, or null for a blank or comment line
     */
    static Url url(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        // '#' starts a fragment here, not a comment: UT1 has 893 such entries; the parser drops it.
        Target target = TargetParser.parseUrl(text.contains("://") ? text : "http://" + text);
        return new Url(target.host().value(), target.pathAndQuery());
    }
}
