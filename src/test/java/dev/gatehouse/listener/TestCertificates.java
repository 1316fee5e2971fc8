package dev.gatehouse.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;

/**
 * Throwaway certificates for TLS tests, made fresh by okhttp-tls for each run (no keystore is stored):
 * a test CA and server certificates for 127.0.0.1/localhost signed by it, written as PEM files.
 */
public final class TestCertificates {
    private TestCertificates() {}

    public static HeldCertificate ca(String name) {
        return new HeldCertificate.Builder().certificateAuthority(0).commonName(name).build();
    }

    /** A server certificate for 127.0.0.1 and localhost; ECDSA P-256 unless {@code rsa}. */
    public static HeldCertificate server(HeldCertificate ca, long serial, boolean rsa) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName("gatehouse-test-" + serial).serialNumber(serial)
                .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost").signedBy(ca);
        if (rsa) b.rsa2048();
        return b.build();
    }

    /**
     * The key in its algorithm's traditional PEM form, as {@code openssl} writes it: PKCS#1
     * {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY} (with its curve and public key).
     */
    public static String traditionalKeyPem(HeldCertificate c, Path dir) {
        return openssl(dir, c.privateKeyPkcs8Pem(), "pkey", "-traditional");
    }

    /** The key as a passphrase-protected PKCS#8 {@code ENCRYPTED PRIVATE KEY}. */
    public static String encryptedKeyPem(HeldCertificate c, Path dir) {
        return openssl(dir, c.privateKeyPkcs8Pem(), "pkcs8", "-topk8", "-passout", "pass:secret");
    }

    /** Runs the openssl CLI on {@code input}, returning what it wrote. */
    private static String openssl(Path dir, String input, String... args) {
        try {
            Path in = Files.createTempFile(dir, "in", ".pem");
            Path out = Files.createTempFile(dir, "out", ".pem");
            write(in, input);
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(args));
            command.addAll(List.of("-in", in.toString(), "-out", out.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(command + " failed: " + said);
            String pem = Files.readString(out, StandardCharsets.US_ASCII);
            Files.delete(in);
            Files.delete(out);
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes the chain (leaf, then its CA) and the PKCS#8 key. */
    public static void write(Path certificateFile, Path keyFile, HeldCertificate leaf, HeldCertificate ca) {
        write(certificateFile, leaf.certificatePem() + ca.certificatePem());
        write(keyFile, leaf.privateKeyPkcs8Pem());
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
