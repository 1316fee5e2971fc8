package dev.gatehouse.upstream.ftp;

import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;

/**
 * Opens FTP paths for the gateway: resolves and vets the host like the HTTP client (the control
 * connection goes only to an address the {@link DestinationGuard} allows), logs in, and finds out
 * whether the path is a directory or a file.
 *
 * <p>Data connections are passive and always go to the control connection's address: EPSV first (it
 * carries only a port), and for a PASV reply the address in it is ignored. A hostile server could
 * otherwise name any internal address there and make this proxy connect to it (FTP bounce).
 */
public final class FtpGateway {
    private final DestinationGuard guard;
    private final int connectTimeoutMillis;
    private final Duration readTimeout;

    public FtpGateway(DestinationGuard guard, Duration connectTimeout, Duration readTimeout) {
        this.guard = guard;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeout = readTimeout;
    }

    /**
     * Connects, logs in and looks {@code target} up. The caller must close the result.
     *
     * @throws FailureException DNS_FAILURE, DESTINATION_DENIED, CONNECT_REFUSED, CONNECT_TIMEOUT,
     *                          FTP_LOGIN_REFUSED, FTP_NOT_FOUND, UPSTREAM_TIMEOUT or UPSTREAM_CLOSED
     */
    public FtpFetch open(FtpTarget target) throws FailureException {
        List<InetAddress> addresses = guard.resolve(target.host(), target.port());
        FailureException last = null;
        for (InetAddress address : addresses) {
            FTPClient client;
            try {
                client = connect(address, target.port());
            } catch (FailureException e) {
                last = e;
                continue; // another address may answer
            }
            try {
                return lookUp(client, address, target);
            } catch (IOException e) {
                quit(client);
                throw failure(e, "FTP conversation with " + target.host() + " failed");
            } catch (FailureException | RuntimeException e) {
                quit(client);
                throw e;
            }
        }
        throw last;
    }

    private FTPClient connect(InetAddress address, int port) throws FailureException {
        FTPClient client = new FTPClient();
        client.setConnectTimeout(connectTimeoutMillis);
        client.setDefaultTimeout(Math.toIntExact(readTimeout.toMillis()));
        client.setDataTimeout(readTimeout);
        client.setUseEPSVwithIPv4(true);
        client.setPassiveNatWorkaroundStrategy(ignored -> client.getRemoteAddress().getHostAddress());
        try {
            client.connect(address, port);
        } catch (IOException e) {
            quit(client);
            // commons-net wraps a greeting that never came ("Timed out waiting for initial connect reply").
            Failure f = isTimeout(e) || isTimeout(e.getCause()) ? Failure.CONNECT_TIMEOUT : Failure.CONNECT_REFUSED;
            throw new FailureException(f, "cannot connect to FTP server " + address.getHostAddress() + ":" + port, e);
        }
        return client;
    }

    private FtpFetch lookUp(FTPClient client, InetAddress address, FtpTarget target) throws IOException, FailureException {
        if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
            throw new FailureException(Failure.UPSTREAM_CLOSED, "FTP server greeting: " + client.getReplyString().trim(), null);
        }
        client.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
        if (!client.login(target.user(), target.password())) {
            throw new FailureException(Failure.FTP_LOGIN_REFUSED, "login as " + target.user() + " refused", null);
        }
        client.enterLocalPassiveMode(); // after every connect (commons-net forgets it)
        client.setFileType(FTP.BINARY_FILE_TYPE);
        String path = target.serverPath(); // relative to the login directory (RFC 1738 §3.2.2)
        if (path.isEmpty() || client.changeWorkingDirectory(path)) {
            if (!target.isDirectoryPath()) return new FtpFetch.NeedsSlash(address, client);
            return new FtpFetch.Directory(address, client, list(client));
        }
        if (target.isDirectoryPath()) throw notFound(target);
        long size = -1;
        Instant modified = null;
        FTPFile info = client.hasFeature("MLST") ? client.mlistFile(path) : null;
        if (info != null) {
            if (info.isDirectory()) throw notFound(target); // a directory we may not enter
            size = info.getSize();
            modified = info.getTimestampInstant();
        } else {
            String reported = client.getSize(path);
            if (reported == null) throw notFound(target); // 550: no such file
            size = parseSize(reported);
            modified = client.mdtmInstant(path);
        }
        return new FtpFetch.File(address, client, path, size, modified);
    }

    /** The current directory's entries: MLSD when offered (exact sizes and times), else LIST (lossy dates). */
    private static List<FtpEntry> list(FTPClient client) throws IOException {
        FTPFile[] files = client.hasFeature("MLST") ? client.mlistDir() : client.listFiles();
        List<FtpEntry> out = new ArrayList<>(files.length);
        for (FTPFile f : files) {
            if (f == null || f.getName() == null) continue; // a line the parser could not read
            out.add(new FtpEntry(f.getName(), f.isDirectory(), f.getSize(), f.getTimestampInstant()));
        }
        return out;
    }

    private static long parseSize(String reported) {
        try {
            return Long.parseLong(reported.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static FailureException notFound(FtpTarget target) {
        return new FailureException(Failure.FTP_NOT_FOUND, "no such file or directory: " + target.path(), null);
    }

    /** Maps an I/O failure during the conversation: a timeout is 504, anything else 502. */
    public static FailureException failure(IOException e, String detail) {
        Failure f = isTimeout(e) ? Failure.UPSTREAM_TIMEOUT : Failure.UPSTREAM_CLOSED;
        return new FailureException(f, detail, e);
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof SocketTimeoutException;
    }

    /** Logs out and disconnects, ignoring failures (the server may already be gone). */
    static void quit(FTPClient client) {
        try {
            if (client.isConnected()) client.logout();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
