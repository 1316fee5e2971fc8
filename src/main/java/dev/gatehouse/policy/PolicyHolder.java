package dev.gatehouse.policy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the live policy and swaps it on reload: a new policy is built completely off the request
 * path, then published with one atomic write. Requests in flight finish on the policy they read;
 * a failed reload keeps the running policy. There is no window in which a request sees a
 * half-loaded policy (the answer to ufdbGuard's "result during database reload").
 */
public final class PolicyHolder {

    /** Builds a complete policy, or fails with every problem found. */
    @FunctionalInterface
    public interface Source {
        /** @return a new policy */
        Policy load() throws PolicyLoadException;
    }

    /**
     * The result of a reload.
     *
     * @param applied true if the new policy is now live
     * @param version the live policy's version after the reload
     * @param problems errors (when not applied) or warnings
     */
    public record ReloadResult(boolean applied, String version, List<PolicyProblem> problems) {
        public ReloadResult {
            problems = List.copyOf(problems);
        }
    }

    private final AtomicReference<Policy> current;
    private final Source source;
    private final Object reloadLock = new Object();
    private volatile ReloadResult lastReload;

    /**
     * @param initial the policy to start with (load it with {@code source} and fail start-up on errors)
     * @param source how to build the next policy
     */
    public PolicyHolder(Policy initial, Source source) {
        this.current = new AtomicReference<>(initial);
        this.source = source;
        this.lastReload = new ReloadResult(true, initial.version(), initial.warnings());
    }

    /** @return the live policy; read it once per request and use that instance throughout */
    public Policy current() {
        return current.get();
    }

    /** @return the live policy's decision for a request */
    public Decision decide(RequestFacts facts) {
        return current.get().decide(facts);
    }

    /**
     * Builds a new policy and makes it live, or keeps the running one if the build fails.
     * Reloads are serialised; call it from a background thread, never an I/O thread.
     */
    public ReloadResult reload() {
        synchronized (reloadLock) {
            ReloadResult result;
            try {
                Policy next = source.load();
                current.set(next);
                result = new ReloadResult(true, next.version(), next.warnings());
            } catch (PolicyLoadException e) {
                result = new ReloadResult(false, current.get().version(), e.problems());
            } catch (RuntimeException e) {
                result = new ReloadResult(false, current.get().version(), List.of(new PolicyProblem(
                        PolicyProblem.Severity.ERROR, "", 0, 0, "", "reload failed: " + e)));
            }
            lastReload = result;
            return result;
        }
    }

    /** @return the outcome of the last reload (or of the initial load), for status pages */
    public ReloadResult lastReload() {
        return lastReload;
    }
}
