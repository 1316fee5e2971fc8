package dev.gatehouse.app;

import dev.gatehouse.auth.AuthLoadException;
import dev.gatehouse.auth.Authenticator;
import dev.gatehouse.auth.Authenticators;
import dev.gatehouse.auth.KerberosAcceptor;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.ErrorPages;
import dev.gatehouse.http.PageTemplate;
import dev.gatehouse.listener.TlsCredentials;
import dev.gatehouse.policy.PolicyLoadException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code gatehouse} command line.
 *
 * <pre>
 * gatehouse run          [--config FILE] [--listen HOST:PORT] [--admin HOST:PORT] [--data-dir DIR]
 * gatehouse check-config [--config FILE] [same overrides]
 * gatehouse explain URL|HOST:PORT [--client IP] [--user U] [--group G]... [--method M] [--header "N: V"]... [--at TIME] [--json]
 * gatehouse --help | --version
 * </pre>
 * Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 invalid configuration.
 */
public final class Main {
    static final String USAGE = """
            Usage: gatehouse <command> [options]

            Commands:
              run            run the proxy (the default)
              check-config   validate the configuration and the policy, list every problem, exit 3 if any
              explain TARGET why the policy decides a URL (or HOST:PORT, as CONNECT) the way it does:
                             [--client IP] [--user U] [--group G]... [--method M] [--header "User-Agent: curl/8"]...
                             [--at 2026-11-23T09:00:00Z] [--json]

            Options:
              --config FILE        main configuration (JSON); without it the embedded defaults are used
              --listen HOST:PORT   proxy listener, overrides "listen"
              --admin HOST:PORT    admin listener, overrides "admin"
              --data-dir DIR       audit log and cache directory, overrides "dataDir"
              --help               this text
              --version            print the version
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code (the proxy itself blocks until the JVM is told to stop). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = "run";
        Path configFile = null;
        String explainTarget = null;
        String client = "127.0.0.1";
        String user = null;
        java.util.Set<String> groups = new java.util.HashSet<>();
        String method = "GET";
        java.util.List<String> headers = new java.util.ArrayList<>();
        String at = null;
        boolean json = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--version", "version" -> {
                    out.println("gatehouse " + version());
                    return 0;
                }
                case "run", "check-config" -> command = a;
                case "explain" -> command = a;
                case "--json" -> json = true;
                case "--client", "--user", "--group", "--method", "--header", "--at" -> {
                    if (i + 1 >= args.length) return usage(err, a + " needs a value");
                    String value = args[++i];
                    switch (a) {
                        case "--client" -> client = value;
                        case "--user" -> user = value;
                        case "--group" -> groups.add(value);
                        case "--method" -> method = value;
                        case "--header" -> headers.add(value);
                        default -> at = value;
                    }
                }
                case "--config", "--listen", "--admin", "--data-dir" -> {
                    if (i + 1 >= args.length) return usage(err, a + " needs a value");
                    String value = args[++i];
                    switch (a) {
                        case "--config" -> configFile = Path.of(value);
                        case "--listen" -> overrides.put("/listen", value);
                        case "--admin" -> overrides.put("/admin", value);
                        default -> overrides.put("/dataDir", value);
                    }
                }
                default -> {
                    if (!command.equals("explain") || explainTarget != null || a.startsWith("-")) {
                        return usage(err, "unknown argument '" + a + "'");
                    }
                    explainTarget = a;
                }
            }
        }
        GatehouseConfig config;
        try {
            ConfigLoader loader = new ConfigLoader();
            config = configFile == null ? loader.load("(embedded defaults)", "{}", overrides) : loader.load(configFile, overrides);
        } catch (ConfigException e) {
            err.println("gatehouse: " + e.getMessage());
            return 3;
        }
        if (command.equals("explain")) {
            if (explainTarget == null) return usage(err, "explain needs a URL or HOST:PORT");
            if (config.policy().file().isBlank()) return usage(err, "no policy file is configured (policy.file)");
            return ExplainCommand.run(Path.of(config.policy().file()), explainTarget, client, user, groups, method, headers, at,
                    json, out, err);
        }
        if (command.equals("check-config")) {
            out.println((configFile == null ? "embedded defaults" : configFile) + ": OK");
            boolean tlsOk = checkTls(config.tls(), out, err);
            boolean authOk = checkAuth(config.auth(), out, err);
            boolean parentOk = checkParent(config.forwarding().parent(), out, err);
            boolean pagesOk = checkPages(config, out, err);
            return checkPolicy(config, out, err) && tlsOk && authOk && parentOk && pagesOk ? 0 : 3;
        }
        return serve(config, err);
    }

    private static boolean checkPolicy(GatehouseConfig config, PrintStream out, PrintStream err) {
        if (config.policy().file().isBlank()) return true;
        try {
            var policy = PolicyRuntime.load(Path.of(config.policy().file()));
            out.println(config.policy().file() + ": OK (version " + policy.version() + ", " + policy.rules().size()
                    + " rules, " + policy.warnings().size() + " warnings)");
            policy.warnings().forEach(w -> out.println("  " + w));
            return true;
        } catch (PolicyLoadException e) {
            err.println("gatehouse: " + config.policy().file() + " has errors:");
            e.problems().forEach(p -> err.println("  " + p));
            return false;
        }
    }

    /** The TLS listener's certificate and key, loaded as the listener would load them. */
    private static boolean checkTls(GatehouseConfig.Tls tls, PrintStream out, PrintStream err) {
        if (!tls.enabled()) return true;
        try {
            TlsCredentials c = TlsCredentials.load(Path.of(tls.certificateFile()), Path.of(tls.keyFile()), Instant.now());
            out.println(tls.certificateFile() + ": OK (" + c.summary() + ", key " + tls.keyFile() + ")");
            c.warnings().forEach(w -> out.println("  warning: " + w));
            return true;
        } catch (TlsCredentials.LoadException e) {
            err.println("gatehouse: " + e.getMessage());
            return false;
        }
    }

    /** The authentication files (htpasswd, groups, LDAP password and CA files, keytab), loaded as the proxy would load them. */
    private static boolean checkAuth(GatehouseConfig.Auth auth, PrintStream out, PrintStream err) {
        if (!auth.enabled()) return true;
        boolean ok = true;
        if (auth.negotiate().enabled()) {
            try {
                out.println("auth.negotiate: OK (" + KerberosAcceptor.open(auth.negotiate()) + ")");
            } catch (AuthLoadException e) {
                err.println("gatehouse: proxy authentication: " + e.getMessage());
                ok = false;
            }
        }
        if (auth.backend().equals("none") && auth.groupsFile().isEmpty()) return ok;
        return checkAuthFiles(auth, out, err) && ok;
    }

    private static boolean checkAuthFiles(GatehouseConfig.Auth auth, PrintStream out, PrintStream err) {
        try (Authenticator authenticator = Authenticators.create(auth)) {
            String backend = switch (auth.backend()) {
                case "htpasswd" -> "htpasswd " + auth.htpasswdFile();
                case "ldap" -> "ldap " + auth.ldap().url();
                default -> "Kerberos only";
            };
            out.println("auth: OK (" + backend + (auth.groupsFile().isEmpty() ? "" : ", groups " + auth.groupsFile()) + ")");
            return true;
        } catch (AuthLoadException e) {
            err.println("gatehouse: proxy authentication: " + e.getMessage());
            return false;
        }
    }

    /** The parent's password file, read as the proxy would read it (the password itself is never printed). */
    private static boolean checkParent(GatehouseConfig.Parent parent, PrintStream out, PrintStream err) {
        if (!parent.enabled()) return true;
        try {
            ParentSetup.from(parent);
            out.println("forwarding.parent: OK (" + String.join(", ", parent.proxies())
                    + (parent.user().isEmpty() ? "" : ", user " + parent.user() + " from " + parent.passwordFile()) + ")");
            return true;
        } catch (IOException e) {
            err.println("gatehouse: " + e.getMessage());
            return false;
        }
    }

    /** The page templates, parsed as the proxy would parse them. */
    private static boolean checkPages(GatehouseConfig config, PrintStream out, PrintStream err) {
        try {
            ErrorPages pages = Gatehouse.pages(config);
            for (int i = 0; i < pages.templateFiles().size(); i++) {
                out.println(pages.templateFiles().get(i) + ": OK (page template for block, warn and error pages"
                        + (pages.negotiated() ? ", language " + pages.languages()[i] : "") + ")");
            }
            return true;
        } catch (PageTemplate.LoadException e) {
            err.println("gatehouse: " + e.getMessage());
            return false;
        }
    }

    private static int serve(GatehouseConfig config, PrintStream err) {
        Gatehouse gatehouse;
        try {
            gatehouse = Gatehouse.start(config);
        } catch (PolicyLoadException e) {
            err.println("gatehouse: the policy has errors:");
            e.problems().forEach(p -> err.println("  " + p));
            return 3;
        } catch (AuthLoadException e) {
            err.println("gatehouse: proxy authentication cannot start: " + e.getMessage());
            return 3;
        } catch (PageTemplate.LoadException e) {
            err.println("gatehouse: " + e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("gatehouse: cannot start: " + (e.getMessage() == null ? e : e.getMessage()));
            return 1;
        } catch (Exception e) {
            err.println("gatehouse: cannot start: " + e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: drain, close tunnels, flush the audit log.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gatehouse.close();
            stopped.countDown();
        }, "gatehouse-shutdown"));
        Signals.onHangup(gatehouse::hangup);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("gatehouse: " + problem);
        err.print(USAGE);
        return 2;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
