package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7617 §2 decoding, shared by proxy login and the FTP gateway: field value → credentials, or null. */
class BasicAuthorizationTest {
    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    private static Arguments row(String name, String fieldValue, BasicAuthorization expected) {
        return Arguments.of(name, fieldValue, expected);
    }

    static Stream<Arguments> table() {
        byte[] latin1 = "j\u00fcrgen:pw".getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                row("plain", basic("alice:pw"), new BasicAuthorization("alice", "pw")),
                row("scheme in any case, spaces around", "  bAsIc   " + basic("alice:pw").substring(6) + " ",
                        new BasicAuthorization("alice", "pw")),
                row("colon in the password", basic("bob:pw:x:"), new BasicAuthorization("bob", "pw:x:")),
                row("empty password", basic("alice:"), new BasicAuthorization("alice", "")),
                row("UTF-8", basic("j\u00fcrgen:p\u00e4ss\u20ac"), new BasicAuthorization("j\u00fcrgen", "p\u00e4ss\u20ac")),
                row("no padding", "Basic " + Base64.getEncoder().withoutPadding().encodeToString("al:p".getBytes(StandardCharsets.UTF_8)),
                        new BasicAuthorization("al", "p")),
                row("bad base64", "Basic !!!not-base64", null),
                row("base64 with a space inside", "Basic YWxp Y2U6cHc=", null),
                row("no colon", basic("alice"), null),
                row("empty user", basic(":pw"), null),
                row("Latin-1, not UTF-8", "Basic " + Base64.getEncoder().encodeToString(latin1), null),
                row("CR LF in the password", basic("alice:pw\r\nDELE x"), null),
                row("NUL in the user", basic("al\u0000ice:pw"), null),
                row("DEL", basic("alice:p\u007fw"), null),
                row("another scheme", "Bearer " + basic("alice:pw").substring(6), null),
                row("scheme alone", "Basic", null),
                row("scheme glued to the token", "Basic" + basic("alice:pw").substring(6), null),
                row("absent", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decodes(String name, String fieldValue, BasicAuthorization expected) {
        assertEquals(expected, BasicAuthorization.decode(fieldValue));
    }

    @Test
    void toStringNeverShowsThePassword() {
        assertFalse(new BasicAuthorization("alice", "s3cret").toString().contains("s3cret"));
    }
}
