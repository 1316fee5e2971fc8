package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdFileTest {
    @TempDir
    Path dir;

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("htpasswd"), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsAFileMadeByHtpasswdWithEveryScheme() throws Exception {
        Path file = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-b", "-B", file.toString(), "alice", "a-pass");
        Commands.run("htpasswd", "-b", "-m", file.toString(), "bob", "b-pass");
        Commands.run("htpasswd", "-b", "-2", file.toString(), "carol", "c-pass");
        Commands.run("htpasswd", "-b", "-5", file.toString(), "dave", "d-pass");
        HtpasswdFile users = HtpasswdFile.load(file);
        assertEquals(4, users.size());
        assertTrue(users.hash("alice").matches("a-pass".getBytes(StandardCharsets.UTF_8)));
        assertTrue(users.hash("bob").matches("b-pass".getBytes(StandardCharsets.UTF_8)));
        assertTrue(users.hash("carol").matches("c-pass".getBytes(StandardCharsets.UTF_8)));
        assertTrue(users.hash("dave").matches("d-pass".getBytes(StandardCharsets.UTF_8)));
        assertNull(users.hash("eve"));
    }

    @Test
    void blankLinesCommentsAndCrlfAreAllowed() throws Exception {
        String alice = Commands.htpasswd("-m", "alice", "pw");
        HtpasswdFile users = HtpasswdFile.load(write("# staff\r\n\r\n" + alice + "\r\n   \n# end\n"));
        assertEquals(1, users.size());
        assertTrue(users.hash("alice").matches("pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnsupportedSchemeNamesFileLineUserAndAdvice() throws Exception {
        Path file = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-b", "-B", file.toString(), "alice", "a");
        Files.writeString(file, "# comment\n", java.nio.file.StandardOpenOption.APPEND);
        Commands.run("htpasswd", "-b", "-s", file.toString(), "bob", "b"); // {SHA}
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> HtpasswdFile.load(file));
        assertEquals(file + ":3: user 'bob': {SHA} hashes are unsalted SHA-1 and not supported; re-create with htpasswd -B",
                e.getMessage());
    }

    @Test
    void desCryptAndPlaintextFromHtpasswdAreRefused() throws Exception {
        for (String flag : new String[] {"-d", "-p"}) {
            Path file = write(Commands.htpasswd(flag, "bob", "b") + "\n");
            AuthLoadException e = assertThrows(AuthLoadException.class, () -> HtpasswdFile.load(file));
            assertTrue(e.getMessage().startsWith(file + ":1: user 'bob': DES crypt and plaintext"), e.getMessage());
        }
    }

    @Test
    void aLineWithoutUserOrColonAndADuplicateUserAreErrors() throws Exception {
        String alice = Commands.htpasswd("-m", "alice", "pw");
        assertEquals(dir.resolve("htpasswd") + ":2: expected user:hash",
                assertThrows(AuthLoadException.class, () -> HtpasswdFile.load(write(alice + "\nbob\n"))).getMessage());
        assertEquals(dir.resolve("htpasswd") + ":1: expected user:hash",
                assertThrows(AuthLoadException.class, () -> HtpasswdFile.load(write(":$apr1$x$y\n"))).getMessage());
        assertEquals(dir.resolve("htpasswd") + ":3: user 'alice' appears again (first on line 1)",
                assertThrows(AuthLoadException.class, () -> HtpasswdFile.load(write(alice + "\n\n" + alice + "\n"))).getMessage());
    }

    @Test
    void aMissingFileIsALoadError() {
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> HtpasswdFile.load(dir.resolve("nope")));
        assertTrue(e.getMessage().startsWith(dir.resolve("nope") + ": cannot read"), e.getMessage());
    }

    @Test
    void unknownUsersAreCheckedAgainstARealHashOfTheFile() throws Exception {
        HtpasswdFile users = HtpasswdFile.load(write(Commands.htpasswd("-B", "alice", "pw") + "\n"
                + Commands.htpasswd("-m", "bob", "pw") + "\n"));
        assertSame(users.hash("alice"), users.decoy()); // same scheme and cost as a real user
        assertInstanceOf(BcryptHash.class, HtpasswdFile.load(write("# nobody yet\n")).decoy());
    }
}
