package dev.gatehouse.upstream.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.RequestTarget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class FtpTargetTest {
    @Test
    void anonymousByDefault() throws Exception {
        FtpTarget t = FtpTarget.of(RequestTarget.of("ftp://files.example/pub/a%20b+c.txt"), null, null);
        assertEquals(FtpTarget.ANONYMOUS, t.user());
        assertEquals(21, t.port());
        assertEquals("/pub/a b+c.txt", t.path());
        assertEquals("a b+c.txt", t.lastSegment());
        assertFalse(t.isDirectoryPath());
    }

    @Test
    void pathsAreRelativeToTheLoginDirectoryUnlessTheyStartWithAnEncodedSlash() throws Exception {
        assertEquals("pub/a.txt", FtpTarget.of(RequestTarget.of("ftp://h/pub/a.txt"), null, null).serverPath());
        assertEquals("", FtpTarget.of(RequestTarget.of("ftp://h/"), null, null).serverPath());
        assertEquals("/etc/motd", FtpTarget.of(RequestTarget.of("ftp://h/%2Fetc/motd"), null, null).serverPath());
        assertEquals("a/b/c", FtpTarget.of(RequestTarget.of("ftp://h/a%2Fb/c"), null, null).serverPath());
    }

    @Test
    void userInfoGivenApartFromTheUriLogsIn() throws Exception {
        FtpTarget t = FtpTarget.of(RequestTarget.of("ftp://h/f"), "bob:pw%40x", null);
        assertEquals("bob", t.user());
        assertEquals("pw@x", t.password());
        assertFalse(t.isAnonymous());
        assertTrue(FtpTarget.of(RequestTarget.of("ftp://h/f"), "ftp:me@", null).isAnonymous());
        assertTrue(FtpTarget.of(RequestTarget.of("ftp://h/f"), null, null).isAnonymous());
        assertFalse(t.toString().contains("pw"), t.toString());
    }

    @Test
    void credentialsFromTheUrlsUserInfoOrFromBasicAuthorization() throws Exception {
        FtpTarget fromUrl = FtpTarget.of(RequestTarget.of("ftp://files.example:2121/d/"), "al%40ice:s%3Acret", null);
        assertEquals("al@ice", fromUrl.user());
        assertEquals("s:cret", fromUrl.password());
        assertEquals(2121, fromUrl.port());
        assertEquals("d", fromUrl.lastSegment());
        String basic = "Basic " + Base64.getEncoder().encodeToString("bob:pw:x".getBytes(StandardCharsets.UTF_8));
        FtpTarget fromHeader = FtpTarget.of(RequestTarget.of("ftp://files.example/"), null, basic);
        assertEquals("bob", fromHeader.user());
        assertEquals("pw:x", fromHeader.password());
        assertFalse(fromHeader.toString().contains("pw"), "toString never shows the password");
    }

    /** The proxy login's decoding (RFC 7617 §2): Basic credentials it refuses are a 400, another scheme is ignored. */
    @Test
    void brokenBasicCredentialsAreABadRequestAndAnotherSchemeMeansAnonymous() throws Exception {
        for (String bad : new String[] {"bob", ":pw", "bob:p\r\nDELE x"}) {
            String basic = "Basic " + Base64.getEncoder().encodeToString(bad.getBytes(StandardCharsets.UTF_8));
            FailureException e = assertThrows(FailureException.class, () -> FtpTarget.of(RequestTarget.of("ftp://files.example/"), null, basic), bad);
            assertEquals(Failure.BAD_REQUEST, e.failure(), bad);
        }
        assertThrows(FailureException.class, () -> FtpTarget.of(RequestTarget.of("ftp://files.example/"), null, "basic not-base64!"));
        assertTrue(FtpTarget.of(RequestTarget.of("ftp://files.example/"), null, "Bearer abc.def").isAnonymous());
    }

    @Test
    void encodedLineBreaksCannotInjectFtpCommands() {
        FailureException e = assertThrows(FailureException.class,
                () -> FtpTarget.of(RequestTarget.of("ftp://files.example/a%0D%0ADELE%20b"), null, null));
        assertEquals(Failure.BAD_REQUEST, e.failure());
        assertThrows(FailureException.class, () -> FtpTarget.of(RequestTarget.of("ftp://files.example/"), "u:p%0Aw", null));
    }
}
