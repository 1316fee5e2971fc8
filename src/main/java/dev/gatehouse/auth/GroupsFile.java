package dev.gatehouse.auth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An Apache {@code AuthGroupFile}, parsed and immutable: {@code group: user1 user2 ...}; a group may span
 * several lines; blank lines and {@code #} comments allowed.
 */
final class GroupsFile {

    private final Map<String, Set<String>> groupsByUser;

    private GroupsFile(Map<String, Set<String>> groupsByUser) {
        this.groupsByUser = groupsByUser;
    }

    /**
     * @throws AuthLoadException naming file, line and problem
     */
    static GroupsFile load(Path file) throws AuthLoadException {
        Map<String, Set<String>> byUser = new HashMap<>();
        for (AuthFileLines.Line line : AuthFileLines.read(file)) {
            int colon = line.text().indexOf(':');
            if (colon < 0) throw line.problem("expected group: user user ...");
            String group = line.text().substring(0, colon).strip();
            if (group.isEmpty() || group.chars().anyMatch(Character::isWhitespace)) {
                throw line.problem("a group name must be one word before the colon, got '" + group + "'");
            }
            String members = line.text().substring(colon + 1).strip();
            if (members.isEmpty()) continue; // an empty group is legal in Apache's format
            for (String user : members.split("\\s+")) {
                byUser.computeIfAbsent(user, u -> new HashSet<>()).add(group);
            }
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        byUser.forEach((user, groups) -> frozen.put(user, Set.copyOf(groups)));
        return new GroupsFile(Map.copyOf(frozen));
    }

    /** The groups listing this user; empty when none. */
    Set<String> groupsOf(String user) {
        return groupsByUser.getOrDefault(user, Set.of());
    }
}
