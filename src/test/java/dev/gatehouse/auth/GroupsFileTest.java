package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsFileTest {
    @TempDir
    Path dir;

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("groups"), content);
    }

    @Test
    void groupsMaySpanLinesAndUsersMayBeInSeveral() throws Exception {
        GroupsFile groups = GroupsFile.load(write("""
                # Apache AuthGroupFile
                staff: alice bob
                admins:alice

                staff:   carol\t dave
                empty:
                """));
        assertEquals(Set.of("staff", "admins"), groups.groupsOf("alice"));
        assertEquals(Set.of("staff"), groups.groupsOf("bob"));
        assertEquals(Set.of("staff"), groups.groupsOf("dave"));
        assertEquals(Set.of(), groups.groupsOf("eve"));
    }

    @Test
    void errorsNameFileAndLine() throws Exception {
        Path file = write("staff: alice\n\nalice bob\n");
        assertEquals(file + ":3: expected group: user user ...",
                assertThrows(AuthLoadException.class, () -> GroupsFile.load(file)).getMessage());
        Path spaced = write("staff: alice\nmy group: bob\n");
        assertEquals(spaced + ":2: a group name must be one word before the colon, got 'my group'",
                assertThrows(AuthLoadException.class, () -> GroupsFile.load(spaced)).getMessage());
        Path unnamed = write(": bob\n");
        assertEquals(unnamed + ":1: a group name must be one word before the colon, got ''",
                assertThrows(AuthLoadException.class, () -> GroupsFile.load(unnamed)).getMessage());
    }
}
