package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NegotiateAuthorizationTest {
    @ParameterizedTest
    @ValueSource(strings = {"Negotiate dG9rZW4=", "negotiate dG9rZW4=", "NEGOTIATE   dG9rZW4=  ", "  Negotiate dG9rZW4="})
    void theTokenIsDecodedWhateverTheSchemesCaseAndSpacing(String field) {
        assertTrue(NegotiateAuthorization.isNegotiate(field));
        assertArrayEquals("token".getBytes(StandardCharsets.US_ASCII), NegotiateAuthorization.decode(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Negotiate", "Negotiate ", "Negotiate !!!", "Negotiate dG9r ZW4=", "Negotiate ====",
            "Basic YWxpY2U6cHc=", "NegotiatedG9rZW4=", "NTLM TlRMTVNTUAAB", ""})
    void malformedOrOtherSchemesGiveNoToken(String field) {
        assertNull(NegotiateAuthorization.decode(field));
    }

    @Test
    void aBareNegotiateIsTheSchemeWithoutAToken() {
        assertTrue(NegotiateAuthorization.isNegotiate("Negotiate"));
        assertFalse(NegotiateAuthorization.isNegotiate("Basic YWxpY2U6cHc="));
        assertFalse(NegotiateAuthorization.isNegotiate(null));
    }

    @Test
    void anImplausiblyLargeTokenIsRefused() {
        assertNull(NegotiateAuthorization.decode("Negotiate " + "A".repeat(64 * 1024 + 4)));
    }

    @Test
    void theReplyTokenIsSentInBase64() {
        assertEquals("Negotiate oQcwBaADCgEA", NegotiateAuthorization.challenge(new byte[] {(byte) 0xa1, 0x07, 0x30, 0x05,
                (byte) 0xa0, 0x03, 0x0a, 0x01, 0x00}));
    }
}
