package dev.gatehouse.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP handling (reload and reopen, as systemd's {@code ExecReload=kill -HUP} expects). */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                log.info("SIGHUP: reopening the audit log and reloading the policy");
                action.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP handling unavailable on this platform: {}", e.getMessage());
        }
    }
}
