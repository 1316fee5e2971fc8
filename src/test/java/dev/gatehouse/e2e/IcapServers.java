package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real c-icap server (Debian's {@code c-icap}, with {@code libc-icap-mod-virus-scan}) and the real ClamAV daemon it
 * scans with, each started by the test in the foreground on a temp directory and ephemeral port: clamd loads only a
 * custom signature database written here (one {@code .ndb} body signature for {@link #PAYLOAD}; no freshclam, no
 * network), and c-icap serves {@code virus_scan} (through clamd) and {@code echo}. {@code scripts/install-test-deps}
 * installs both packages.
 */
final class IcapServers implements AutoCloseable {
    /** The test's "virus": any body containing these bytes is detected as {@link #SIGNATURE} (plus clamd's suffix). */
    static final byte[] PAYLOAD = "GATEHOUSE-TEST-VIRUS-PAYLOAD-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final String SIGNATURE = "Gatehouse.Test.Payload";
    private static final Path CLAMD = Path.of("/usr/sbin/clamd");
    private static final Path C_ICAP = Path.of("/usr/bin/c-icap");

    private final Path dir;
    private final Process clamd;
    private final Process cIcap;
    final int port;

    private IcapServers(Path dir, Process clamd, Process cIcap, int port) {
        this.dir = dir;
        this.clamd = clamd;
        this.cIcap = cIcap;
        this.port = port;
    }

    static IcapServers start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(CLAMD) || !Files.isExecutable(C_ICAP)) {
            throw new IllegalStateException("c-icap and clamd are needed: run scripts/install-test-deps");
        }
        Path db = Files.createDirectories(dir.resolve("db"));
        // ClamAV's extended body signature: Name:TargetType(0 = any file):Offset(* = anywhere):HexSignature.
        Files.writeString(db.resolve("gatehouse.ndb"), SIGNATURE + ":0:*:" + HexFormat.of().formatHex(PAYLOAD) + "\n");
        Path socket = dir.resolve("clamd.sock");
        Files.writeString(dir.resolve("clamd.conf"), String.join("\n",
                "DatabaseDirectory " + db, "LocalSocket " + socket, "Foreground yes", "LogFile " + dir.resolve("clamd.log"),
                "TemporaryDirectory " + dir, "") );
        Process clamd = start(dir, "clamd.out", CLAMD.toString(), "-c", dir.resolve("clamd.conf").toString());
        Process cIcap = null;
        try {
            awaitFile(socket, clamd, 60);
            int port = freePort();
            Path modules = modulesDir();
            Files.writeString(dir.resolve("c-icap.conf"), String.join("\n",
                    "PidFile " + dir.resolve("c-icap.pid"), "CommandsSocket " + dir.resolve("c-icap.ctl"),
                    "Timeout 300", "MaxKeepAliveRequests 100", "KeepAliveTimeout 600",
                    "StartServers 1", "MaxServers 2", "MinSpareThreads 5", "MaxSpareThreads 10", "ThreadsPerChild 10",
                    "Port 127.0.0.1:" + port, "TmpDir " + dir, "MaxMemObject 131072", "DebugLevel 1",
                    "ModulesDir " + modules, "ServicesDir " + modules,
                    "TemplateDir /usr/share/c_icap/templates/", "LoadMagicFile /etc/c-icap/c-icap.magic",
                    "ServerLog " + dir.resolve("server.log"), "AccessLog " + dir.resolve("access.log"),
                    "Service echo srv_echo.so",
                    "Module common clamd_mod.so", "clamd_mod.ClamdSocket " + socket,
                    "Service antivirus_module virus_scan.so", "ServiceAlias virus_scan virus_scan",
                    "virus_scan.ScanFileTypes TEXT DATA EXECUTABLE ARCHIVE GIF JPEG MSOFFICE",
                    "virus_scan.MaxObjectSize 100M", "virus_scan.DefaultEngine clamd", ""));
            cIcap = start(dir, "c-icap.out", C_ICAP.toString(), "-N", "-f", dir.resolve("c-icap.conf").toString());
            IcapServers servers = new IcapServers(dir, clamd, cIcap, port);
            servers.awaitOptions();
            return servers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(cIcap);
            stop(clamd);
            throw e;
        }
    }

    /** Where Debian put c-icap's modules: {@code /usr/lib/<multiarch triplet>/c_icap}. */
    private static Path modulesDir() throws IOException {
        try (var dirs = Files.list(Path.of("/usr/lib"))) {
            return dirs.map(d -> d.resolve("c_icap")).filter(d -> Files.exists(d.resolve("virus_scan.so"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("c-icap's virus_scan.so not found: run scripts/install-test-deps"));
        }
    }

    String url(String service) {
        return "icap://127.0.0.1:" + port + "/" + service;
    }

    /** The RESPMOD requests c-icap has logged for {@code service} so far. */
    long respmods(String service) throws IOException {
        Path log = dir.resolve("access.log");
        if (!Files.exists(log)) return 0;
        return Files.readAllLines(log).stream().filter(l -> l.contains(" RESPMOD " + service + " ")).count();
    }

    private static Process start(Path dir, String output, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(output).toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, "icap-test-reaper"));
        return p;
    }

    private static void awaitFile(Path file, Process owner, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file)) {
            if (!owner.isAlive() || System.nanoTime() > deadline) throw new IOException(file + " did not appear; see " + file.getParent());
            Thread.sleep(100);
        }
    }

    /** Waits until c-icap answers an OPTIONS for virus_scan (its children start after the listener). */
    private void awaitOptions() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write(("OPTIONS " + url("virus_scan") + " ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(15);
                if (new String(head, StandardCharsets.ISO_8859_1).startsWith("ICAP/1.0 200")) return;
            } catch (IOException e) {
                // not listening yet
            }
            if (!cIcap.isAlive() || System.nanoTime() > deadline) throw new IOException("c-icap did not answer OPTIONS; see " + dir);
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void stop(Process p) {
        if (p == null) return;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        stop(cIcap);
        stop(clamd);
    }
}
