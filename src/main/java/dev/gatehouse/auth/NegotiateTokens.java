package dev.gatehouse.auth;

import java.util.Arrays;

/**
 * Tells an NTLM token from a Kerberos one before the GSS-API sees it, so a client that offers only NTLM (a machine
 * outside the domain, or one that has no ticket for the proxy's name) is logged as such rather than as a bad token.
 * Windows sends NTLM under {@code Negotiate} either raw ({@code NTLMSSP\0...}) or inside a SPNEGO NegTokenInit
 * whose first (preferred) mechanism is NTLMSSP (RFC 4178 §4.2.1).
 */
final class NegotiateTokens {
    private static final byte[] NTLMSSP_SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    /** DER contents of the OIDs 1.3.6.1.5.5.2 (SPNEGO) and 1.3.6.1.4.1.311.2.2.10 (NTLMSSP). */
    private static final byte[] SPNEGO_OID = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    private static final byte[] NTLMSSP_OID = {0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0a};

    private NegotiateTokens() {}

    /** Whether the token is NTLM: raw, or SPNEGO preferring NTLMSSP. Malformed tokens are not (the GSS-API refuses them). */
    static boolean isNtlm(byte[] token) {
        if (startsWith(token, NTLMSSP_SIGNATURE)) return true;
        try {
            Der der = new Der(token);
            // RFC 2743 §3.1 InitialContextToken [APPLICATION 0] { thisMech OID, innerToken }
            if (!der.enter(0x60) || !Arrays.equals(der.value(0x06), SPNEGO_OID)) return false;
            // RFC 4178 §4.2.1 NegotiationToken [0] NegTokenInit SEQUENCE { mechTypes [0] MechTypeList SEQUENCE OF OID, ... }
            if (!der.enter(0xa0) || !der.enter(0x30) || !der.enter(0xa0) || !der.enter(0x30)) return false;
            return Arrays.equals(der.value(0x06), NTLMSSP_OID);
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Just enough DER (X.690 §8.1) to walk into constructed values: tag, definite length, contents. */
    private static final class Der {
        private final byte[] bytes;
        private int at;

        Der(byte[] bytes) {
            this.bytes = bytes;
        }

        /** Steps into a value with {@code tag}; false if the next value has another tag. */
        boolean enter(int tag) {
            if (Byte.toUnsignedInt(bytes[at]) != tag) return false;
            at++;
            length();
            return true;
        }

        /** The contents of the next value, which has {@code tag}; null if it has another. */
        byte[] value(int tag) {
            if (Byte.toUnsignedInt(bytes[at]) != tag) return null;
            at++;
            int length = length();
            if (at + length > bytes.length) throw new IndexOutOfBoundsException("value past the end");
            byte[] contents = Arrays.copyOfRange(bytes, at, at + length);
            at += length;
            return contents;
        }

        private int length() {
            int first = Byte.toUnsignedInt(bytes[at++]);
            if (first < 0x80) return first;
            int octets = first & 0x7f;
            if (octets == 0 || octets > 3) throw new IndexOutOfBoundsException("unsupported DER length");
            int length = 0;
            for (int i = 0; i < octets; i++) length = (length << 8) | Byte.toUnsignedInt(bytes[at++]);
            return length;
        }
    }
}
