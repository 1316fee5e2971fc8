package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the acceptor on a keytab a real KDC ({@link Kdc}) exported, and what it makes of tokens that are no tickets. */
class KerberosAcceptorIT {
    @TempDir
    static Path realmDir;
    static Kdc kdc;
    @TempDir
    Path dir;

    @BeforeAll
    static void startKdc() throws Exception {
        kdc = Kdc.start(realmDir);
    }

    @AfterAll
    static void stopKdc() throws Exception {
        if (kdc != null) kdc.close();
    }

    private static GatehouseConfig.Negotiate negotiate(String keytab, String principal) throws Exception {
        String json = new ObjectMapper().writeValueAsString(Map.of("auth",
                Map.of("negotiate", Map.of("keytab", keytab, "principal", principal))));
        return new ConfigLoader().load("test", json, Map.of()).auth().negotiate();
    }

    @Test
    void opensForTheConfiguredPrincipalOrAnyInTheKeytab() throws Exception {
        assertEquals("Kerberos keytab " + kdc.keytab() + " for " + Kdc.SERVICE,
                KerberosAcceptor.open(negotiate(kdc.keytab().toString(), Kdc.SERVICE)).toString());
        assertEquals("Kerberos keytab " + kdc.keytab() + " for " + Kdc.SERVICE,
                KerberosAcceptor.open(negotiate(kdc.keytab().toString(), "")).toString());
    }

    @Test
    void aKeytabWithoutTheConfiguredPrincipalStopsTheStartNamingTheFile() throws Exception {
        AuthLoadException e = assertThrows(AuthLoadException.class,
                () -> KerberosAcceptor.open(negotiate(kdc.keytab().toString(), "HTTP/proxy.corp.example@CORP.EXAMPLE")));
        assertEquals(kdc.keytab() + ": the keytab holds no key for HTTP/proxy.corp.example@CORP.EXAMPLE (it has keys for "
                + Kdc.SERVICE + ")", e.getMessage());
    }

    @Test
    void aMissingOrUnreadableKeytabStopsTheStartNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.keytab");
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> KerberosAcceptor.open(negotiate(missing.toString(), "")));
        assertEquals(missing + ": keytab not found", e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        e = assertThrows(AuthLoadException.class, () -> KerberosAcceptor.open(negotiate(folder.toString(), "")));
        assertTrue(e.getMessage().startsWith(folder + ": cannot read the keytab"), e.getMessage());
    }

    @Test
    void tokensThatAreNoTicketsAreRefusedNotThrown() throws Exception {
        KerberosAcceptor acceptor = KerberosAcceptor.open(negotiate(kdc.keytab().toString(), Kdc.SERVICE));
        KerberosAcceptor.Outcome.Refused garbage = assertInstanceOf(KerberosAcceptor.Outcome.Refused.class,
                acceptor.accept("garbage".getBytes()));
        assertEquals(false, garbage.ntlm());
        KerberosAcceptor.Outcome.Refused ntlm = assertInstanceOf(KerberosAcceptor.Outcome.Refused.class,
                acceptor.accept(Base64.getDecoder().decode("TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==")));
        assertTrue(ntlm.ntlm());
        assertTrue(ntlm.reason().contains("NTLM is not supported"), ntlm.reason());
    }
}
