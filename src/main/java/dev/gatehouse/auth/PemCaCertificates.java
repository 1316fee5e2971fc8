package dev.gatehouse.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Trust managers that accept exactly the CA certificates in a PEM file (parsed by the JDK's CertificateFactory). */
final class PemCaCertificates {
    private PemCaCertificates() {}

    /**
     * @param caFile PEM certificates; null for the JDK's default trust store
     * @throws AuthLoadException when the file cannot be read or holds no certificate
     */
    static TrustManager[] trustManagers(Path caFile) throws AuthLoadException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
                return factory.getTrustManagers();
            }
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(caFile)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) throw new AuthLoadException(caFile + ": no PEM certificate found");
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) store.setCertificateEntry("ca-" + i++, certificate);
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new AuthLoadException(caFile + ": cannot read CA certificates: " + e.getMessage(), e);
        }
    }
}
