package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCredentialsTest {
    private static final HeldCertificate CA = TestCertificates.ca("Gatehouse Test CA");
    @TempDir
    Path dir;

    private Path file(String name, String text) {
        Path f = dir.resolve(name);
        TestCertificates.write(f, text);
        return f;
    }

    private TlsCredentials load(HeldCertificate leaf, String keyPem) throws Exception {
        return TlsCredentials.load(file("proxy.crt", leaf.certificatePem() + CA.certificatePem()), file("proxy.key", keyPem), Instant.now());
    }

    private String loadFails(HeldCertificate leaf, String keyPem) {
        return assertThrows(TlsCredentials.LoadException.class, () -> load(leaf, keyPem)).getMessage();
    }

    @Test
    void loadsAnEcKeyInPkcs8AndInSec1Form() throws Exception {
        HeldCertificate leaf = TestCertificates.server(CA, 2, false);
        String sec1 = TestCertificates.traditionalKeyPem(leaf, dir);
        assertTrue(sec1.startsWith("-----BEGIN EC PRIVATE KEY-----"), sec1);

        for (String pem : List.of(leaf.privateKeyPkcs8Pem(), sec1)) {
            TlsCredentials c = load(leaf, pem);
            assertEquals("EC", c.key().getAlgorithm());
            assertEquals(2, c.chain().size(), "leaf then CA");
            assertEquals(leaf.certificate(), c.leaf());
            assertEquals(List.of(), c.warnings());
        }
    }

    @Test
    void loadsAnRsaKeyInPkcs8AndInPkcs1Form() throws Exception {
        HeldCertificate leaf = TestCertificates.server(CA, 3, true);
        String pkcs1 = TestCertificates.traditionalKeyPem(leaf, dir);
        assertTrue(pkcs1.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pkcs1);

        for (String pem : List.of(leaf.privateKeyPkcs8Pem(), pkcs1, leaf.privateKeyPkcs1Pem())) {
            assertEquals("RSA", load(leaf, pem).key().getAlgorithm());
        }
    }

    @Test
    void aKeyBesideEcParametersIsFound() throws Exception {
        // openssl ecparam -genkey writes an EC PARAMETERS block before the key.
        HeldCertificate leaf = TestCertificates.server(CA, 4, false);
        String params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        assertEquals("EC", load(leaf, params + TestCertificates.traditionalKeyPem(leaf, dir)).key().getAlgorithm());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        HeldCertificate leaf = TestCertificates.server(CA, 5, false);
        HeldCertificate other = TestCertificates.server(CA, 6, false);
        String message = loadFails(leaf, other.privateKeyPkcs8Pem());
        assertTrue(message.startsWith(dir.resolve("proxy.crt") + ": certificate does not match key " + dir.resolve("proxy.key")), message);

        HeldCertificate rsa = TestCertificates.server(CA, 7, true);
        assertTrue(loadFails(leaf, rsa.privateKeyPkcs8Pem()).contains("certificate does not match key"));
    }

    @Test
    void aChainInTheWrongOrderIsRefusedAsAMismatch() {
        HeldCertificate leaf = TestCertificates.server(CA, 8, false);
        String message = assertThrows(TlsCredentials.LoadException.class, () -> TlsCredentials.load(
                file("proxy.crt", CA.certificatePem() + leaf.certificatePem()), file("proxy.key", leaf.privateKeyPkcs8Pem()),
                Instant.now())).getMessage();
        assertTrue(message.contains("certificate does not match key"), message);
    }

    @Test
    void aGarbledKeyNamesTheFile() {
        HeldCertificate leaf = TestCertificates.server(CA, 9, false);
        String garbled = leaf.privateKeyPkcs8Pem().replace("M", "*");
        String message = loadFails(leaf, garbled);
        assertTrue(message.startsWith(dir.resolve("proxy.key") + ": "), message);
    }

    @Test
    void aFileWithoutAKeySaysSo() {
        HeldCertificate leaf = TestCertificates.server(CA, 10, false);
        assertEquals(dir.resolve("proxy.key") + ": no private key found (expected PEM 'BEGIN PRIVATE KEY', "
                + "'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY')", loadFails(leaf, leaf.certificatePem()));
        assertTrue(loadFails(leaf, "").contains("no private key found"));
    }

    @Test
    void aFileWithoutACertificateSaysSo() {
        HeldCertificate leaf = TestCertificates.server(CA, 11, false);
        String message = assertThrows(TlsCredentials.LoadException.class, () -> TlsCredentials.load(
                file("proxy.crt", leaf.privateKeyPkcs8Pem()), file("proxy.key", leaf.privateKeyPkcs8Pem()), Instant.now())).getMessage();
        assertTrue(message.startsWith(dir.resolve("proxy.crt") + ": no certificate found"), message);
    }

    @Test
    void aMissingFileIsNamed() {
        HeldCertificate leaf = TestCertificates.server(CA, 12, false);
        String message = assertThrows(TlsCredentials.LoadException.class, () -> TlsCredentials.load(
                file("proxy.crt", leaf.certificatePem()), dir.resolve("absent.key"), Instant.now())).getMessage();
        assertEquals(dir.resolve("absent.key") + ": no such file (the private key file)", message);
    }

    @Test
    void anEncryptedKeyIsRefusedWithAdvice() {
        HeldCertificate leaf = TestCertificates.server(CA, 13, false);
        String encrypted = TestCertificates.encryptedKeyPem(leaf, dir);
        assertTrue(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), encrypted);
        String message = loadFails(leaf, encrypted);
        assertTrue(message.startsWith(dir.resolve("proxy.key") + ": the private key is encrypted"), message);
    }

    @Test
    void anExpiredCertificateLoadsWithAWarning() throws Exception {
        HeldCertificate leaf = TestCertificates.server(CA, 14, false);
        Instant later = leaf.certificate().getNotAfter().toInstant().plusSeconds(60);
        TlsCredentials c = TlsCredentials.load(file("proxy.crt", leaf.certificatePem()), file("proxy.key", leaf.privateKeyPkcs8Pem()), later);
        assertEquals(List.of(dir.resolve("proxy.crt") + ": certificate expired on " + leaf.certificate().getNotAfter().toInstant()
                + "; clients will refuse it"), c.warnings());
    }
}
