package dev.gatehouse.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP {@code slapd} (Debian's package) configured and started by the tests in a temp dir, for the LDAP
 * back-end's tests and end-to-end tests: an mdb database under {@value #BASE_DN} with the core, cosine,
 * inetOrgPerson and NIS schemas; a test CA and a server certificate for 127.0.0.1 and localhost; plain LDAP
 * (StartTLS offered) on {@link #ldapPort()}, LDAPS on {@link #ldapsPort()}, also on 127.0.0.2 where the
 * certificate's name does not match. Runs as whoever runs the tests (root or not); nothing outside the dir.
 *
 * <p>Directory: people {@code alice}, {@code bob}, {@code carol} (passwords in {@link #PASSWORDS}), {@code dave}
 * twice (people and contractors: ambiguous from the base); the service account {@link #SERVICE_DN}; groups
 * (groupOfNames, {@code cn}): {@code staff} = alice + group {@code interns}; {@code interns} = bob;
 * {@code everyone} = group {@code staff}; {@code cycle-a} = carol + {@code cycle-b}; {@code cycle-b} =
 * {@code cycle-a}; posixGroup {@code printers} with memberUid carol.
 */
public final class Slapd implements AutoCloseable {
    public static final String BASE_DN = "dc=example,dc=com";
    public static final String PEOPLE = "ou=people," + BASE_DN;
    public static final String GROUPS = "ou=groups," + BASE_DN;
    public static final String SERVICE_DN = "cn=gatehouse,ou=services," + BASE_DN;
    public static final String SERVICE_PASSWORD = "service-secret";
    public static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw",
            "carol", "carol-pw", "dave", "dave-pw");
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path SCHEMAS = Path.of("/etc/ldap/schema");

    private final Path dir;
    private final int ldapPort;
    private final int ldapsPort;
    private final ProcessBuilder command;
    private Process process;

    private Slapd(Path dir, int ldapPort, int ldapsPort, ProcessBuilder command) {
        this.dir = dir;
        this.ldapPort = ldapPort;
        this.ldapsPort = ldapsPort;
        this.command = command;
    }

    /** Writes certificates, configuration and data into {@code dir} (an empty temp dir) and starts slapd. */
    public static Slapd start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(SLAPD)) throw new AssertionError("slapd is missing: run scripts/install-test-deps");
        makeCertificates(dir);
        Path conf = Files.writeString(dir.resolve("slapd.conf"), config(dir));
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("data.ldif"), data());
        Commands.run("/usr/sbin/slapadd", "-f", conf.toString(), "-l", dir.resolve("data.ldif").toString());
        int ldap = freePort();
        int ldaps = freePort();
        String urls = "ldap://127.0.0.1:" + ldap + "/ ldaps://127.0.0.1:" + ldaps + "/ ldap://127.0.0.2:" + ldap
                + "/ ldaps://127.0.0.2:" + ldaps + "/";
        // -d 0: stay in the foreground (no fork), so the Process is slapd itself and stop() ends it.
        ProcessBuilder command = new ProcessBuilder(SLAPD.toString(), "-h", urls, "-f", conf.toString(), "-d", "0")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("slapd.log").toFile()));
        Slapd slapd = new Slapd(dir, ldap, ldaps, command);
        slapd.restart();
        return slapd;
    }

    /** Starts slapd again after {@link #stop()}, on the same ports with the same data. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException("slapd is running");
        process = command.start();
        Process started = process;
        // A test that forgets close() (or a JVM that dies) must not leave a slapd behind on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "slapd-reaper"));
        awaitListening();
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("slapd exited: " + Files.readString(dir.resolve("slapd.log")));
            if (answers(ldapPort) && answers(ldapsPort)) return;
            Thread.sleep(50);
        }
        stop();
        throw new AssertionError("slapd did not listen within 20 s: " + Files.readString(dir.resolve("slapd.log")));
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops slapd (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
    public synchronized void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public int ldapPort() {
        return ldapPort;
    }

    public int ldapsPort() {
        return ldapsPort;
    }

    public String ldapUrl() {
        return "ldap://127.0.0.1:" + ldapPort;
    }

    public String ldapsUrl() {
        return "ldaps://127.0.0.1:" + ldapsPort;
    }

    /** PEM of the CA that signed the server certificate. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** PEM of a CA that signed nothing the server presents. */
    public Path otherCaFile() {
        return dir.resolve("other-ca.pem");
    }

    /** A file holding {@link #SERVICE_PASSWORD}, for {@code bindPasswordFile}. */
    public Path servicePasswordFile() throws IOException {
        return Files.writeString(dir.resolve("service-password"), SERVICE_PASSWORD + "\n");
    }

    public static String userDn(String user) {
        return "uid=" + user + "," + PEOPLE;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void makeCertificates(Path dir) throws IOException, InterruptedException {
        for (String ca : new String[] {"ca", "other-ca"}) {
            Commands.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", dir.resolve(ca + ".key").toString(), "-out", dir.resolve(ca + ".pem").toString(),
                    "-days", "7", "-subj", "/CN=Gatehouse test " + ca);
        }
        Commands.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString(),
                "-subj", "/CN=localhost");
        Path ext = Files.writeString(dir.resolve("server.ext"), """
                subjectAltName=IP:127.0.0.1,DNS:localhost
                basicConstraints=CA:FALSE
                keyUsage=digitalSignature
                extendedKeyUsage=serverAuth
                """);
        Commands.run("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(),
                "-CA", dir.resolve("ca.pem").toString(), "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial",
                "-out", dir.resolve("server.pem").toString(), "-days", "7", "-extfile", ext.toString());
    }

    private static String config(Path dir) {
        StringBuilder conf = new StringBuilder();
        for (String schema : new String[] {"core", "cosine", "inetorgperson", "nis"}) {
            conf.append("include ").append(SCHEMAS.resolve(schema + ".schema")).append('\n');
        }
        return conf + """
                # Accept "unauthenticated binds" (a DN with an empty password, RFC 4513 §5.1.2) as many servers
                # do, so the tests show that Gatehouse refuses them itself.
                allow bind_anon_dn
                pidfile %1$s/slapd.pid
                argsfile %1$s/slapd.args
                modulepath /usr/lib/ldap
                moduleload back_mdb
                TLSCACertificateFile %1$s/ca.pem
                TLSCertificateFile %1$s/server.pem
                TLSCertificateKeyFile %1$s/server.key
                database mdb
                maxsize 16777216
                suffix "%2$s"
                rootdn "cn=admin,%2$s"
                rootpw admin-secret
                directory %1$s/db
                access to attrs=userPassword by anonymous auth by self read by * none
                access to * by * read
                """.formatted(dir, BASE_DN);
    }

    private static String data() {
        StringBuilder ldif = new StringBuilder("""
                dn: %1$s
                objectClass: dcObject
                objectClass: organization
                o: Example
                dc: example

                dn: %2$s
                objectClass: organizationalUnit
                ou: people

                dn: ou=contractors,%1$s
                objectClass: organizationalUnit
                ou: contractors

                dn: ou=services,%1$s
                objectClass: organizationalUnit
                ou: services

                dn: %3$s
                objectClass: organizationalUnit
                ou: groups

                dn: %4$s
                objectClass: organizationalRole
                objectClass: simpleSecurityObject
                cn: gatehouse
                userPassword: %5$s

                """.formatted(BASE_DN, PEOPLE, GROUPS, SERVICE_DN, ssha(SERVICE_PASSWORD)));
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
            ldif.append(person(PEOPLE, user));
        }
        ldif.append(person("ou=contractors," + BASE_DN, "dave"));
        ldif.append(group("staff", userDn("alice"), "cn=interns," + GROUPS));
        ldif.append(group("interns", userDn("bob")));
        ldif.append(group("everyone", "cn=staff," + GROUPS));
        ldif.append(group("cycle-a", userDn("carol"), "cn=cycle-b," + GROUPS));
        ldif.append(group("cycle-b", "cn=cycle-a," + GROUPS));
        ldif.append("""
                dn: cn=printers,%s
                objectClass: posixGroup
                cn: printers
                gidNumber: 5000
                memberUid: carol

                """.formatted(GROUPS));
        return ldif.toString();
    }

    private static String person(String ou, String user) {
        return """
                dn: uid=%1$s,%2$s
                objectClass: inetOrgPerson
                uid: %1$s
                cn: %1$s
                sn: %1$s
                userPassword: %3$s

                """.formatted(user, ou, ssha(PASSWORDS.get(user)));
    }

    private static String group(String name, String... members) {
        StringBuilder entry = new StringBuilder("dn: cn=" + name + "," + GROUPS + "\nobjectClass: groupOfNames\ncn: " + name + "\n");
        for (String member : members) entry.append("member: ").append(member).append('\n');
        return entry.append('\n').toString();
    }

    /** OpenLDAP's {SSHA}: base64 of SHA-1(password + salt) followed by the salt. */
    private static String ssha(String password) {
        try {
            byte[] salt = new byte[8];
            new SecureRandom().nextBytes(salt);
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            sha1.update(salt);
            byte[] digest = sha1.digest();
            byte[] both = new byte[digest.length + salt.length];
            System.arraycopy(digest, 0, both, 0, digest.length);
            System.arraycopy(salt, 0, both, digest.length, salt.length);
            return "{SSHA}" + Base64.getEncoder().encodeToString(both);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
