package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.listener.TestCertificates;
import java.nio.file.Path;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse check-config} loads the TLS listener's certificate and key as the listener would. */
class CheckConfigTlsTest {
    private static final HeldCertificate CA = TestCertificates.ca("Gatehouse Test CA");
    @TempDir
    Path dir;

    private MainRun checkConfig(Path cert, Path key) {
        Path config = dir.resolve("gatehouse.json");
        TestCertificates.write(config, """
                {"policy": {"file": "", "watch": false},
                 "tls": {"listen": "127.0.0.1:3443", "certificateFile": "%s", "keyFile": "%s"}}
                """.formatted(cert, key));
        return MainRun.of("check-config", config);
    }

    @Test
    void aGoodPairIsReportedWithItsSubject() {
        Path cert = dir.resolve("proxy.crt");
        Path key = dir.resolve("proxy.key");
        TestCertificates.write(cert, key, TestCertificates.server(CA, 42, false), CA);

        MainRun r = checkConfig(cert, key);

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(cert + ": OK (CN=gatehouse-test-42 (serial 2a"), r.out());
    }

    @Test
    void aMismatchedKeyFailsTheCheckNamingTheFile() {
        Path cert = dir.resolve("proxy.crt");
        Path key = dir.resolve("proxy.key");
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        TestCertificates.write(key, TestCertificates.server(CA, 2, false).privateKeyPkcs8Pem());

        MainRun r = checkConfig(cert, key);

        assertEquals(3, r.exit());
        assertTrue(r.err().startsWith("gatehouse: " + cert + ": certificate does not match key " + key), r.err());
    }
}
