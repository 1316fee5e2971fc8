package dev.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole main configuration, as one immutable snapshot. Every key is documented in
 * {@code etc/gatehouse.json}'s README section; the embedded defaults are {@code defaults.json} beside
 * this class.
 *
 * @param listen      proxy listener, {@code HOST:PORT}
 * @param admin       admin listener (health, metrics, stats, dashboard), {@code HOST:PORT}; port 0 picks a free one
 * @param adminAuth   credentials for the admin listener; required when {@code admin} is not a loopback address
 * @param dataDir     where the audit log and cache live; relative paths are relative to the working dir
 * @param clients     who may use the proxy
 * @param destinations where the proxy may connect
 * @param forwarding  how plain HTTP requests are forwarded
 * @param tunnel      CONNECT tunnels
 * @param bandwidth   limits on what crosses the WAN link, each way (Squid's class 2 delay pool and client delay pool);
 *                    unlimited by default
 * @param limits      request limits
 * @param audit       the audit log
 * @param policy      the access policy file and how it is reloaded
 * @param pac         the proxy auto-config file served at {@code /proxy.pac} and {@code /wpad.dat}
 * @param cache       the shared HTTP cache (memory and disk tiers)
 * @param auth        proxy authentication (who must log in, and against which back-end)
 * @param tls         an optional second proxy listener speaking TLS, so credentials never cross the network in clear
 * @param pages       the layout of the pages the proxy itself answers with (block, warn, failures, 407)
 * @param icap        virus scanning of downloads through an ICAP service (RFC 3507 RESPMOD); off by default
 * @param shutdownTimeout how long SIGTERM waits for in-flight exchanges before closing them
 */
public record GatehouseConfig(
        String listen,
        String admin,
        AdminAuth adminAuth,
        String dataDir,
        Clients clients,
        Destinations destinations,
        Forwarding forwarding,
        Tunnel tunnel,
        Bandwidth bandwidth,
        Limits limits,
        Audit audit,
        Pac pac,
        PolicySettings policy,
        Cache cache,
        Auth auth,
        Tls tls,
        Pages pages,
        Icap icap,
        Duration shutdownTimeout) {

    /**
     * Credentials for the admin listener's metrics, stats and dashboard (health and PAC stay open). Empty
     * strings mean unset. Either or both may be set.
     *
     * @param token    bearer token ({@code Authorization: Bearer ...}, e.g. for a Prometheus scrape job), at least 16 characters
     * @param user     HTTP Basic user name (for browsers)
     * @param password HTTP Basic password
     */
    public record AdminAuth(String token, String user, String password) {
        boolean configured() {
            return !token.isEmpty() || !user.isEmpty();
        }
    }

    /** @param allow client networks (IPv4/IPv6 CIDR) that may use the proxy; everyone else gets 403 */
    public record Clients(List<String> allow) {}

    /**
     * @param connectPorts ports CONNECT may reach
     * @param allowPrivate networks that are reachable although loopback or link-local (CIDR); the proxy's
     *                     own listening ports stay refused
     */
    public record Destinations(List<Integer> connectPorts, List<String> allowPrivate) {}

    /**
     * @param via              pseudonym in the {@code Via} and {@code X-Cache} headers, also used for loop
     *                         detection; by default this machine's host name ({@link ViaPseudonym})
     * @param xForwardedFor    add {@code X-Forwarded-For} with the client address (off: client anonymity)
     * @param connectTimeout   TCP connect timeout to origins
     * @param responseTimeout  time to wait for the response header after the request was sent
     * @param readTimeout      longest pause inside a response body before the transfer is abandoned
     * @param contact          text shown on error pages, e.g. how to reach the help desk
     * @param parent           parent proxies to forward through (Squid's {@code cache_peer ... parent}); none: direct
     * @param maxTries         the most destinations (origin addresses, parents) one request tries before it fails
     *                         (Squid's {@code forward_max_tries}); at least 1
     */
    public record Forwarding(String via, boolean xForwardedFor, Duration connectTimeout, Duration responseTimeout,
                             Duration readTimeout, String contact, Parent parent, int maxTries) {}

    /**
     * Parent proxies, as Squid's {@code cache_peer <host> parent <port> 0 no-query} with {@code never_direct
     * allow all}, and {@code always_direct} for {@code directDomains}. Empty {@code proxies}: everything goes direct.
     *
     * @param proxies        {@code host:port} of each parent, tried in order after the one {@code selection} chooses;
     *                       one that cannot be connected to is skipped for {@link #SKIP_AFTER_FAILURE}
     * @param user           Basic user name sent to the parents in {@code Proxy-Authorization}; empty for none
     * @param passwordFile   file whose first line is that user's password (kept out of this file and of logs)
     * @param directDomains  hosts in these domains (and the domains themselves) are reached directly
     * @param fallbackDirect when no parent can be connected to, go direct instead of answering 503
     * @param selection      which parent a request or tunnel tries first: "ordered" (the first that is up),
     *                       "round-robin" (each in turn, Squid's {@code round-robin}) or "client-hash" (one per client
     *                       address, Squid's {@code sourcehash})
     */
    public record Parent(List<String> proxies, String user, String passwordFile, List<String> directDomains,
                         boolean fallbackDirect, String selection) {
        /**
         * How long a parent that refused or timed out a connection, or closed a new one before any byte of answer, is
         * passed over (Squid marks it dead likewise).
         */
        public static final Duration SKIP_AFTER_FAILURE = Duration.ofSeconds(30);

        public boolean enabled() {
            return !proxies.isEmpty();
        }
    }

    /** @param connectTimeout upstream TCP connect timeout; @param idleTimeout closes a tunnel idle in both directions */
    public record Tunnel(Duration connectTimeout, Duration idleTimeout) {}

    /**
     * Rate limits on what crosses the WAN link, Squid's class 2 {@code delay_pools} for the download direction
     * and its {@code client_delay_pools} for the upload direction: each direction has one aggregate bucket and
     * one bucket per client address of its own, since the two are different pipes (an ADSL or 4G uplink is a
     * fraction of its downlink). Rates and sizes as {@link ByteRate} reads them; empty or 0 means unlimited.
     *
     * <p>Downloads: bytes fetched from origins (forwarded response bodies, CONNECT tunnels from upstream to
     * client); cache hits are not limited.
     *
     * @param total     the aggregate download rate of every client together, e.g. {@code "20Mbit"}
     * @param perClient each client address's download rate, e.g. {@code "4Mbit"}
     * @param burst     bytes a download bucket holds (what may go at once after a quiet spell), e.g. {@code "1MB"};
     *                  empty: one second at each bucket's rate
     * @param upload    uploads: request bodies forwarded to origins or parents, and CONNECT tunnels from client to
     *                  upstream; request heads and requests the proxy answers itself are not limited
     */
    public record Bandwidth(String total, String perClient, String burst, Rates upload) {
        /** The download direction's limits. */
        public Rates download() { return new Rates(total, perClient, burst); }
    }

    /**
     * One direction's limits (one delay pool of class 2).
     *
     * @param total     the aggregate rate of every client together, e.g. {@code "2Mbit"}
     * @param perClient each client address's rate, e.g. {@code "512kbit"}
     * @param burst     bytes a bucket holds, e.g. {@code "256KB"}; empty: one second at each bucket's rate
     */
    public record Rates(String total, String perClient, String burst) {
        public long totalBytesPerSecond() { return ByteRate.bytesPerSecond(total); }

        public long perClientBytesPerSecond() { return ByteRate.bytesPerSecond(perClient); }

        public long burstBytes() { return ByteRate.bytes(burst); }

        /** Whether a rate is set; when not, this direction's data paths do no extra work. */
        public boolean limited() { return totalBytesPerSecond() > 0 || perClientBytesPerSecond() > 0; }
    }

    /**
     * @param maxHeaderBytes   request header section size; larger gets 431
     * @param maxHeaderCount   number of request header fields; more gets 431
     * @param maxUrlLength     request-target length; longer gets 414
     * @param headerReadTimeout time a client has to send a whole request header (slowloris guard)
     * @param keepAliveTimeout idle time before a client keep-alive connection is closed
     * @param maxClientConnections concurrent client connections; further connections wait in the backlog
     * @param maxRequestBodyBytes request body size limit, -1 for none
     */
    public record Limits(int maxHeaderBytes, int maxHeaderCount, int maxUrlLength, Duration headerReadTimeout,
                         Duration keepAliveTimeout, int maxClientConnections, long maxRequestBodyBytes) {}

    /**
     * @param format        {@code json} (JSON lines), {@code squid} (Squid native access.log), {@code combined}
     *                      or {@code common} (NCSA, as Squid's {@code logformat combined} / {@code common})
     * @param file          audit file, relative to {@code dataDir}
     * @param stdout        write records to standard output instead of the file (containers)
     * @param rotateBytes   rotate when the file reaches this size, 0 for never
     * @param rotateDaily   rotate at local midnight
     * @param retain        rotated files kept
     * @param queueCapacity records waiting to be written before writers are slowed down (never dropped)
     * @param syslog        a best-effort copy of each record to a syslog collector (a SIEM); off by default
     */
    public record Audit(String format, String file, boolean stdout, long rotateBytes, boolean rotateDaily, int retain,
                        int queueCapacity, Syslog syslog) {}

    /**
     * A copy of each audit record sent to a syslog collector as an RFC 5424 message, as Squid's {@code access_log
     * syslog:facility.priority} / {@code tcp://host:port}. The file stays complete; this copy drops records (and
     * counts them) rather than ever slowing the proxy down.
     *
     * @param target        {@code tcp://host:port} (RFC 6587 octet counting) or {@code udp://host:port} (RFC 5426,
     *                      one datagram per record); empty: off
     * @param facility      RFC 5424 facility name ({@link #FACILITIES}), e.g. {@code local4} (Squid's default)
     * @param severity      RFC 5424 severity name ({@link #SEVERITIES}), e.g. {@code info}
     * @param appName       the APP-NAME field: 1-48 printable US-ASCII characters
     * @param hostname      the HOSTNAME field: up to 255 printable US-ASCII characters; empty: this machine's name
     * @param format        line format of the message, as {@code audit.format}; empty: the audit log's own
     * @param queueCapacity records waiting for the collector; more are dropped (for syslog only) and counted
     */
    public record Syslog(String target, String facility, String severity, String appName, String hostname,
                         String format, int queueCapacity) {
        /** RFC 5424 §6.2.1 facility names, in code order (code = index). */
        public static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog",
                "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
                "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
        /** RFC 5424 §6.2.1 severity names, in code order (code = index). */
        public static final List<String> SEVERITIES = List.of("emerg", "alert", "crit", "err", "warning", "notice",
                "info", "debug");

        public boolean enabled() {
            return !target.isEmpty();
        }

        /** The facility's numeric code; -1 for an unknown name (the validator reports it). */
        public int facilityCode() {
            return FACILITIES.indexOf(facility);
        }

        /** The severity's numeric code; -1 for an unknown name (the validator reports it). */
        public int severityCode() {
            return SEVERITIES.indexOf(severity);
        }

        /** {@code tcp} or {@code udp}, from {@link #target}. */
        public String transport() {
            int sep = target.indexOf("://");
            return sep < 0 ? "" : target.substring(0, sep);
        }

        /** The collector's address, from {@link #target}. */
        public HostPort address() {
            int sep = target.indexOf("://");
            return HostPort.parse(sep < 0 ? target : target.substring(sep + 3));
        }
    }

    /**
     * @param proxies        {@code host:port} of each proxy node browsers should use, or
     *                       {@code https://host:port} for a node's TLS listener; empty means this
     *                       proxy's {@code listen} address (which then must not be a wildcard address)
     * @param directDomains  intranet domains (and their subdomains) browsers reach without the proxy
     * @param directNetworks IPv4 CIDR blocks whose IP-literal hosts are reached directly
     * @param plainHostNamesDirect host names without a dot go direct
     * @param fallbackDirect browsers go direct when every proxy node is down
     */
    public record Pac(List<String> proxies, List<String> directDomains, List<String> directNetworks,
                      boolean plainHostNamesDirect, boolean fallbackDirect) {
        /** Marks a node in {@code proxies} reached over TLS ({@code tls.listen}). */
        public static final String TLS_NODE_PREFIX = "https://";
    }

    /**
     * @param file          the policy file ({@code policies/default.json}); empty for none (everything allowed)
     * @param watch         reload when a file in the policy's folder changes (also on SIGHUP and the admin call)
     * @param warnAllowance how long a "continue" on a warn page lets that client reach that host
     */
    public record PolicySettings(String file, boolean watch, Duration warnAllowance) {}

    /**
     * The shared HTTP cache; the disk tier lives under {@code <dataDir>/cache}.
     *
     * @param enabled           store and serve responses; off, every request goes to the origin
     * @param memoryBytes       bound of the memory tier (hot small objects), in bytes
     * @param memoryObjectBytes largest body the memory tier holds; larger ones live on disk only
     * @param diskBytes         bound of the disk tier, in bytes
     * @param maxObjectBytes    largest body stored at all; larger ones are streamed, not stored
     * @param minFreeDiskBytes  stop storing while the file system has less than this usable
     * @param heuristicFraction heuristic freshness (RFC 9111 §4.2.2): this fraction of the time since
     *                          Last-Modified, for responses without explicit freshness
     * @param heuristicCap      the longest heuristic freshness lifetime
     * @param refreshRules      heuristic freshness by URL, Squid's {@code refresh_pattern}: the first rule whose
     *                          pattern matches decides; {@code heuristicFraction} and {@code heuristicCap} apply
     *                          where none does
     * @param xCacheHeader      add {@code X-Cache: HIT|MISS from <via pseudonym>} to responses
     * @param purgeClients      client networks (CIDR) whose {@code PURGE} requests are honoured
     * @param rangeFillMaxBytes after the origin answers a {@code Range} in part, fetch and store the whole
     *                          object in the background if it is at most this large; 0 never does
     * @param maxVariants       responses kept per URL that differ by {@code Vary} (RFC 9111 §4.1); a new
     *                          one beyond this drops the oldest
     * @param quickAbort        when a miss whose client went away is still read to its end and stored
     */
    public record Cache(boolean enabled, long memoryBytes, long memoryObjectBytes, long diskBytes, long maxObjectBytes,
                        long minFreeDiskBytes, double heuristicFraction, Duration heuristicCap, List<RefreshRule> refreshRules,
                        boolean xCacheHeader, List<String> purgeClients, long rangeFillMaxBytes, int maxVariants,
                        QuickAbort quickAbort) {}

    /**
     * Squid's {@code refresh_pattern [-i] regex min percent max}, without its options (the README says why): a
     * response without explicit expiration (RFC 9111 §4.2.2) whose URL {@code pattern} finds is fresh for
     * {@code percent} of the time between its Date and Last-Modified, at most {@code max}, and for {@code min}
     * when it has no Last-Modified (before its Date). Every key but {@code caseInsensitive} is required.
     *
     * @param pattern         Java regular expression, found anywhere in the absolute URL (lower-case scheme and
     *                        host, no default port, no fragment: the cache key)
     * @param caseInsensitive match ignoring case (Squid's {@code -i}); false when absent
     * @param min             the heuristic lifetime of a response without Last-Modified
     * @param percent         share of the time since Last-Modified, 0 to 100
     * @param max             the longest heuristic lifetime, not below {@code min}
     */
    public record RefreshRule(@JsonProperty(required = true) String pattern,
                              @JsonSetter(nulls = Nulls.AS_EMPTY) boolean caseInsensitive,
                              @JsonProperty(required = true) Duration min,
                              @JsonProperty(required = true) double percent,
                              @JsonProperty(required = true) Duration max) {
        /** The pattern, compiled anew: by validation, and once when the cache is built (never per request). */
        public Pattern compiledPattern() {
            return Pattern.compile(pattern, caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
        }
    }

    /**
     * Squid's {@code quick_abort_*}: a miss whose client went away mid-body is read on and stored when fewer than
     * {@code minBytes} remain (negative: always), or, with at most {@code maxBytes} remaining, when at least
     * {@code percent} of it has arrived.
     */
    public record QuickAbort(long minBytes, long maxBytes, int percent) {}

    /**
     * Proxy authentication, RFC 9110 §11.7: clients in {@code networks} (minus {@code exempt}) must send
     * {@code Proxy-Authorization: Basic} (or {@code Negotiate}, when {@code negotiate} is set) or get 407.
     *
     * @param backend       {@code none} (no password login), {@code htpasswd} or {@code ldap}: the Basic back-end
     * @param realm         the realm browsers show in their login prompt
     * @param networks      client networks (CIDR) that must authenticate
     * @param exempt        networks inside those that need not (servers, printers)
     * @param htpasswdFile  Apache htpasswd file (bcrypt {@code $2y$}/{@code $2b$}, apr1, SHA-crypt) for the htpasswd back-end
     * @param groupsFile    Apache group file ({@code group: user user ...}); with either back-end; empty for none
     * @param ldap          the LDAP back-end
     * @param successTtl    how long a successful verification is remembered (LDAP is not asked per request)
     * @param failureTtl    how long a failed verification is remembered, and the window for counting failures
     * @param maxFailures   failures from one client address within {@code failureTtl} before its answers are slowed down
     * @param failureDelay  delay added to each 407 after {@code maxFailures}
     * @param onUnavailable when the back-end cannot answer: {@code deny} (503 page, fail closed) or
     *                      {@code anonymous} (carry on unauthenticated; policy rules on users still apply)
     * @param watch         reload the htpasswd and groups files when they change (also on SIGHUP and the admin reload)
     * @param negotiate     Kerberos single sign-on ({@code Negotiate}, RFC 4559); off while its keytab is empty
     */
    public record Auth(String backend, String realm, List<String> networks, List<String> exempt, String htpasswdFile,
                       String groupsFile, Ldap ldap, Duration successTtl, Duration failureTtl, int maxFailures,
                       Duration failureDelay, String onUnavailable, boolean watch, Negotiate negotiate) {
        /** Whether clients must log in at all: a Basic back-end, Kerberos, or both. */
        public boolean enabled() {
            return !backend.equals("none") || negotiate.enabled();
        }

        /** Whether the 407 offers Basic and Basic credentials are checked (the back-end may then only supply groups). */
        public boolean basicOffered() {
            return !backend.equals("none") && (!negotiate.enabled() || negotiate.offerBasic());
        }
    }

    /**
     * Kerberos single sign-on (RFC 4559 {@code Negotiate}, SPNEGO or raw Kerberos, one leg): the proxy accepts
     * service tickets for a principal in {@code keytab}. Groups of Kerberos users come from {@code groupsFile} and,
     * with the LDAP back-end, from the LDAP group search.
     *
     * @param keytab     the keytab file (e.g. made by {@code ktpass} or {@code msktutil}); empty: Negotiate is off
     * @param principal  the service principal to accept tickets for, with its realm
     *                   ({@code HTTP/proxy.corp.example@CORP.EXAMPLE}); empty: any principal in the keytab
     * @param stripRealm the user is {@code alice}, not {@code alice@CORP.EXAMPLE} (audit, policy, group lookups)
     * @param offerBasic with a Basic back-end configured, whether the 407 offers Basic too; false keeps the back-end
     *                   (LDAP) for the groups of Kerberos users only
     */
    public record Negotiate(String keytab, String principal, boolean stripRealm, boolean offerBasic) {
        public boolean enabled() {
            return !keytab.isEmpty();
        }
    }

    /**
     * The LDAP back-end: bind as the user (DN from {@code userDnTemplate}) or search for the user with the
     * service account, then bind as the found DN; groups by a search, nested to {@code nestedDepth}.
     *
     * @param url              {@code ldap://host:port} or {@code ldaps://host:port}
     * @param startTls         upgrade an {@code ldap://} connection with StartTLS
     * @param caFile           PEM file of CA certificates the server's certificate must chain to; empty for the JDK's trust store
     * @param bindDn           service account for searches; empty for anonymous searches
     * @param bindPasswordFile file holding the service account's password (first line); keeps it out of this file
     * @param userDnTemplate   e.g. {@code uid={user},ou=people,dc=example,dc=com}: bind directly, no search; empty to search
     * @param userBase         where to search for users
     * @param userFilter       e.g. {@code (uid={user})}; {@code {user}} is filter-escaped (RFC 4515)
     * @param groupBase        where to search for groups; empty for no groups from LDAP
     * @param groupFilter      e.g. {@code (member={dn})} or {@code (memberUid={user})}
     * @param groupNameAttribute attribute naming a group, e.g. {@code cn}
     * @param nestedDepth      how many levels of groups-in-groups are followed (0: direct membership only)
     * @param connectTimeout   TCP/TLS connect timeout
     * @param responseTimeout  time allowed for each LDAP operation
     * @param poolSize         connections kept to the server
     */
    public record Ldap(String url, boolean startTls, String caFile, String bindDn, String bindPasswordFile,
                       String userDnTemplate, String userBase, String userFilter, String groupBase, String groupFilter,
                       String groupNameAttribute, int nestedDepth, Duration connectTimeout, Duration responseTimeout,
                       int poolSize) {}

    /**
     * A proxy listener speaking TLS (browsers support {@code HTTPS host:port} in PAC files): same chain as
     * {@code listen}. Certificate and key are PEM files, re-read when they change.
     *
     * @param listen          {@code HOST:PORT}; empty for no TLS listener
     * @param certificateFile PEM certificate chain, leaf first
     * @param keyFile         PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
     * @param reloadCheck     how often the two files are checked for changes
     */
    public record Tls(String listen, String certificateFile, String keyFile, Duration reloadCheck) {
        public boolean enabled() {
            return !listen.isEmpty();
        }
    }

    /**
     * The organisation's own page layout (Squid's {@code error_directory}, e2guardian's {@code template.html}).
     *
     * @param template        one HTML file with {@code {{placeholders}}} used for every page the proxy renders; empty
     *                        for the built-in layout. Checked when the proxy starts and by check-config, re-read on SIGHUP
     * @param templates       instead of {@code template}: one such file per language tag ({@code "de": "etc/pages/de.html"}),
     *                        chosen per request by {@code Accept-Language} (Squid's {@code error_directory} negotiation)
     * @param defaultLanguage the tag in {@code templates} used when the request prefers none of them; required with them
     */
    public record Pages(String template, Map<String, String> templates, String defaultLanguage) {}

    /**
     * An ICAP service that scans forwarded responses before they are cached and sent (Squid's {@code icap_service
     * ... respmod_precache}), e.g. c-icap's {@code virus_scan} with ClamAV; and one that scans uploads (request bodies)
     * before they leave (Squid's {@code reqmod_precache}), e.g. a DLP service. {@code bypass}, {@code timeout} and
     * {@code maxConnections} hold for each service; each has its own connections.
     *
     * @param respmod        the RESPMOD service, {@code icap://host[:port]/service} (port 1344 when absent); empty: off
     * @param reqmod         the REQMOD service for requests with a body, written the same way; empty: off
     * @param bypass         when the service fails (unreachable, too slow, a malformed answer): true sends the unscanned
     *                       response (Squid's {@code bypass=on}), false answers with an error page (fail closed)
     * @param timeout        connect timeout, and the longest the service may stay silent while it is being read
     * @param maxConnections connections kept to the service at most; the service's {@code Max-Connections} lowers it
     * @param maxBodyBytes   a response whose {@code Content-Length} is larger is not sent to the service; 0: no limit
     * @param skip           responses that are not sent to the service at all
     */
    public record Icap(String respmod, String reqmod, boolean bypass, Duration timeout, int maxConnections, long maxBodyBytes,
                       IcapSkip skip) {
        /** The port of an {@code icap://} URL without one (RFC 3507 §4.2). */
        public static final int DEFAULT_PORT = 1344;

        public boolean enabled() {
            return !respmod.isEmpty();
        }

        /** Whether uploads are scanned ({@code reqmod} set). */
        public boolean reqmodEnabled() {
            return !reqmod.isEmpty();
        }

        /**
         * The RESPMOD service URL, parsed.
         *
         * @throws IllegalArgumentException if it is not {@code icap://host[:port]/service}
         */
        public java.net.URI serviceUri() {
            return serviceUri(respmod);
        }

        /** The port of {@link #serviceUri}. */
        public int port() {
            return port(respmod);
        }

        /**
         * {@code url} parsed as an ICAP service URL.
         *
         * @throws IllegalArgumentException if it is not {@code icap://host[:port]/service}
         */
        public static java.net.URI serviceUri(String url) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(url);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("is not a URL: " + e.getMessage());
            }
            if (!"icap".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawPath() == null || uri.getRawPath().length() < 2 || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("must be icap://host[:port]/service, e.g. icap://127.0.0.1:1344/virus_scan, got '"
                        + url + "'");
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) throw new IllegalArgumentException("has port " + uri.getPort() + ", must be 1..65535");
            return uri;
        }

        /** The port of the service at {@code url}: its own, or {@link #DEFAULT_PORT}. */
        public static int port(String url) {
            int port = serviceUri(url).getPort();
            return port < 0 ? DEFAULT_PORT : port;
        }
    }

    /**
     * @param contentTypes media types (or prefixes of them, such as {@code video/}) of responses not sent to the
     *                     service, compared without regard to case
     */
    public record IcapSkip(List<String> contentTypes) {}

    /** Checks values a JSON type cannot express; problems are reported by JSON pointer. */
    void validate(Problems p) {
        ConfigValidator.validate(this, p);
    }

    public HostPort listenAddress() { return HostPort.parse(listen); }

    public HostPort adminAddress() { return HostPort.parse(admin); }

    /** The proxy nodes the PAC file names: the configured ones, or this proxy's own listen address. */
    public List<String> pacProxies() {
        return pac.proxies().isEmpty() ? List.of(listenAddress().toString()) : pac.proxies();
    }
}
