package dev.gatehouse.audit;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** How syslog messages reach the collector: one connection (TCP) or socket (UDP), used by one sender thread. */
interface SyslogTransport extends Closeable {

    /** Sends bytes {@code 0} to {@code length} of {@code message}, one RFC 5424 message. */
    void send(byte[] message, int length) throws IOException;

    /** Pushes out what is buffered; called whenever the queue runs empty. */
    void flush() throws IOException;

    /** Closing from another thread ends a {@link #send} blocked on a collector that stopped reading. */
    @Override
    void close() throws IOException;

    /** TCP with octet-counting framing (RFC 6587 §3.4.1), the framing RFC 5425 also uses over TLS. */
    final class Tcp implements SyslogTransport {
        private final Socket socket;
        private final OutputStream out;

        private Tcp(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        static Tcp connect(InetSocketAddress collector, int timeoutMillis) throws IOException {
            Socket socket = new Socket();
            try {
                socket.setKeepAlive(true); // a collector that vanished without a FIN is found out eventually
                socket.connect(collector, timeoutMillis);
                return new Tcp(socket);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        @Override
        public void send(byte[] message, int length) throws IOException {
            writeFramed(out, message, length);
        }

        /**
         * RFC 6587 §3.4.1: {@code MSG-LEN SP SYSLOG-MSG}, the length in octets as decimal ASCII, no trailer. Unlike
         * newline framing, a message may hold any byte, and a collector never splits one record in two.
         */
        static void writeFramed(OutputStream out, byte[] message, int length) throws IOException {
            out.write((length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(message, 0, length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * UDP, one datagram per message (RFC 5426 §3.1), cut to {@link #MAX_MESSAGE_BYTES}. RFC 5426 §3.2 asks receivers
     * to take at least 480 octets and says they SHOULD take 2048; 8 KiB is what rsyslog accepts by default
     * ({@code maxMessageSize}) and keeps most audit lines, long URLs included, whole. A datagram that size is
     * fragmented off loopback, so TCP is the better choice past the local network.
     */
    final class Udp implements SyslogTransport {
        static final int MAX_MESSAGE_BYTES = 8192;
        private final DatagramSocket socket;
        private final InetSocketAddress collector;

        private Udp(DatagramSocket socket, InetSocketAddress collector) {
            this.socket = socket;
            this.collector = collector;
        }

        static Udp open(InetSocketAddress collector) throws IOException {
            if (collector.isUnresolved()) throw new IOException("cannot resolve " + collector.getHostString());
            return new Udp(new DatagramSocket(), collector);
        }

        @Override
        public void send(byte[] message, int length) throws IOException {
            socket.send(new DatagramPacket(message, cut(message, length, MAX_MESSAGE_BYTES), collector));
        }

        /** {@code length}, or at most {@code max} bytes ending on a whole UTF-8 character. */
        static int cut(byte[] message, int length, int max) {
            if (length <= max) return length;
            int end = max;
            while (end > 0 && (message[end] & 0xC0) == 0x80) end--; // message[end] continues the character before it
            return end;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
