package dev.gatehouse.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Abandons response bodies that stall: the JDK client's timeout covers only the response header, so a
 * body read could otherwise block forever. One sweeper thread checks every watched stream's read in
 * progress and closes (and interrupts) the ones blocked longer than the read timeout; the read then fails.
 */
final class ReadWatchdog {
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-read-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long timeoutNanos;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

    ReadWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
        SWEEPER.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    InputStream watch(InputStream in) {
        Watched w = new Watched(in);
        watched.add(w);
        return w;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watched w : watched) {
            long since = w.readingSince;
            if (since != 0 && now - since > timeoutNanos) {
                w.timedOut = true;
                watched.remove(w);
                try {
                    w.delegate.close();
                } catch (IOException ignored) {
                    // closing is all we can do
                }
                Thread reader = w.reader;
                if (reader != null) reader.interrupt(); // a read blocked inside the JDK client wakes up
            }
        }
    }

    private final class Watched extends FilterInputStream {
        /** When the read in progress started, 0 when no read is in progress (a slow client is not a stall). */
        volatile long readingSince;
        volatile boolean timedOut;
        volatile Thread reader;

        final InputStream delegate;

        Watched(InputStream in) {
            super(in);
            this.delegate = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reader = Thread.currentThread();
            readingSince = System.nanoTime() | 1;
            try {
                int n = in.read(b, off, len);
                readingSince = 0;
                if (n < 0) watched.remove(this);
                return n;
            } catch (IOException e) {
                watched.remove(this);
                if (timedOut) {
                    Thread.interrupted(); // clear the sweeper's interrupt: the caller goes on with its error handling
                    throw new BodyReadTimeoutException();
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            watched.remove(this);
            in.close();
        }
    }

}
