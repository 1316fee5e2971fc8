package dev.gatehouse.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real MIT Kerberos KDC (Debian's krb5-kdc, set up with kdb5_util and kadmin.local from krb5-admin-server;
 * kinit from krb5-user) in a temp dir, for the Negotiate tests: realm {@value #REALM}, users {@code alice} and
 * {@code bob} (passwords in {@link #PASSWORDS}), and the proxy's service principal {@value #SERVICE} with a random
 * key, exported to {@link #keytab()}. {@code krb5kdc -n} runs in the foreground on a free loopback port (UDP and
 * TCP; the clients use TCP). The tools find the realm through {@code KRB5_CONFIG} and {@code KRB5_KDC_PROFILE}, set
 * only in their own environment, never this JVM's. Missing tools fail the test: run scripts/install-test-deps.
 */
public final class Kdc implements AutoCloseable {
    public static final String REALM = "GATEHOUSE.TEST";
    /** curl asks for {@code HTTP@<proxy host>}, so the tests address the proxy as {@code localhost}. */
    public static final String SERVICE = "HTTP/localhost@" + REALM;
    public static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw");
    private static final Path SBIN = Path.of("/usr/sbin");
    private static final Path KINIT = Path.of("/usr/bin/kinit");

    private final Path dir;
    private final Process process;

    private Kdc(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Creates the realm's database in {@code dir} (an empty temp dir), adds the principals and starts the KDC. */
    public static Kdc start(Path dir) throws IOException, InterruptedException {
        for (Path tool : List.of(SBIN.resolve("krb5kdc"), SBIN.resolve("kdb5_util"), SBIN.resolve("kadmin.local"), KINIT)) {
            if (!Files.isExecutable(tool)) throw new AssertionError(tool + " is missing: run scripts/install-test-deps");
        }
        int port = freePort();
        Files.writeString(dir.resolve("krb5.conf"), """
                [libdefaults]
                  default_realm = %1$s
                  dns_lookup_kdc = false
                  dns_lookup_realm = false
                  dns_canonicalize_hostname = false
                  rdns = false
                  udp_preference_limit = 1
                [realms]
                  %1$s = {
                    kdc = 127.0.0.1:%2$d
                  }
                """.formatted(REALM, port));
        Files.writeString(dir.resolve("kdc.conf"), """
                [kdcdefaults]
                  kdc_ports = %2$d
                  kdc_tcp_ports = %2$d
                [realms]
                  %1$s = {
                    database_name = %3$s/principal
                    key_stash_file = %3$s/stash
                    acl_file = %3$s/kadm5.acl
                    kdc_ports = %2$d
                    kdc_tcp_ports = %2$d
                  }
                [logging]
                  kdc = FILE:%3$s/kdc.log
                """.formatted(REALM, port, dir));
        Kdc tools = new Kdc(dir, null);
        run(tools.environment(), null, SBIN.resolve("kdb5_util").toString(), "create", "-s", "-r", REALM, "-P", "master-secret");
        for (Map.Entry<String, String> user : PASSWORDS.entrySet()) {
            tools.admin("addprinc -pw " + user.getValue() + " " + user.getKey());
        }
        tools.admin("addprinc -randkey " + SERVICE);
        tools.admin("ktadd -k " + dir.resolve("proxy.keytab") + " " + SERVICE);
        ProcessBuilder command = new ProcessBuilder(SBIN.resolve("krb5kdc").toString(), "-n", "-r", REALM)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("krb5kdc.out").toFile()));
        command.environment().putAll(tools.environment());
        Process process = command.start();
        // A test that forgets close() (or a JVM that dies) must not leave a KDC behind on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "krb5kdc-reaper"));
        Kdc kdc = new Kdc(dir, process);
        kdc.awaitListening(port);
        return kdc;
    }

    private void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("krb5kdc exited: " + Files.readString(dir.resolve("krb5kdc.out")));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        close();
        throw new AssertionError("krb5kdc did not listen within 20 s: " + Files.readString(dir.resolve("krb5kdc.out")));
    }

    /** The keytab holding {@link #SERVICE}'s keys, as an administrator would export it for the proxy. */
    public Path keytab() {
        return dir.resolve("proxy.keytab");
    }

    /** The client configuration (realm and KDC), for {@code KRB5_CONFIG}. */
    public Path config() {
        return dir.resolve("krb5.conf");
    }

    /** Logs {@code user} in with kinit into a new credentials cache, as a domain login would; returns its path. */
    public Path kinit(String user) throws IOException, InterruptedException {
        Path cache = Files.createTempFile(dir, "ccache-" + user, "");
        Files.delete(cache); // kinit makes it
        run(clientEnvironment(cache), PASSWORDS.get(user) + "\n", KINIT.toString(), user + "@" + REALM);
        return cache;
    }

    /** The environment a Kerberos client (curl, kinit) needs to use {@code cache}: {@code KRB5_CONFIG}, {@code KRB5CCNAME}. */
    public Map<String, String> clientEnvironment(Path cache) {
        return Map.of("KRB5_CONFIG", config().toString(), "KRB5CCNAME", "FILE:" + cache);
    }

    private Map<String, String> environment() {
        return Map.of("KRB5_CONFIG", config().toString(), "KRB5_KDC_PROFILE", dir.resolve("kdc.conf").toString());
    }

    private void admin(String query) throws IOException, InterruptedException {
        run(environment(), null, SBIN.resolve("kadmin.local").toString(), "-r", REALM, "-q", query);
    }

    /** Runs a tool with {@code environment} added, {@code input} on its standard input; fails with its output. */
    private static String run(Map<String, String> environment, String input, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
