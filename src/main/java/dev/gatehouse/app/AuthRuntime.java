package dev.gatehouse.app;

import dev.gatehouse.auth.AuthLoadException;
import dev.gatehouse.auth.Authenticator;
import dev.gatehouse.auth.Authenticators;
import dev.gatehouse.auth.KerberosAcceptor;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.FolderWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy authentication as the running proxy holds it: built at start (a bad htpasswd, group file or keytab
 * stops the start, naming file and line), its files re-read on SIGHUP and the admin reload (everything, the LDAP
 * pool included) and when they change (only what those files feed: a group file edit keeps the LDAP pool and
 * the remembered logins). A bad file on reload keeps the running data and logs the problem.
 */
final class AuthRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuthRuntime.class);

    private final Authenticator authenticator;
    private final KerberosAcceptor kerberos;
    private final List<FolderWatcher> watchers;

    private AuthRuntime(Authenticator authenticator, KerberosAcceptor kerberos, List<FolderWatcher> watchers) {
        this.authenticator = authenticator;
        this.kerberos = kerberos;
        this.watchers = watchers;
    }

    /** Null when authentication is off (no Basic back-end, no Kerberos). */
    static AuthRuntime start(GatehouseConfig.Auth auth) throws AuthLoadException, IOException {
        if (!auth.enabled()) return null;
        // The keytab first: it holds nothing to close if the back-end then fails.
        KerberosAcceptor kerberos = auth.negotiate().enabled() ? KerberosAcceptor.open(auth.negotiate()) : null;
        Authenticator authenticator = Authenticators.create(auth);
        log.info("proxy authentication: {}{}{}, required from {}{}", kerberos == null ? "" : kerberos + (auth.basicOffered() ? ", then " : ""),
                auth.basicOffered() ? "Basic with the " + auth.backend() + " back-end" : "",
                auth.groupsFile().isEmpty() ? "" : "; groups from " + auth.groupsFile(), auth.networks(),
                auth.exempt().isEmpty() ? "" : " except " + auth.exempt());
        List<FolderWatcher> watchers = new ArrayList<>();
        AuthRuntime runtime = new AuthRuntime(authenticator, kerberos, watchers);
        if (auth.watch()) {
            // Each watched file's own folder, and only those files in it: an edit of the main config next to
            // them must not reload (a reload forgets every remembered login).
            Map<Path, Set<Path>> byFolder = new LinkedHashMap<>();
            for (Path file : Authenticators.watchedFiles(auth)) {
                Path absolute = file.toAbsolutePath().normalize();
                byFolder.computeIfAbsent(absolute.getParent(), f -> new HashSet<>()).add(absolute);
            }
            try {
                for (Map.Entry<Path, Set<Path>> folder : byFolder.entrySet()) {
                    FolderWatcher watcher = FolderWatcher.ofFiles(folder.getKey(), folder.getValue(), Duration.ofMillis(500),
                            runtime::reloadChanged);
                    watchers.add(watcher);
                    watcher.start();
                }
            } catch (IOException | RuntimeException e) {
                runtime.close();
                throw e;
            }
        }
        return runtime;
    }

    Authenticator authenticator() { return authenticator; }

    /** Null when {@code auth.negotiate} is off. */
    KerberosAcceptor kerberos() { return kerberos; }

    /**
     * Re-reads the files; false if they were rejected (the running data stays). Synchronized: the watcher,
     * SIGHUP and the admin listener may ask at once, and two overlapping LDAP reloads would each close the
     * old pool and leave one new pool open.
     */
    synchronized boolean reload(String why) {
        return apply(why, () -> {
            authenticator.reload();
            return true;
        });
    }

    /** Re-reads what depends on {@code changed} (absolute, normalised paths), as a file watcher reports them. */
    synchronized boolean reloadChanged(Set<Path> changed) {
        return apply("change of " + changed, () -> authenticator.reloadChanged(changed));
    }

    /** A reload step: whether it re-read anything. */
    private interface Reload {
        boolean run() throws AuthLoadException;
    }

    private boolean apply(String why, Reload reload) {
        try {
            if (reload.run()) log.info("proxy authentication files reloaded ({})", why);
            return true;
        } catch (AuthLoadException e) {
            log.error("proxy authentication reload ({}) failed; still using the previous files: {}", why, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        for (FolderWatcher w : watchers) {
            try {
                w.close();
            } catch (IOException e) {
                log.warn("closing an authentication file watcher: {}", e.toString());
            }
        }
        authenticator.close();
    }
}
