package dev.gatehouse.pac;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.AddressRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The proxy auto-config script ({@code FindProxyForURL(url, host)}) served at {@code /proxy.pac} and
 * {@code /wpad.dat}, as {@value #CONTENT_TYPE}.
 *
 * <p>Decisions use the host only: Chrome strips the path of {@code https://} URLs before calling the
 * script, and WinHTTP caches the answer per host. Plain host names, the configured intranet domains and
 * IP literals in the configured networks go {@code DIRECT}; {@code isInNet} is applied to IP literals
 * only, because on a host name it makes the browser block on a DNS lookup for every request.
 *
 * <p>With several proxy nodes, each host gets all nodes ordered by rendezvous (highest random weight)
 * hashing of node and host: a host is cached on one node and fails over to the next, and adding a node
 * moves only about 1/n of the hosts. The hash (32-bit FNV-1a) is written with shifts and adds so that
 * ES3 engines without {@code Math.imul} (WinHTTP's) compute it too; {@link #score} is the same function
 * in Java, for tests.
 */
public final class PacFile {
    public static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

    private final String script;

    /**
     * @param proxies        {@code host:port} of each proxy node, {@code https://host:port} for a TLS listener
     * @param directDomains  domains reached directly, with their subdomains
     * @param directNetworks CIDR blocks (IPv4) whose IP-literal hosts are reached directly
     * @param plainHostNamesDirect host names without a dot go direct
     * @param fallbackDirect end every list with DIRECT, so browsing goes on when all nodes are down
     */
    public PacFile(List<String> proxies, List<String> directDomains, List<String> directNetworks,
                   boolean plainHostNamesDirect, boolean fallbackDirect) {
        this.script = render(proxies, directDomains, directNetworks, plainHostNamesDirect, fallbackDirect);
    }

    /** The PAC file the configuration describes (section {@code pac}). */
    public static PacFile from(GatehouseConfig config) {
        GatehouseConfig.Pac p = config.pac();
        return new PacFile(config.pacProxies(), p.directDomains(), p.directNetworks(), p.plainHostNamesDirect(), p.fallbackDirect());
    }

    public String script() { return script; }

    public byte[] bytes() { return script.getBytes(StandardCharsets.UTF_8); }

    private static String render(List<String> proxies, List<String> directDomains, List<String> directNetworks,
                                 boolean plainHostNamesDirect, boolean fallbackDirect) {
        StringBuilder js = new StringBuilder(1024);
        js.append("// Gatehouse proxy auto-config. Generated from etc/gatehouse.json; do not edit.\n");
        stringArray(js, "NODES", proxies.stream());
        // Each node's answer, worked out once here rather than on every call of FindProxyForURL.
        stringArray(js, "ENTRIES", proxies.stream().map(PacFile::entry));
        stringArray(js, "DIRECT_DOMAINS", directDomains.stream().map(d -> d.toLowerCase(Locale.ROOT))
                .map(d -> d.startsWith(".") ? d.substring(1) : d));
        js.append("var DIRECT_NETS = [");
        boolean first = true;
        for (String cidr : directNetworks) {
            String[] net = ipv4NetAndMask(cidr);
            if (net == null) continue; // IPv6 blocks: PAC's isInNet is IPv4 only
            js.append(first ? "" : ", ").append("[").append(quote(net[0])).append(", ").append(quote(net[1])).append("]");
            first = false;
        }
        js.append("];\n");
        js.append("var PLAIN_DIRECT = ").append(plainHostNamesDirect).append(";\n");
        js.append("var FALLBACK_DIRECT = ").append(fallbackDirect).append(";\n\n");
        js.append("""
                // 32-bit FNV-1a; multiplication by the FNV prime 16777619 as shifts and adds (no Math.imul).
                function ghHash(s) {
                  var h = 2166136261;
                  for (var i = 0; i < s.length; i++) {
                    h = (h ^ (s.charCodeAt(i) & 0xff)) >>> 0;
                    h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) >>> 0;
                  }
                  return h;
                }

                function FindProxyForURL(url, host) {
                  host = host.toLowerCase();
                  if (PLAIN_DIRECT && isPlainHostName(host)) return "DIRECT";
                  for (var i = 0; i < DIRECT_DOMAINS.length; i++) {
                    var d = DIRECT_DOMAINS[i];
                    if (host == d || dnsDomainIs(host, "." + d)) return "DIRECT";
                  }
                  if (/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host)) {
                    for (var j = 0; j < DIRECT_NETS.length; j++) {
                      if (isInNet(host, DIRECT_NETS[j][0], DIRECT_NETS[j][1])) return "DIRECT";
                    }
                  }
                  // Rendezvous hashing: every node scored for this host, best first.
                  var scored = [];
                  for (var k = 0; k < NODES.length; k++) scored.push([ghHash(NODES[k] + "|" + host), k]);
                  scored.sort(function (a, b) { return b[0] - a[0]; });
                  var out = [];
                  for (var m = 0; m < scored.length; m++) out.push(ENTRIES[scored[m][1]]);
                  if (FALLBACK_DIRECT || out.length == 0) out.push("DIRECT");
                  return out.join("; ");
                }
                """);
        return js.toString();
    }

    /** {@code var NAME = ["a", "b"];} */
    private static void stringArray(StringBuilder js, String name, Stream<String> values) {
        js.append("var ").append(name).append(" = [").append(values.map(PacFile::quote).collect(Collectors.joining(", "))).append("];\n");
    }

    /** A node's PAC entry: a TLS node speaks TLS to the browser (HTTPS, supported by Chrome's and Firefox's engines). */
    static String entry(String node) {
        String tls = GatehouseConfig.Pac.TLS_NODE_PREFIX;
        return node.startsWith(tls) ? "HTTPS " + node.substring(tls.length()) : "PROXY " + node;
    }

    /** The rendezvous score of {@code node} for {@code host}, exactly as the script computes it. */
    public static long score(String node, String host) {
        int h = 0x811c9dc5;
        String s = node + "|" + host.toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i) & 0xff;
            h *= 16777619;
        }
        return h & 0xffffffffL;
    }

    private static String[] ipv4NetAndMask(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] b = AddressRange.literalBytes(addr);
        if (b == null || b.length != 4) return null;
        int prefix = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        String net = (b[0] & 0xff & (mask >>> 24)) + "." + (b[1] & 0xff & (mask >>> 16 & 0xff)) + "."
                + (b[2] & 0xff & (mask >>> 8 & 0xff)) + "." + (b[3] & 0xff & (mask & 0xff));
        String m = (mask >>> 24) + "." + (mask >>> 16 & 0xff) + "." + (mask >>> 8 & 0xff) + "." + (mask & 0xff);
        return new String[] {net, m};
    }

    /** A JavaScript string literal; config values are operator-written but still never break out of the string. */
    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') q.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e || c == '<' || c == '>') q.append(String.format("\\u%04x", (int) c));
            else q.append(c);
        }
        return q.append('"').toString();
    }
}
