package dev.gatehouse.app;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyHolder;
import dev.gatehouse.policy.PolicyLoadException;
import dev.gatehouse.policy.PolicyProblem;
import dev.gatehouse.config.FolderWatcher;
import dev.gatehouse.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy as the running proxy holds it: loaded at start (a bad file stops the start), reloaded on
 * SIGHUP, on the admin call and when a file in its folder changes. A reload builds a whole new policy off
 * the request path and swaps it in one step; a bad file keeps the running policy and logs every problem.
 */
final class PolicyRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PolicyRuntime.class);

    private final PolicyHolder holder;
    private final FolderWatcher watcher;

    private PolicyRuntime(PolicyHolder holder, FolderWatcher watcher) {
        this.holder = holder;
        this.watcher = watcher;
    }

    /** Null when the config names no policy file. */
    static PolicyRuntime start(GatehouseConfig.PolicySettings settings) throws PolicyLoadException, IOException {
        if (settings.file().isBlank()) return null;
        Path file = Path.of(settings.file()).toAbsolutePath();
        Policy initial = load(file);
        PolicyHolder holder = new PolicyHolder(initial, () -> PolicyLoader.load(file));
        log.info("policy {} loaded from {} ({} rules)", initial.version(), file, initial.rules().size());
        FolderWatcher watcher = null;
        PolicyRuntime[] self = new PolicyRuntime[1];
        if (settings.watch()) {
            watcher = new FolderWatcher(file.getParent(), Duration.ofMillis(500), () -> self[0].reload("file change"));
            watcher.start();
        }
        self[0] = new PolicyRuntime(holder, watcher);
        return self[0];
    }

    /** Loads and logs warnings; used at start and by {@code check-config}. */
    static Policy load(Path file) throws PolicyLoadException {
        Policy policy = PolicyLoader.load(file);
        for (PolicyProblem w : policy.warnings()) log.warn("policy: {}", w);
        return policy;
    }

    PolicyHolder holder() { return holder; }

    PolicyHolder.ReloadResult reload(String why) {
        PolicyHolder.ReloadResult r = holder.reload();
        if (r.applied()) {
            log.info("policy reloaded ({}): version {}", why, r.version());
            for (PolicyProblem w : r.problems()) log.warn("policy: {}", w);
        } else {
            // One event, problems on its own lines: another thread's log line cannot land in the middle, and a
            // reader of the log (or a test) that sees the headline sees every problem with it.
            StringBuilder problems = new StringBuilder();
            for (PolicyProblem p : r.problems()) problems.append("\n  ").append(p);
            log.error("policy reload ({}) failed; still running version {}:{}", why, r.version(), problems);
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) watcher.close();
    }
}
