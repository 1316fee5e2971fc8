package dev.gatehouse.upstream.ftp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;

/**
 * What an FTP path turned out to be, with the logged-in control connection it was found on. The caller
 * must close it (which logs out); it belongs to one thread, like the {@link FTPClient} inside.
 */
public sealed interface FtpFetch extends AutoCloseable {
    /** The vetted address the control connection went to (for the audit record). */
    InetAddress address();

    @Override
    void close();

    /** A directory named without its trailing slash: the client is sent to the slash form. */
    record NeedsSlash(InetAddress address, FTPClient client) implements FtpFetch {
        @Override
        public void close() {
            FtpGateway.quit(client);
        }
    }

    /** A directory and its entries. */
    record Directory(InetAddress address, FTPClient client, List<FtpEntry> entries) implements FtpFetch {
        @Override
        public void close() {
            FtpGateway.quit(client);
        }
    }

    /**
     * A file.
     *
     * @param size     bytes, or -1 when the server did not say
     * @param modified null when the server did not say
     */
    record File(InetAddress address, FTPClient client, String path, long size, Instant modified) implements FtpFetch {
        /**
         * Starts the transfer (RETR). Closing the stream ends the transfer and reads the server's final
         * reply ({@code completePendingCommand}, which commons-net requires after the stream).
         *
         * @return null if the server refused the transfer (550: not a readable file)
         */
        public InputStream open() throws IOException {
            InputStream data = client.retrieveFileStream(path);
            if (data == null) return null;
            return new FilterInputStream(data) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (closed) return;
                    closed = true;
                    super.close();
                    client.completePendingCommand();
                }
            };
        }

        /** The content type guessed from the file name (FTP has none). */
        public String contentType() {
            return ContentTypes.forName(path.substring(path.lastIndexOf('/') + 1));
        }

        /** The server's last reply code (550 after a refused {@link #open()}). */
        public int replyCode() {
            return client.getReplyCode();
        }

        @Override
        public void close() {
            FtpGateway.quit(client);
        }
    }
}
