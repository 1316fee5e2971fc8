package dev.gatehouse.listener;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The TLS listener's certificate chain and private key, read from PEM files and checked to belong together.
 * Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}); encrypted keys are refused, since the proxy starts unattended.
 *
 * @param chain    the certificate chain, leaf first (RFC 8446 §4.4.2: the sender's certificate comes first)
 * @param key      the leaf certificate's private key
 * @param warnings problems that do not stop the listener (an expired certificate), one sentence each
 */
public record TlsCredentials(List<X509Certificate> chain, PrivateKey key, List<String> warnings) {

    /** Why a certificate/key pair cannot be used; the message names the file and the problem. */
    public static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }
    }

    X509Certificate leaf() {
        return chain.getFirst();
    }

    /** One line on the leaf certificate for the operator: subject, serial, end of validity. */
    public String summary() {
        return leaf().getSubjectX500Principal().getName() + " (serial " + leaf().getSerialNumber().toString(16)
                + ", valid until " + leaf().getNotAfter().toInstant() + ")";
    }

    /** Reads and checks the pair; {@code now} decides whether the leaf has expired. */
    public static TlsCredentials load(Path certificateFile, Path keyFile, Instant now) throws LoadException {
        List<X509Certificate> chain = readChain(certificateFile);
        PrivateKey key = readKey(keyFile);
        if (!matches(chain.getFirst(), key, keyFile)) {
            throw new LoadException(certificateFile + ": certificate does not match key " + keyFile
                    + " (the first certificate in the file must be the one issued for this key)");
        }
        List<String> warnings = new ArrayList<>();
        X509Certificate leaf = chain.getFirst();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            warnings.add(certificateFile + ": certificate expired on " + leaf.getNotAfter().toInstant() + "; clients will refuse it");
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            warnings.add(certificateFile + ": certificate is not valid before " + leaf.getNotBefore().toInstant() + "; clients will refuse it");
        }
        return new TlsCredentials(List.copyOf(chain), key, List.copyOf(warnings));
    }

    private static List<X509Certificate> readChain(Path file) throws LoadException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : readPem(file, "certificate")) {
            if (!(o instanceof X509CertificateHolder holder)) continue;
            try {
                chain.add(converter.getCertificate(holder));
            } catch (GeneralSecurityException e) {
                throw new LoadException(file + ": unreadable certificate: " + e.getMessage());
            }
        }
        if (chain.isEmpty()) throw new LoadException(file + ": no certificate found (expected PEM 'BEGIN CERTIFICATE' blocks)");
        return chain;
    }

    private static PrivateKey readKey(Path file) throws LoadException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : readPem(file, "private key")) {
            try {
                switch (o) {
                    case PrivateKeyInfo pkcs8 -> { return converter.getPrivateKey(pkcs8); }
                    // PKCS#1 RSA, SEC1 EC; only the private half: SEC1's public key field is optional (RFC 5915 §3)
                    case PEMKeyPair pair -> { return converter.getPrivateKey(pair.getPrivateKeyInfo()); }
                    case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                    case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                    default -> { } // EC PARAMETERS and other blocks beside the key
                }
            } catch (IOException e) { // the converter wraps unknown algorithms and bad encodings
                throw new LoadException(file + ": unreadable private key: " + e.getMessage());
            }
        }
        throw new LoadException(file + ": no private key found (expected PEM 'BEGIN PRIVATE KEY', "
                + "'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY')");
    }

    private static LoadException encrypted(Path file) {
        return new LoadException(file + ": the private key is encrypted; the proxy starts unattended and cannot ask for a "
                + "passphrase: store it decrypted, readable only by the proxy's user (openssl pkey -in KEY -out KEY.plain)");
    }

    private static List<Object> readPem(Path file, String what) throws LoadException {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            for (Object o; (o = parser.readObject()) != null; ) objects.add(o);
        } catch (NoSuchFileException e) {
            throw new LoadException(file + ": no such file (the " + what + " file)");
        } catch (IOException | RuntimeException e) { // PEMParser throws IllegalArgumentException on bad base64
            throw new LoadException(file + ": not a readable PEM " + what + " file: " + e.getMessage());
        }
        return objects;
    }

    /**
     * Whether {@code key} is the private half of the certificate's public key: a signature made with the
     * key must verify with the certificate. Works for every algorithm the JDK signs with, unlike comparing
     * RSA moduli or EC points.
     */
    private static boolean matches(X509Certificate certificate, PrivateKey key, Path keyFile) throws LoadException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> throw new LoadException(keyFile + ": unsupported private key algorithm " + key.getAlgorithm()
                    + " (use an RSA, EC or EdDSA key)");
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // the certificate holds another kind of key, or an EC key on another curve
        }
    }
}
