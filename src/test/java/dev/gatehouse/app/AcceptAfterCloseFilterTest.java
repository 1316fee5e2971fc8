package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Through the real path: XNIO's logger (jboss-logging) into SLF4J and the logback.xml the product ships. */
class AcceptAfterCloseFilterTest {
    private final ch.qos.logback.classic.Logger root =
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    @BeforeEach
    void attach() {
        seen.start();
        root.addAppender(seen);
    }

    @AfterEach
    void detach() {
        root.detachAppender(seen);
    }

    @Test
    void anAcceptOnTheClosedListenerIsDroppedAndOtherAcceptFailuresAreNot() {
        org.jboss.logging.Logger xnio = org.jboss.logging.Logger.getLogger("org.xnio.listener");
        xnio.errorf(new ClosedChannelException(), "XNIO001009: Failed to accept a connection on %s", "server");
        xnio.errorf(new IOException("Too many open files"), "XNIO001009: Failed to accept a connection on %s", "server");
        LoggerFactory.getLogger("dev.gatehouse.other").error("unrelated", new ClosedChannelException());

        List<String> messages = seen.list.stream().map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertEquals(List.of("org.xnio.listener: XNIO001009: Failed to accept a connection on server",
                "dev.gatehouse.other: unrelated"), messages);
        seen.list.clear();
    }
}
