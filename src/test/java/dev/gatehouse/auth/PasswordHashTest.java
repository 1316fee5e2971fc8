package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static PasswordHash hashOf(String htpasswdLine) {
        return PasswordHash.parse(htpasswdLine.substring(htpasswdLine.indexOf(':') + 1));
    }

    @ParameterizedTest(name = "htpasswd {0}")
    @ValueSource(strings = {"-B", "-m", "-2", "-5"})
    void hashesMadeByDebiansHtpasswdMatchTheirPasswordOnly(String flag) throws Exception {
        for (String password : new String[] {"secret", "Sésame ouvre-toi ✓", "a", "a much longer passphrase, over 16 bytes"}) {
            PasswordHash hash = hashOf(Commands.htpasswd(flag, "alice", password));
            assertTrue(hash.matches(utf8(password)), flag + " " + password);
            assertFalse(hash.matches(utf8(password + "x")), flag + " " + password);
            assertFalse(hash.matches(utf8(password.substring(1))), flag + " " + password);
            assertFalse(hash.matches(new byte[0]), flag + " " + password);
        }
    }

    @Test
    void shaCryptWithExplicitRoundsFromHtpasswd() throws Exception {
        String line = Commands.run("htpasswd", "-nb2", "-r", "12000", "alice", "pw").strip();
        assertTrue(line.contains("$5$rounds=12000$"), line);
        assertTrue(hashOf(line).matches(utf8("pw")));
        assertFalse(hashOf(line).matches(utf8("pW")));
    }

    /** Test vectors from Drepper's SHA-crypt specification; the salt is cut to 16 characters. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
        "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA",
        "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
        "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
    })
    void shaCryptMatchesTheSpecificationsVectors(String stored) {
        assertTrue(PasswordHash.parse(stored).matches(utf8("Hello world!")));
        assertFalse(PasswordHash.parse(stored).matches(utf8("Hello world")));
    }

    @Test
    void apr1MatchesAFixedVectorFromOpenssl() {
        // openssl passwd -apr1 -salt Zx1yQ2w3 'Sésame ouvre-toi'
        PasswordHash hash = PasswordHash.parse("$apr1$Zx1yQ2w3$AAuyEwUCnwMWnfA3F0CM2/");
        assertInstanceOf(Md5CryptHash.class, hash);
        assertTrue(hash.matches(utf8("Sésame ouvre-toi")));
        assertFalse(hash.matches(utf8("Sesame ouvre-toi")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2a", "2b", "2y"})
    void everyBcryptVersionIsAccepted(String version) {
        String stored = OpenBSDBCrypt.generate(version, utf8("pw"), new byte[16], 4);
        assertTrue(stored.startsWith("$" + version + "$"), stored);
        assertTrue(PasswordHash.parse(stored).matches(utf8("pw")));
        assertFalse(PasswordHash.parse(stored).matches(utf8("pv")));
    }

    @Test
    void bcryptIgnoresBytesPast72LikeOpenBsdAndNeverThrows() {
        String longPassword = "p".repeat(100);
        PasswordHash hash = PasswordHash.parse(OpenBSDBCrypt.generate(utf8(longPassword), new byte[16], 4));
        assertTrue(hash.matches(utf8(longPassword)));
        assertTrue(hash.matches(utf8("p".repeat(72) + "different tail")));
        assertFalse(hash.matches(utf8("p".repeat(71))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=|{SHA} hashes are unsalted SHA-1 and not supported; re-create with htpasswd -B",
        "rOVL2tAKfhMzs|DES crypt and plaintext passwords are not supported",
        "plaintext|DES crypt and plaintext passwords are not supported",
        "$1$abcdefgh$abcdefghijklmnopqrstuv|$1$ (glibc MD5-crypt) is not an htpasswd scheme",
        "$argon2id$v=19$m=65536|unknown hash scheme '$argon2id$'",
        "$2y$05$tooShort|malformed bcrypt hash",
        "$apr1$salt|malformed $apr1$ hash",
        "$5$salt$short|malformed SHA-crypt hash",
    })
    void weakOrMalformedHashesAreRefusedWithAReason(String stored, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(stored));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @Test
    void hashesStayOutOfToString() {
        String stored = "$apr1$Zx1yQ2w3$AAuyEwUCnwMWnfA3F0CM2/";
        assertEquals("Md5CryptHash", PasswordHash.parse(stored).toString());
        assertFalse(PasswordHash.parse(OpenBSDBCrypt.generate(utf8("x"), new byte[16], 4)).toString().contains("$2"));
    }
}
