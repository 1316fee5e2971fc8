package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TlsReloaderTest {
    private static final HeldCertificate CA = TestCertificates.ca("Gatehouse Test CA");
    @TempDir
    Path dir;
    private Path cert;
    private Path key;
    private TlsKeyManager keys;
    private TlsReloader reloader;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logger().addAppender(logs);
        logs.start();
        cert = dir.resolve("proxy.crt");
        key = dir.resolve("proxy.key");
        HeldCertificate first = TestCertificates.server(CA, 100, false);
        TestCertificates.write(cert, key, first, CA);
        keys = new TlsKeyManager(TlsCredentials.load(cert, key, Instant.now()));
        reloader = new TlsReloader(cert, key, keys, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        logger().detachAppender(logs);
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(TlsReloader.class);
    }

    /** Replaces a file the way renewal tools do: a new file renamed over the old one. */
    private void replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(dir, "new", ".pem");
        TestCertificates.write(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private List<String> logged(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private long servedSerial() {
        String alias = keys.chooseEngineServerAlias("EC", null, null);
        return keys.getCertificateChain(alias)[0].getSerialNumber().longValueExact();
    }

    @Test
    void unchangedFilesAreNotReloaded() {
        reloader.check();
        reloader.check();
        assertEquals(100, servedSerial());
        assertEquals(List.of(), logs.list);
    }

    @Test
    void aHalfWrittenPairIsRetriedQuietlyThenServed() throws IOException {
        HeldCertificate next = TestCertificates.server(CA, 101, false);
        replace(cert, next.certificatePem()); // the key has not been written yet

        reloader.check();
        assertEquals(100, servedSerial(), "a new certificate beside the old key is not served");
        assertEquals(List.of(), logged(Level.ERROR), "the first failed attempt is not an error yet");

        replace(key, next.privateKeyPkcs8Pem());
        reloader.check();
        assertEquals(101, servedSerial());
        assertEquals(List.of(), logged(Level.ERROR));
        assertTrue(logged(Level.INFO).getLast().startsWith("tls: now serving certificate CN=gatehouse-test-101"), logs.list.toString());
    }

    @Test
    void aBrokenReplacementKeepsThePairInUseAndIsLoggedOnce() throws IOException {
        replace(key, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");

        for (int i = 0; i < 4; i++) reloader.check();

        assertEquals(100, servedSerial());
        List<String> errors = logged(Level.ERROR);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().startsWith("tls: " + key + ": "), errors.getFirst());
        assertTrue(errors.getFirst().endsWith("; still serving the previous certificate"), errors.getFirst());
    }

    @Test
    void aHandshakeBetweenAliasAndKeyLookupKeepsItsPair() throws IOException {
        String alias = keys.chooseEngineServerAlias("EC", null, null);
        HeldCertificate next = TestCertificates.server(CA, 102, true);
        replace(cert, next.certificatePem());
        replace(key, next.privateKeyPkcs8Pem());
        reloader.check();

        X509Certificate[] chain = keys.getCertificateChain(alias);
        assertNotNull(chain, "the replaced pair is still reachable by its alias");
        assertEquals(100, chain[0].getSerialNumber().longValueExact());
        assertEquals("EC", keys.getPrivateKey(alias).getAlgorithm());
        assertNull(keys.chooseEngineServerAlias("EC", null, null), "the new key is RSA: no alias for an EC suite");
        assertEquals("RSA", keys.getPrivateKey(keys.chooseEngineServerAlias("RSA", null, null)).getAlgorithm());
    }
}
