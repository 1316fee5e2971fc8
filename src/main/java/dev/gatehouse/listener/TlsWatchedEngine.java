package dev.gatehouse.listener;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's {@link SSLEngine}: the JDK's engine, watched until its handshake finishes, so that a
 * connection whose handshake failed gets its audit record ({@link ConnectionTap#connectionClosed}).
 *
 * <p>Why the engine: Undertow's {@code SslConduit} drives a server handshake mostly inside its own
 * read-ready handler and after delegated tasks, and reports a failure there only to its own DEBUG log
 * before closing; the exception reaches a conduit above TLS only when the HTTP parser's read happens to
 * be the call that fails (plain HTTP sent to the TLS port), and a successful handshake is the only one
 * XNIO's handshake listener hears of. Every path calls the engine, though, so here each result and
 * exception is seen, whichever path drove it. Until the handshake finishes the engine counts the TLS
 * bytes the client sent (what {@code unwrap} was given: consumed, still waiting in the conduit's buffer,
 * or refused) and the bytes it produced for the client; after that it only forwards.
 *
 * <p>A handshake failed when the connection closes with bytes from the client and no finished handshake.
 * A connection that sent no byte at all (a TCP health check, a port scan) is not a failure and leaves no
 * record, as an idle connection on the plain listener does not.
 *
 * <p>Called on the connection's IO thread (a delegated task's failure is thrown by the next wrap or
 * unwrap there); the connection's close listener reads the state.
 */
final class TlsWatchedEngine extends SSLEngine {
    private static final Logger log = LoggerFactory.getLogger(TlsWatchedEngine.class);

    private final SSLEngine engine;
    private final LogInterval warnings;
    private volatile boolean finished;
    private volatile long consumed;
    private volatile long pending;
    private volatile long produced;
    private volatile SSLException failure;

    private TlsWatchedEngine(SSLEngine engine, LogInterval warnings) {
        super(engine.getPeerHost(), engine.getPeerPort());
        this.engine = engine;
        this.warnings = warnings;
    }

    /**
     * A context like {@code context} (already initialised) whose engines are watched.
     *
     * @param warnings the interval for the warning that summarises failed handshakes, shared by the listener's connections
     */
    static SSLContext watching(SSLContext context, LogInterval warnings) {
        SSLContextSpi spi = new SSLContextSpi() {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
                throw new UnsupportedOperationException("the watched context is already initialised");
            }

            @Override protected SSLSocketFactory engineGetSocketFactory() { return context.getSocketFactory(); }
            @Override protected SSLServerSocketFactory engineGetServerSocketFactory() { return context.getServerSocketFactory(); }
            @Override protected SSLEngine engineCreateSSLEngine() { return new TlsWatchedEngine(context.createSSLEngine(), warnings); }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                return new TlsWatchedEngine(context.createSSLEngine(host, port), warnings);
            }

            @Override protected SSLSessionContext engineGetServerSessionContext() { return context.getServerSessionContext(); }
            @Override protected SSLSessionContext engineGetClientSessionContext() { return context.getClientSessionContext(); }
            @Override protected SSLParameters engineGetDefaultSSLParameters() { return context.getDefaultSSLParameters(); }
            @Override protected SSLParameters engineGetSupportedSSLParameters() { return context.getSupportedSSLParameters(); }
        };
        return new SSLContext(spi, context.getProvider(), context.getProtocol()) { };
    }

    /** True once the connection is over without a finished handshake after the client sent something. */
    boolean failed() {
        return !finished && bytesIn() > 0;
    }

    long bytesIn() {
        return consumed + pending;
    }

    long bytesOut() {
        return produced;
    }

    /**
     * Logs a failed handshake: the exception's message at DEBUG each time, and a WARN summarising the
     * failures at most once per interval (a scanner must not flood the log; each failure is in the audit log).
     */
    void logFailure(String client) {
        String reason = reason();
        log.debug("tls: handshake with {} failed ({} bytes in, {} out): {}", client, bytesIn(), bytesOut(), reason);
        long failures = warnings.occurred();
        if (failures > 0) {
            log.warn("tls: {} client handshake(s) failed since the last such warning (at most one per {} s; each is"
                    + " audited as tls_handshake_failed); the latest, from {}: {}", failures, warnings.intervalSeconds(), client, reason);
        }
    }

    /** The exception's message, and its cause's: the JDK wraps an unexpected alert in "Unexpected exception". */
    private String reason() {
        SSLException e = failure;
        if (e == null) return "the connection closed before the handshake finished";
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? e.getMessage() : e.getMessage() + ": " + cause.getMessage();
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (finished) return engine.wrap(srcs, offset, length, dst);
        try {
            SSLEngineResult result = engine.wrap(srcs, offset, length, dst);
            produced += result.bytesProduced();
            return seen(result);
        } catch (SSLException e) {
            return failed(e);
        }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (finished) return engine.unwrap(src, dsts, offset, length);
        int offered = src.remaining();
        try {
            SSLEngineResult result = engine.unwrap(src, dsts, offset, length);
            consumed += result.bytesConsumed();
            pending = src.remaining();
            return seen(result);
        } catch (SSLException e) {
            pending = offered; // refused bytes were still received
            return failed(e);
        }
    }

    private SSLEngineResult seen(SSLEngineResult result) {
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) finished = true;
        return result;
    }

    private SSLEngineResult failed(SSLException e) throws SSLException {
        if (failure == null) failure = e; // the first one says why; later ones are about the closed engine
        throw e;
    }

    // Everything else is the JDK engine's.
    @Override public Runnable getDelegatedTask() { return engine.getDelegatedTask(); }
    @Override public void closeInbound() throws SSLException { engine.closeInbound(); }
    @Override public boolean isInboundDone() { return engine.isInboundDone(); }
    @Override public void closeOutbound() { engine.closeOutbound(); }
    @Override public boolean isOutboundDone() { return engine.isOutboundDone(); }
    @Override public String[] getSupportedCipherSuites() { return engine.getSupportedCipherSuites(); }
    @Override public String[] getEnabledCipherSuites() { return engine.getEnabledCipherSuites(); }
    @Override public void setEnabledCipherSuites(String[] suites) { engine.setEnabledCipherSuites(suites); }
    @Override public String[] getSupportedProtocols() { return engine.getSupportedProtocols(); }
    @Override public String[] getEnabledProtocols() { return engine.getEnabledProtocols(); }
    @Override public void setEnabledProtocols(String[] protocols) { engine.setEnabledProtocols(protocols); }
    @Override public SSLSession getSession() { return engine.getSession(); }
    @Override public SSLSession getHandshakeSession() { return engine.getHandshakeSession(); }
    @Override public void beginHandshake() throws SSLException { engine.beginHandshake(); }
    @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return engine.getHandshakeStatus(); }
    @Override public void setUseClientMode(boolean mode) { engine.setUseClientMode(mode); }
    @Override public boolean getUseClientMode() { return engine.getUseClientMode(); }
    @Override public void setNeedClientAuth(boolean need) { engine.setNeedClientAuth(need); }
    @Override public boolean getNeedClientAuth() { return engine.getNeedClientAuth(); }
    @Override public void setWantClientAuth(boolean want) { engine.setWantClientAuth(want); }
    @Override public boolean getWantClientAuth() { return engine.getWantClientAuth(); }
    @Override public void setEnableSessionCreation(boolean flag) { engine.setEnableSessionCreation(flag); }
    @Override public boolean getEnableSessionCreation() { return engine.getEnableSessionCreation(); }
    @Override public SSLParameters getSSLParameters() { return engine.getSSLParameters(); }
    @Override public void setSSLParameters(SSLParameters params) { engine.setSSLParameters(params); }
    @Override public String getApplicationProtocol() { return engine.getApplicationProtocol(); }
    @Override public String getHandshakeApplicationProtocol() { return engine.getHandshakeApplicationProtocol(); }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        engine.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return engine.getHandshakeApplicationProtocolSelector();
    }
}
