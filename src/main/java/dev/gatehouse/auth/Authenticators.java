package dev.gatehouse.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.config.GatehouseConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the configured authenticator: back-end, then the verdict cache, then the group file's groups. The cache
 * holds only what the back-end said, so a group file edit takes effect at once without forgetting logins.
 */
public final class Authenticators {
    /** Credentials remembered at most; at a few hundred bytes each, about 10 MB. */
    static final long MAX_CACHED_VERDICTS = 50_000;

    private Authenticators() {}

    /**
     * @return the authenticator for {@code auth.backend()} (with {@code none} and Kerberos: one that knows no
     *         password and adds the group file's groups); the caller closes it (it may hold LDAP connections)
     * @throws AuthLoadException naming file, line and problem, or the setting that cannot be used
     * @throws IllegalArgumentException when authentication is off (there is nothing to build)
     */
    public static Authenticator create(GatehouseConfig.Auth auth) throws AuthLoadException {
        Authenticator backend = switch (auth.backend()) {
            case "htpasswd" -> new HtpasswdAuthenticator(Path.of(auth.htpasswdFile()));
            case "ldap" -> new LdapAuthenticator(auth.ldap());
            case "none" -> {
                if (!auth.negotiate().enabled()) throw new IllegalArgumentException("authentication is off: nothing to build");
                yield new NoBasicBackend();
            }
            default -> throw new IllegalArgumentException("no authenticator for backend '" + auth.backend() + "'");
        };
        try {
            Authenticator cached = new CachingAuthenticator(backend, auth.successTtl(), auth.failureTtl(),
                    MAX_CACHED_VERDICTS, Ticker.systemTicker());
            return auth.groupsFile().isEmpty() ? cached : new GroupsFileAuthenticator(cached, Path.of(auth.groupsFile()));
        } catch (AuthLoadException | RuntimeException e) {
            backend.close(); // an LDAP pool must not outlive a failed start
            throw e;
        }
    }

    /**
     * The files whose change should trigger {@link Authenticator#reloadChanged}: the htpasswd file (htpasswd
     * back-end) and the group file, when configured. For a file watcher in the caller. (The LDAP back-end also
     * re-reads its bind password and CA files on reload, but those change rarely enough for SIGHUP or the admin
     * reload.)
     */
    public static List<Path> watchedFiles(GatehouseConfig.Auth auth) {
        List<Path> files = new ArrayList<>();
        if (auth.backend().equals("htpasswd")) files.add(Path.of(auth.htpasswdFile()));
        if (!auth.groupsFile().isEmpty()) files.add(Path.of(auth.groupsFile()));
        return List.copyOf(files);
    }
}
