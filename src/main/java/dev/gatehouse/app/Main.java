package dev.gatehouse.app;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code gatehouse} command line.
 *
 * <pre>
 * gatehouse run          [--config FILE] [--listen HOST:PORT] [--admin HOST:PORT] [--data-dir DIR]
 * gatehouse check-config [--config FILE] [same overrides]
 * gatehouse --help | --version
 * </pre>
 * Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 invalid configuration.
 */
public final class Main {
    static final String USAGE = """
            Usage: gatehouse <command> [options]

            Commands:
              run            run the proxy (the default)
              check-config   validate the configuration, list every problem, exit non-zero if any

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
                    return usage(err, "unknown argument '" + a + "'");
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
        if (command.equals("check-config")) {
            out.println((configFile == null ? "embedded defaults" : configFile) + ": OK");
            return 0;
        }
        return serve(config, err);
    }

    private static int serve(GatehouseConfig config, PrintStream err) {
        Gatehouse gatehouse;
        try {
            gatehouse = Gatehouse.start(config);
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
        Signals.onHangup(gatehouse::reopenAuditLog);
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
