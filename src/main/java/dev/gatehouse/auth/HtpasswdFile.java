package dev.gatehouse.auth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An Apache htpasswd file, parsed and immutable: one {@code user:hash} per line, blank lines and {@code #}
 * comments allowed. Hashes are bcrypt, apr1 or SHA-crypt; anything weaker is refused at load with file and
 * line, so a typo or a legacy entry is found when the file is read, not when that user logs in.
 */
final class HtpasswdFile {
    /** Checked for unknown users when the file has no entry to borrow: bcrypt cost 5, htpasswd -B's default. */
    private static final PasswordHash FALLBACK_DECOY =
            new BcryptHash("$2y$05$08nJX1ltsZvjjhNqEw6Jo.N6ObBd4kzqLKVgZIn5Cj02fbu2opE.C");

    private final Map<String, PasswordHash> users;
    private final PasswordHash decoy;

    private HtpasswdFile(Map<String, PasswordHash> users, PasswordHash decoy) {
        this.users = Map.copyOf(users);
        this.decoy = decoy;
    }

    /**
     * @throws AuthLoadException naming file, line, user and problem
     */
    static HtpasswdFile load(Path file) throws AuthLoadException {
        Map<String, PasswordHash> users = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        PasswordHash first = null;
        for (AuthFileLines.Line line : AuthFileLines.read(file)) {
            int colon = line.text().indexOf(':');
            if (colon <= 0) throw line.problem("expected user:hash");
            String user = line.text().substring(0, colon);
            Integer earlier = firstLine.putIfAbsent(user, line.number());
            if (earlier != null) throw line.problem("user '" + user + "' appears again (first on line " + earlier + ")");
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.text().substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw line.problem("user '" + user + "': " + e.getMessage());
            }
            users.put(user, hash);
            if (first == null) first = hash;
        }
        return new HtpasswdFile(users, first == null ? FALLBACK_DECOY : first);
    }

    /** The user's hash, or null when the user is not in the file. */
    PasswordHash hash(String user) {
        return users.get(user);
    }

    /**
     * A real hash from this file to check an unknown user's password against, so that an unknown user costs about
     * as much time as a known one and user names cannot be told apart by timing.
     */
    PasswordHash decoy() {
        return decoy;
    }

    int size() {
        return users.size();
    }
}
