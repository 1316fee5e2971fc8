package dev.gatehouse.listener;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.HostPort;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.ssl.SslConnection;

/**
 * The second proxy listener, speaking TLS to the client (a PAC file's {@code HTTPS host:port}), so that
 * proxy credentials never cross the network in clear. Undertow's {@link UndertowXnioSsl} does the TLS;
 * each accepted connection is handed, already decrypting, to the same connection listener as the plain
 * one. So the {@link ConnectionTap} sits above TLS: it counts HTTP-level bytes, as on the plain listener
 * (where they are the wire bytes), and it still reads request heads (obsolete folding, the status of
 * requests Undertow rejects), which it could not below TLS. A CONNECT tunnel splices the decrypted
 * stream (TLS-in-TLS for https origins).
 * A connection whose handshake fails never reaches the tap's bytes; its engine ({@link TlsWatchedEngine})
 * sees the failure, and the tap audits it when the connection closes ({@code tls_handshake_failed}).
 * TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1), the JDK's default cipher suites, no client
 * certificates. The certificate is re-read when its files change; see {@link TlsReloader}.
 */
final class TlsListener {
    private static final Logger log = LoggerFactory.getLogger(TlsListener.class);

    private final AcceptingChannel<SslConnection> acceptor;
    private final ScheduledExecutorService reloads;

    private TlsListener(AcceptingChannel<SslConnection> acceptor, ScheduledExecutorService reloads) {
        this.acceptor = acceptor;
        this.reloads = reloads;
    }

    /** Loads the certificate (a bad pair stops the start), binds and starts accepting. */
    static TlsListener open(GatehouseConfig.Tls config, XnioWorker worker, ChannelListener<StreamConnection> onConnection,
                            OptionMap socketOptions) throws IOException {
        Path certificateFile = Path.of(config.certificateFile());
        Path keyFile = Path.of(config.keyFile());
        Clock clock = Clock.systemUTC();
        TlsCredentials initial;
        try {
            initial = TlsCredentials.load(certificateFile, keyFile, clock.instant());
        } catch (TlsCredentials.LoadException e) {
            throw new IOException("tls: " + e.getMessage(), e);
        }
        initial.warnings().forEach(w -> log.warn("tls: {}", w));
        TlsKeyManager keys = new TlsKeyManager(initial);
        SSLContext context;
        try {
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(new KeyManager[] {keys}, null, null);
            context = TlsWatchedEngine.watching(jdk, new LogInterval(Duration.ofSeconds(30)));
        } catch (GeneralSecurityException e) {
            throw new IOException("tls: the JDK offers no TLS context: " + e.getMessage(), e);
        }
        // TLS records carry up to 16 KiB of plaintext plus overhead (RFC 8446 §5.2): 17 KiB buffers, as
        // Undertow's own default; bounded and without thread-local caches for the same reason as the plain pool.
        UndertowXnioSsl ssl = new UndertowXnioSsl(worker.getXnio(), OptionMap.EMPTY,
                new SlotBufferPool(true, 17 * 1024, 256), context);
        OptionMap options = OptionMap.builder().addAll(socketOptions)
                .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of("TLSv1.3", "TLSv1.2"))
                .set(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.NOT_REQUESTED)
                .getMap();
        InetSocketAddress address = HostPort.parse(config.listen()).toSocketAddress();
        AcceptingChannel<SslConnection> acceptor = ssl.createSslConnectionServer(worker, address,
                ChannelListeners.<SslConnection>openListenerAdapter(onConnection), options);

        TlsReloader reloader = new TlsReloader(certificateFile, keyFile, keys, clock);
        ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("gatehouse-tls-reload").daemon().factory());
        long every = config.reloadCheck().toMillis();
        reloads.scheduleWithFixedDelay(() -> {
            try {
                reloader.check();
            } catch (RuntimeException e) { // keep checking: a later write may fix it
                log.error("tls: checking {} and {} for changes failed", certificateFile, keyFile, e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        acceptor.resumeAccepts();
        log.info("tls: serving certificate {} from {}", initial.summary(), certificateFile);
        return new TlsListener(acceptor, reloads);
    }

    InetSocketAddress address() {
        return acceptor.getLocalAddress(InetSocketAddress.class);
    }

    /** Stops accepting and stops watching the files; open connections stay until the worker stops. */
    void stopAccepting() {
        reloads.shutdownNow();
        IoUtils.safeClose(acceptor);
    }
}
