package dev.gatehouse.http;

import java.util.Base64;

/**
 * The {@code Negotiate} authentication scheme (RFC 4559): credentials {@code Negotiate <base64 GSS-API token>} in
 * {@code Proxy-Authorization} (§4.2), and the challenges in {@code Proxy-Authenticate}: a bare {@code Negotiate} to
 * ask for a token, {@code Negotiate <token>} to return the acceptor's token, e.g. the mutual-authentication
 * reply (§5).
 */
public final class NegotiateAuthorization {
    /** The challenge that asks the client for a token (RFC 4559 §4.1). */
    public static final String CHALLENGE = "Negotiate";
    private static final String PREFIX = "Negotiate ";
    /** A Kerberos ticket with a large PAC stays well under this; a bigger field is garbage, not a token. */
    private static final int MAX_TOKEN_CHARS = 64 * 1024;

    private NegotiateAuthorization() {}

    /** Whether a field value names the Negotiate scheme (case-insensitive, RFC 9110 §11.1), well formed or not. */
    public static boolean isNegotiate(String fieldValue) {
        if (fieldValue == null) return false;
        String v = fieldValue.strip();
        return v.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || v.equalsIgnoreCase(CHALLENGE);
    }

    /**
     * The GSS-API token of a {@code Negotiate} credentials field value.
     *
     * @return the token's bytes, or null when the value is not Negotiate, has no token, or the token is not base64
     *         (RFC 4648 §4, padding as sent) or is implausibly large
     */
    public static byte[] decode(String fieldValue) {
        if (!isNegotiate(fieldValue)) return null;
        String token = fieldValue.strip().substring(CHALLENGE.length()).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) return null;
        try {
            byte[] bytes = Base64.getDecoder().decode(token);
            return bytes.length == 0 ? null : bytes;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code Negotiate <base64 token>}, the acceptor's output token for the client (RFC 4559 §5). */
    public static String challenge(byte[] token) {
        return PREFIX + Base64.getEncoder().encodeToString(token);
    }
}
