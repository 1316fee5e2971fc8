package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NegotiateTokensTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A SPNEGO NegTokenInit whose mechTypes are {@code mechs} (hex of DER OIDs), without a mechToken. */
    private static byte[] spnego(String... mechs) {
        String list = String.join("", mechs);
        String mechTypes = "30" + length(list) + list;
        String field = "a0" + length(mechTypes) + mechTypes;
        String init = "30" + length(field) + field;
        String negotiation = "a0" + length(init) + init;
        String inner = "06062b0601050502" + negotiation;
        return HEX.parseHex("60" + length(inner) + inner);
    }

    private static String length(String hex) {
        return String.format("%02x", hex.length() / 2);
    }

    private static final String KERBEROS = "06092a864886f712010202";
    private static final String MS_KERBEROS = "06092a864882f712010202";
    private static final String NTLMSSP = "060a2b0601040182370202" + "0a";

    @Test
    void aRawNtlmMessageIsNtlm() {
        assertTrue(NegotiateTokens.isNtlm(Base64.getDecoder().decode("TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==")));
    }

    @Test
    void spnegoPreferringNtlmIsNtlm() {
        assertTrue(NegotiateTokens.isNtlm(spnego(NTLMSSP)));
        assertTrue(NegotiateTokens.isNtlm(spnego(NTLMSSP, KERBEROS)));
    }

    @Test
    void spnegoPreferringKerberosIsNot() {
        assertFalse(NegotiateTokens.isNtlm(spnego(MS_KERBEROS, KERBEROS, NTLMSSP)));
        assertFalse(NegotiateTokens.isNtlm(spnego(KERBEROS)));
    }

    @Test
    void rawKerberosAndGarbageAreNot() {
        // RFC 4121 §4.1: [APPLICATION 0] { krb5 OID, TOK_ID 01 00, AP-REQ ... } (cut short: this is no GSS check)
        assertFalse(NegotiateTokens.isNtlm(HEX.parseHex("6082011e" + KERBEROS + "0100")));
        assertFalse(NegotiateTokens.isNtlm("garbage".getBytes()));
        assertFalse(NegotiateTokens.isNtlm(new byte[] {0x60}));
        assertFalse(NegotiateTokens.isNtlm(HEX.parseHex("6084ffffffff")));
        assertFalse(NegotiateTokens.isNtlm(new byte[0]));
    }
}
