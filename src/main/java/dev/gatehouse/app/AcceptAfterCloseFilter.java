package dev.gatehouse.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Marker;

/**
 * Drops XNIO's {@code XNIO001009: Failed to accept a connection} when the cause is a closed listening channel.
 * XNIO hands each accepted connection to an IO thread as a queued task; a connection that arrives just as
 * the proxy stops finds the channel closed when its task runs, and XNIO logs that at ERROR with a stack
 * trace. Nothing failed (the connection had sent no request, and the kernel resets it), and the listener is
 * only ever closed at shutdown, so an operator would learn nothing from it. Any other accept failure still
 * gets through. Installed by {@code logback.xml}.
 */
public final class AcceptAfterCloseFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t instanceof ClosedChannelException && format != null && format.startsWith("XNIO001009")
                && "org.xnio.listener".equals(logger.getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
