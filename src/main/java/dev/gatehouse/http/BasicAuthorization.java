package dev.gatehouse.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password from a {@code Basic} credentials field value (RFC 7617 §2), as a client sends it in
 * {@code Proxy-Authorization} (proxy login) or {@code Authorization} (the FTP gateway's login). The password is
 * kept only as long as the request needs it and never appears in {@link #toString()}.
 */
public record BasicAuthorization(String user, String password) {
    /**
     * Decodes a field value.
     *
     * @return the credentials, or null when the value is not Basic, not base64, not UTF-8, has no colon or an
     *         empty user, or holds a control character
     */
    public static BasicAuthorization decode(String fieldValue) {
        if (!isBasic(fieldValue)) return null;
        String token = fieldValue.strip().substring(6).strip();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text;
        try {
            // RFC 7617 §2.1: UTF-8 is what browsers send with charset="UTF-8"; malformed input is refused, not guessed.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) return null; // RFC 7617 §2: the user-id cannot contain a colon; an empty one names nobody
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // RFC 7617 §2: no control characters; they would also let a CR LF into an FTP USER or PASS command.
            if (c < 0x20 || c == 0x7f) return null;
        }
        return new BasicAuthorization(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether a field value names the Basic scheme (case-insensitive, RFC 9110 §11.1), well formed or not. */
    public static boolean isBasic(String fieldValue) {
        if (fieldValue == null) return false;
        String v = fieldValue.strip();
        return v.length() >= 7 && v.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    public String toString() {
        return "BasicAuthorization[user=" + user + "]";
    }
}
