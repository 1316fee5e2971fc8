package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeytabFileTest {
    @TempDir
    Path dir;

    /** One keytab entry (MIT format 0x0502), as kadmin ktadd writes it: realm, components, type, time, kvno, key. */
    private static byte[] entry(String realm, String... components) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(components.length);
        counted(out, realm);
        for (String c : components) counted(out, c);
        out.writeInt(3); // KRB5_NT_SRV_HST
        out.writeInt(1_700_000_000);
        out.writeByte(2);
        out.writeShort(18); // aes256-cts-hmac-sha1-96
        out.writeShort(32);
        out.write(new byte[32]);
        out.writeInt(2);
        return bytes.toByteArray();
    }

    private static void counted(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private Path keytab(List<byte[]> entries, int hole) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0x0502);
        for (byte[] e : entries) {
            out.writeInt(e.length);
            out.write(e);
        }
        if (hole > 0) {
            out.writeInt(-hole);
            out.write(new byte[hole]);
        }
        return Files.write(dir.resolve("proxy.keytab"), bytes.toByteArray());
    }

    @Test
    void listsEachPrincipalOnceSkippingHoles() throws Exception {
        Path file = keytab(List.of(entry("CORP.EXAMPLE", "HTTP", "proxy.corp.example"), entry("CORP.EXAMPLE", "HTTP", "proxy.corp.example"),
                entry("CORP.EXAMPLE", "PROXY$")), 12);
        assertEquals(List.of("HTTP/proxy.corp.example@CORP.EXAMPLE", "PROXY$@CORP.EXAMPLE"),
                List.copyOf(KeytabFile.principals(file)));
    }

    @Test
    void anEmptyKeytabHasNoPrincipals() throws Exception {
        assertEquals(Set.of(), KeytabFile.principals(keytab(List.of(), 0)));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.keytab");
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> KeytabFile.principals(missing));
        assertEquals(missing + ": keytab not found", e.getMessage());
    }

    @Test
    void aFileThatIsNoKeytabIsNamed() throws Exception {
        Path text = Files.writeString(dir.resolve("proxy.keytab"), "HTTP/proxy@CORP\n");
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> KeytabFile.principals(text));
        assertTrue(e.getMessage().startsWith(text + ": not a keytab (version 0x0502)"), e.getMessage());
    }

    @Test
    void aTruncatedKeytabIsNamed() throws Exception {
        byte[] whole = Files.readAllBytes(keytab(List.of(entry("CORP.EXAMPLE", "HTTP", "proxy")), 0));
        Path cut = Files.write(dir.resolve("cut.keytab"), Arrays.copyOf(whole, whole.length - 10));
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> KeytabFile.principals(cut));
        assertTrue(e.getMessage().startsWith(cut + ": the keytab is truncated or corrupt"), e.getMessage());
    }
}
