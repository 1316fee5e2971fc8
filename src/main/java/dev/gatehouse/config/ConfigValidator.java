package dev.gatehouse.config;

import dev.gatehouse.http.AcceptLanguage;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.ParentProxies;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of a {@link GatehouseConfig} that its JSON types cannot express (ranges, addresses, patterns, settings
 * that only make sense together), each problem reported by the JSON pointer of the value at fault.
 */
final class ConfigValidator {
    /** {@code service/host@REALM} or {@code name@REALM}: components and realm without '@' or white space. */
    /** The audit formats, as {@code AuditLog.Format} names them (lower case). */
    private static final Set<String> AUDIT_FORMATS = Set.of("json", "squid", "combined", "common");
    private static final Pattern KERBEROS_PRINCIPAL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private ConfigValidator() {
    }

    /** Checks values a JSON type cannot express in {@code c}; problems are reported by JSON pointer. */
    static void validate(GatehouseConfig c, Problems p) {
        p.check("/listen", () -> HostPort.parse(c.listen()));
        p.check("/admin", () -> HostPort.parse(c.admin()));
        validateAdminAuth(c, p);
        if (c.dataDir().isBlank()) p.add("/dataDir", "must not be empty");
        for (int i = 0; i < c.clients().allow().size(); i++) {
            String cidr = c.clients().allow().get(i);
            p.check("/clients/allow/" + i, () -> AddressRange.parse(cidr));
        }
        for (int i = 0; i < c.destinations().connectPorts().size(); i++) {
            p.range("/destinations/connectPorts/" + i, c.destinations().connectPorts().get(i), 1, 65535);
        }
        for (int i = 0; i < c.destinations().allowPrivate().size(); i++) {
            String cidr = c.destinations().allowPrivate().get(i);
            p.check("/destinations/allowPrivate/" + i, () -> AddressRange.parse(cidr));
        }
        if (!ViaPseudonym.VALID.matcher(c.forwarding().via()).matches()) {
            p.add("/forwarding/via", "must be 1-64 letters, digits, '.', '_' or '-' (a Via pseudonym), got '" + c.forwarding().via() + "'");
        }
        positive(p, "/forwarding/connectTimeout", c.forwarding().connectTimeout());
        positive(p, "/forwarding/responseTimeout", c.forwarding().responseTimeout());
        positive(p, "/forwarding/readTimeout", c.forwarding().readTimeout());
        if (c.forwarding().maxTries() < 1 || c.forwarding().maxTries() > 100) {
            p.add("/forwarding/maxTries", "must be between 1 and 100 (Squid's forward_max_tries, 25 by default), got " + c.forwarding().maxTries());
        }
        validateParent(p, c.forwarding().parent());
        positive(p, "/tunnel/connectTimeout", c.tunnel().connectTimeout());
        positive(p, "/tunnel/idleTimeout", c.tunnel().idleTimeout());
        rates(p, "/bandwidth/", c.bandwidth().download());
        rates(p, "/bandwidth/upload/", c.bandwidth().upload());
        p.range("/limits/maxHeaderBytes", c.limits().maxHeaderBytes(), 1024, 1 << 20);
        p.range("/limits/maxHeaderCount", c.limits().maxHeaderCount(), 8, 1000);
        p.range("/limits/maxUrlLength", c.limits().maxUrlLength(), 64, 1 << 20);
        positive(p, "/limits/headerReadTimeout", c.limits().headerReadTimeout());
        positive(p, "/limits/keepAliveTimeout", c.limits().keepAliveTimeout());
        p.range("/limits/maxClientConnections", c.limits().maxClientConnections(), 1, 1_000_000);
        p.range("/limits/maxRequestBodyBytes", c.limits().maxRequestBodyBytes(), -1, Long.MAX_VALUE);
        if (!AUDIT_FORMATS.contains(c.audit().format())) {
            p.add("/audit/format", "must be \"json\", \"squid\", \"combined\" or \"common\", got \""
                    + c.audit().format() + "\"");
        }
        if (c.audit().file().isBlank()) p.add("/audit/file", "must not be empty");
        p.range("/audit/rotateBytes", c.audit().rotateBytes(), 0, Long.MAX_VALUE);
        p.range("/audit/retain", c.audit().retain(), 0, 10_000);
        p.range("/audit/queueCapacity", c.audit().queueCapacity(), 16, 10_000_000);
        validateSyslog(c.audit().syslog(), p);
        for (int i = 0; i < c.pac().proxies().size(); i++) {
            String node = c.pac().proxies().get(i);
            String hostPort = node.startsWith(GatehouseConfig.Pac.TLS_NODE_PREFIX) ? node.substring(GatehouseConfig.Pac.TLS_NODE_PREFIX.length()) : node;
            p.check("/pac/proxies/" + i, () -> HostPort.parse(hostPort));
        }
        for (int i = 0; i < c.pac().directNetworks().size(); i++) {
            String cidr = c.pac().directNetworks().get(i);
            p.check("/pac/directNetworks/" + i, () -> AddressRange.parse(cidr));
        }
        domains(p, "/pac/directDomains/", c.pac().directDomains());
        positive(p, "/policy/warnAllowance", c.policy().warnAllowance());
        notNegative(p, "/cache/memoryBytes", c.cache().memoryBytes());
        p.range("/cache/memoryObjectBytes", c.cache().memoryObjectBytes(), 0, Integer.MAX_VALUE - 8); // held in one array
        notNegative(p, "/cache/diskBytes", c.cache().diskBytes());
        notNegative(p, "/cache/maxObjectBytes", c.cache().maxObjectBytes());
        notNegative(p, "/cache/minFreeDiskBytes", c.cache().minFreeDiskBytes());
        notNegative(p, "/cache/rangeFillMaxBytes", c.cache().rangeFillMaxBytes());
        p.range("/cache/maxVariants", c.cache().maxVariants(), 1, 64);
        notNegative(p, "/cache/quickAbort/maxBytes", c.cache().quickAbort().maxBytes());
        p.range("/cache/quickAbort/percent", c.cache().quickAbort().percent(), 0, 100);
        if (!(c.cache().heuristicFraction() >= 0 && c.cache().heuristicFraction() <= 1)) {
            p.add("/cache/heuristicFraction", "must be between 0 and 1 (0.1 is usual), got " + c.cache().heuristicFraction());
        }
        if (c.cache().heuristicCap().isNegative()) p.add("/cache/heuristicCap", "must not be negative, got " + c.cache().heuristicCap());
        validateRefreshRules(c, p);
        for (int i = 0; i < c.cache().purgeClients().size(); i++) {
            String cidr = c.cache().purgeClients().get(i);
            p.check("/cache/purgeClients/" + i, () -> AddressRange.parse(cidr));
        }
        validateAuth(c, p);
        validateTls(c, p);
        validatePages(c.pages(), p);
        validateIcap(c.icap(), p);
        positive(p, "/shutdownTimeout", c.shutdownTimeout());
    }

    /** {@code audit.syslog}: checked whether or not a target is set, so a typo shows before it is switched on. */
    private static void validateSyslog(GatehouseConfig.Syslog s, Problems p) {
        if (s.enabled()) {
            String transport = s.transport();
            if (!transport.equals("tcp") && !transport.equals("udp")) {
                p.add("/audit/syslog/target", "must be tcp://HOST:PORT or udp://HOST:PORT, got \"" + s.target() + "\"");
            } else {
                p.check("/audit/syslog/target", () -> {
                    HostPort address = s.address();
                    if (s.target().startsWith(transport + "://:")) throw new IllegalArgumentException("'" + s.target() + "' names no host");
                    if (address.port() == 0) throw new IllegalArgumentException("'" + s.target() + "' needs a port (514 is usual for udp, 6514 or 601 for tcp)");
                });
            }
        }
        if (s.facilityCode() < 0) {
            p.add("/audit/syslog/facility", "must be one of " + String.join(", ", GatehouseConfig.Syslog.FACILITIES) + ", got \"" + s.facility() + "\"");
        }
        if (s.severityCode() < 0) {
            p.add("/audit/syslog/severity", "must be one of " + String.join(", ", GatehouseConfig.Syslog.SEVERITIES) + ", got \"" + s.severity() + "\"");
        }
        // RFC 5424 §6.2.5 and §6.2.4: PRINTUSASCII only (no space), bounded lengths.
        if (s.appName().isEmpty() || !printableAscii(s.appName(), 48)) {
            p.add("/audit/syslog/appName", "must be 1-48 printable US-ASCII characters without spaces (RFC 5424 APP-NAME), got \"" + s.appName() + "\"");
        }
        if (!s.hostname().isEmpty() && !printableAscii(s.hostname(), 255)) {
            p.add("/audit/syslog/hostname", "must be up to 255 printable US-ASCII characters without spaces (RFC 5424 HOSTNAME), or empty for this machine's name, got \"" + s.hostname() + "\"");
        }
        if (!s.format().isEmpty() && !AUDIT_FORMATS.contains(s.format())) {
            p.add("/audit/syslog/format", "must be \"json\", \"squid\", \"combined\", \"common\" or empty (the audit log's own format), got \""
                    + s.format() + "\"");
        }
        p.range("/audit/syslog/queueCapacity", s.queueCapacity(), 16, 10_000_000);
    }

    /** At most {@code max} characters, each printable US-ASCII (33-126, RFC 5424 PRINTUSASCII). */
    private static boolean printableAscii(String s, int max) {
        return s.length() <= max && s.chars().allMatch(ch -> ch >= 33 && ch <= 126);
    }

    /**
     * One template, or one per language: tags of RFC 5646's shape, each once (tags are case-insensitive), a default
     * among them, file names not empty. The files themselves are read by the proxy and check-config.
     */
    private static void validatePages(GatehouseConfig.Pages pages, Problems p) {
        Map<String, String> templates = pages.templates();
        if (templates.isEmpty()) {
            if (!pages.defaultLanguage().isEmpty()) p.add("/pages/defaultLanguage", "only applies with pages.templates (one file per language)");
            return;
        }
        if (!pages.template().isEmpty()) {
            p.add("/pages/templates", "set pages.template (one file for every client) or pages.templates (one per language), not both");
        }
        if (templates.size() > AcceptLanguage.MAX_LANGUAGES) {
            p.add("/pages/templates", "at most " + AcceptLanguage.MAX_LANGUAGES + " languages, got " + templates.size());
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> t : templates.entrySet()) {
            String at = "/pages/templates/" + t.getKey().replace("~", "~0").replace("/", "~1");
            if (!AcceptLanguage.isWellFormedTag(t.getKey())) {
                p.add(at, "'" + t.getKey() + "' is not a language tag such as en, de, de-CH or zh-Hant (RFC 5646)");
            } else if (!seen.add(t.getKey().toLowerCase(Locale.ROOT))) {
                p.add(at, "'" + t.getKey() + "' is given twice (language tags are case-insensitive)");
            }
            if (t.getValue().isBlank()) p.add(at, "must name the template file for '" + t.getKey() + "'");
        }
        if (pages.defaultLanguage().isEmpty()) {
            p.add("/pages/defaultLanguage", "required with pages.templates: the language for clients that ask for none of "
                    + String.join(", ", templates.keySet()));
        } else if (!seen.contains(pages.defaultLanguage().toLowerCase(Locale.ROOT))) {
            p.add("/pages/defaultLanguage", "'" + pages.defaultLanguage() + "' must be one of the languages in pages.templates: "
                    + String.join(", ", templates.keySet()));
        }
    }

    private static void validateIcap(GatehouseConfig.Icap icap, Problems p) {
        if (icap.enabled()) p.check("/icap/respmod", icap::port);
        if (icap.reqmodEnabled()) p.check("/icap/reqmod", () -> GatehouseConfig.Icap.port(icap.reqmod()));
        positive(p, "/icap/timeout", icap.timeout());
        p.range("/icap/maxConnections", icap.maxConnections(), 1, 10_000);
        notNegative(p, "/icap/maxBodyBytes", icap.maxBodyBytes());
        for (int i = 0; i < icap.skip().contentTypes().size(); i++) {
            if (icap.skip().contentTypes().get(i).isBlank()) p.add("/icap/skip/contentTypes/" + i, "must not be empty (a media type such as video/mp4, or a prefix such as video/)");
        }
    }

    private static void rates(Problems p, String pointer, GatehouseConfig.Rates rates) {
        p.check(pointer + "total", rates::totalBytesPerSecond);
        p.check(pointer + "perClient", rates::perClientBytesPerSecond);
        p.check(pointer + "burst", rates::burstBytes);
    }

    private static void domains(Problems p, String pointer, List<String> domains) {
        for (int i = 0; i < domains.size(); i++) {
            if (!domains.get(i).matches("\\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                p.add(pointer + i, "must be a domain name such as corp.example, got '" + domains.get(i) + "'");
            }
        }
    }

    private static void validateParent(Problems p, GatehouseConfig.Parent parent) {
        for (int i = 0; i < parent.proxies().size(); i++) {
            String node = parent.proxies().get(i);
            String at = "/forwarding/parent/proxies/" + i;
            try {
                HostPort hp = HostPort.parse(node);
                if (node.strip().startsWith(":")) p.add(at, "'" + node + "' must name the parent's host, e.g. hq-proxy.corp.example:3128");
                else if (hp.port() == 0) p.add(at, "'" + node + "' has port 0, must be 1..65535");
            } catch (IllegalArgumentException e) {
                p.add(at, e.getMessage());
            }
        }
        if (parent.user().isEmpty() != parent.passwordFile().isEmpty()) {
            p.add("/forwarding/parent", "set both user and passwordFile for Basic credentials to the parent, or neither");
        }
        if (!parent.user().matches("[^:\\p{Cntrl}]*")) {
            p.add("/forwarding/parent/user", "must not contain ':' or control characters (Basic authentication, RFC 7617 §2)");
        }
        if (!parent.enabled() && (!parent.user().isEmpty() || !parent.directDomains().isEmpty() || parent.fallbackDirect())) {
            p.add("/forwarding/parent/proxies", "is empty, so the other parent settings have no effect: name at least one parent proxy");
        }
        domains(p, "/forwarding/parent/directDomains/", parent.directDomains());
        if (ParentProxies.Selection.named(parent.selection()) == null) {
            p.add("/forwarding/parent/selection", "must be one of " + ParentProxies.Selection.allowedNames() + ", got \"" + parent.selection() + "\"");
        }
    }

    /** Negative durations cannot be written (the duration format has no sign), so min and max are 0 or more. */
    private static void validateRefreshRules(GatehouseConfig c, Problems p) {
        for (int i = 0; i < c.cache().refreshRules().size(); i++) {
            GatehouseConfig.RefreshRule rule = c.cache().refreshRules().get(i);
            String at = "/cache/refreshRules/" + i;
            try {
                rule.compiledPattern();
            } catch (PatternSyntaxException e) {
                p.add(at + "/pattern", "invalid regex: " + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
                        + " in '" + rule.pattern() + "'");
            }
            if (!(rule.percent() >= 0 && rule.percent() <= 100)) {
                p.add(at + "/percent", "must be between 0 and 100, got " + rule.percent());
            }
            if (rule.min().compareTo(rule.max()) > 0) {
                p.add(at + "/max", "must not be shorter than min (" + rule.min() + "), got " + rule.max());
            }
        }
    }

    private static void validateAuth(GatehouseConfig c, Problems p) {
        switch (c.auth().backend()) {
            case "none" -> { }
            case "htpasswd" -> {
                if (c.auth().htpasswdFile().isBlank()) p.add("/auth/htpasswdFile", "must name the htpasswd file when backend is \"htpasswd\"");
            }
            case "ldap" -> validateLdap(p, c.auth().ldap());
            default -> p.add("/auth/backend", "must be \"none\", \"htpasswd\" or \"ldap\", got \"" + c.auth().backend() + "\"");
        }
        if (!c.auth().realm().matches("[\\x20-\\x7e&&[^\"\\\\]]{1,64}")) {
            p.add("/auth/realm", "must be 1-64 printable ASCII characters without quotes or backslashes (it is sent quoted in Proxy-Authenticate)");
        }
        for (int i = 0; i < c.auth().networks().size(); i++) {
            String cidr = c.auth().networks().get(i);
            p.check("/auth/networks/" + i, () -> AddressRange.parse(cidr));
        }
        for (int i = 0; i < c.auth().exempt().size(); i++) {
            String cidr = c.auth().exempt().get(i);
            p.check("/auth/exempt/" + i, () -> AddressRange.parse(cidr));
        }
        positive(p, "/auth/successTtl", c.auth().successTtl());
        positive(p, "/auth/failureTtl", c.auth().failureTtl());
        p.range("/auth/maxFailures", c.auth().maxFailures(), 1, 1_000_000);
        if (c.auth().failureDelay().isNegative() || c.auth().failureDelay().compareTo(Duration.ofMinutes(1)) > 0) {
            p.add("/auth/failureDelay", "must be between 0s and 1m, got " + c.auth().failureDelay());
        }
        if (!c.auth().onUnavailable().equals("deny") && !c.auth().onUnavailable().equals("anonymous")) {
            p.add("/auth/onUnavailable", "must be \"deny\" (503, fail closed) or \"anonymous\", got \"" + c.auth().onUnavailable() + "\"");
        }
        validateNegotiate(p, c.auth().negotiate());
    }

    /** The keytab's contents are checked when the proxy starts (and by check-config), naming the file. */
    private static void validateNegotiate(Problems p, GatehouseConfig.Negotiate negotiate) {
        String principal = negotiate.principal();
        if (!principal.isEmpty() && !KERBEROS_PRINCIPAL.matcher(principal).matches()) {
            p.add("/auth/negotiate/principal", "must be a service principal with its realm, e.g. HTTP/proxy.corp.example@CORP.EXAMPLE,"
                    + " or empty for any principal in the keytab; got '" + principal + "'");
        }
        if (!negotiate.enabled() && !principal.isEmpty()) {
            p.add("/auth/negotiate/keytab", "must name the keytab file when negotiate.principal is set");
        }
    }

    private static void validateLdap(Problems p, GatehouseConfig.Ldap ldap) {
        if (!ldap.url().matches("(?i)ldaps?://[^/?#\\s]+/?")) {
            p.add("/auth/ldap/url", "must be ldap://host[:port] or ldaps://host[:port], got '" + ldap.url() + "'");
        } else if (ldap.startTls() && ldap.url().regionMatches(true, 0, "ldaps:", 0, 6)) {
            p.add("/auth/ldap/startTls", "StartTLS applies to ldap:// URLs; an ldaps:// connection is TLS already");
        }
        if (ldap.userDnTemplate().isEmpty()) {
            if (ldap.userBase().isBlank()) p.add("/auth/ldap/userBase", "must be set when userDnTemplate is empty (search-then-bind)");
            if (!ldap.userFilter().contains("{user}")) p.add("/auth/ldap/userFilter", "must contain {user}, got '" + ldap.userFilter() + "'");
        } else if (!ldap.userDnTemplate().contains("{user}")) {
            p.add("/auth/ldap/userDnTemplate", "must contain {user}, got '" + ldap.userDnTemplate() + "'");
        }
        if (!ldap.groupBase().isEmpty() && !ldap.groupFilter().contains("{dn}") && !ldap.groupFilter().contains("{user}")) {
            p.add("/auth/ldap/groupFilter", "must contain {dn} or {user}, got '" + ldap.groupFilter() + "'");
        }
        if (ldap.bindDn().isEmpty() != ldap.bindPasswordFile().isEmpty()) {
            p.add("/auth/ldap", "set both bindDn and bindPasswordFile for a service account, or neither (anonymous search)");
        }
        p.range("/auth/ldap/nestedDepth", ldap.nestedDepth(), 0, 10);
        positive(p, "/auth/ldap/connectTimeout", ldap.connectTimeout());
        positive(p, "/auth/ldap/responseTimeout", ldap.responseTimeout());
        p.range("/auth/ldap/poolSize", ldap.poolSize(), 1, 100);
    }

    private static void validateTls(GatehouseConfig c, Problems p) {
        if (!c.tls().enabled()) return;
        p.check("/tls/listen", () -> HostPort.parse(c.tls().listen()));
        if (c.tls().certificateFile().isBlank()) p.add("/tls/certificateFile", "must name a PEM certificate file when tls.listen is set");
        if (c.tls().keyFile().isBlank()) p.add("/tls/keyFile", "must name a PEM private key file when tls.listen is set");
        positive(p, "/tls/reloadCheck", c.tls().reloadCheck());
    }

    private static void notNegative(Problems p, String pointer, long bytes) {
        if (bytes < 0) p.add(pointer, "must be a size in bytes, 0 or more, got " + bytes);
    }

    private static void validateAdminAuth(GatehouseConfig c, Problems p) {
        if (!c.adminAuth().token().isEmpty() && c.adminAuth().token().length() < 16) {
            p.add("/adminAuth/token", "must be at least 16 characters (e.g. the output of 'openssl rand -hex 16')");
        }
        if (c.adminAuth().user().isEmpty() != c.adminAuth().password().isEmpty()) {
            p.add("/adminAuth", "set both user and password for Basic authentication, or neither");
        }
        if (c.adminAuth().user().indexOf(':') >= 0) {
            p.add("/adminAuth/user", "must not contain ':' (Basic authentication separates user and password with it)");
        }
        HostPort address;
        try {
            address = HostPort.parse(c.admin());
        } catch (IllegalArgumentException e) {
            return; // reported above
        }
        if (!isLoopback(address.host()) && !c.adminAuth().configured()) {
            p.add("/admin", "'" + c.admin() + "' is reachable from the network, so metrics and statistics need credentials:"
                    + " set adminAuth.token and/or adminAuth.user and adminAuth.password, or bind the admin listener to 127.0.0.1");
        }
    }

    /** Loopback by literal ({@code 127.x}, {@code ::1}) or by the name {@code localhost}; no DNS lookup. */
    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        byte[] b = AddressRange.literalBytes(host);
        if (b == null) return false;
        if (b.length == 4) return (b[0] & 0xff) == 127;
        for (int i = 0; i < 15; i++) if (b[i] != 0) return false;
        return b[15] == 1;
    }

    private static void positive(Problems p, String pointer, Duration d) {
        if (d.isNegative() || d.isZero()) p.add(pointer, "must be a positive duration, got " + d);
    }
}
