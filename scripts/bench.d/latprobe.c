/*
 * latprobe: closed-loop HTTP/1.1 keep-alive latency probe for scripts/bench.
 *
 *   latprobe HOST PORT CONNS THREADS SECS TARGET HOSTHEADER
 *
 * CONNS connections spread over THREADS threads each send `GET TARGET` (absolute-form through a proxy,
 * origin-form straight to the origin), wait for the whole response (Content-Length framing only) and
 * send the next one at once, for SECS seconds. Every request's latency, from just before its write to
 * the last byte read, is kept (CLOCK_MONOTONIC, microseconds). Prints one line:
 *
 *   LATRESULT requests=N duration_s=S rps=R p50_ms= p90_ms= p99_ms= p999_ms= max_ms= over_1ms=
 *             wrk_p99_ms= wrk_p999_ms= errors=E
 *
 * Why, beside wrk: wrk 4 (Debian's 4.1.0) corrects its latency histogram for coordinated omission
 * (stats_correct in its stats.c). Each sample L larger than twice the expected interval
 * I = run time / requests per connection gets companions L-I, L-2I, ... down to I, the requests a
 * client sending at a fixed rate would have had to wait behind that one. At c=4 and ~40k req/s,
 * I is ~100 us, so one 4 ms stall on one connection becomes 40 samples, and wrk's p99 counts how
 * much stall time there was rather than what the 99th-slowest request in a hundred took. Both are worth
 * knowing; this probe reports the plain per-request percentiles and, from the same samples, the
 * percentiles after wrk's correction (wrk_p99_ms), so the two can be told apart in one run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536

typedef struct {
    int fd;
    unsigned long start_us;
    long head;      /* bytes of the header section, once complete */
    long want;      /* header + body bytes of the response, -1 until the header is in */
    long got;       /* bytes of this response read so far */
    long kept;      /* bytes held in buf (only the header section is kept) */
    char buf[BUF];
} conn;

typedef struct {
    int first, count;   /* connections [first, first + count) */
    unsigned *lat;      /* microseconds */
    long n, cap, errors;
} worker;

static struct sockaddr_in addr;
static char request[8192];
static int request_len;
static unsigned long end_us;

static unsigned long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long) t.tv_sec * 1000000UL + (unsigned long) t.tv_nsec / 1000;
}

static int open_conn(conn *c, int ep) {
    int one = 1;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *) &addr, sizeof addr) != 0) return -1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static int send_request(conn *c) {
    c->head = 0; c->want = -1; c->got = 0; c->kept = 0;
    c->start_us = now_us();
    return write(c->fd, request, request_len) == request_len ? 0 : -1;
}

/* Content-Length framing: the header section and its length, or -1 while incomplete or unframed. */
static long response_length(conn *c) {
    char *end = memmem(c->buf, c->kept, "\r\n\r\n", 4);
    if (!end) return -1;
    c->head = end + 4 - c->buf;
    char *p = memmem(c->buf, end + 2 - c->buf, "\r\n", 2); /* the end of the status line */
    while (p && p < end) {
        p += 2; /* the start of a field line */
        if (strncasecmp(p, "content-length:", 15) == 0) return c->head + atol(p + 15);
        p = memmem(p, end + 2 - p, "\r\n", 2);
    }
    return -2; /* no Content-Length: not something this probe can frame */
}

static void *run(void *arg) {
    worker *w = arg;
    int ep = epoll_create1(0);
    conn *cs = calloc(w->count, sizeof(conn));
    for (int i = 0; i < w->count; i++) {
        if (open_conn(&cs[i], ep) != 0 || send_request(&cs[i]) != 0) { perror("latprobe: connect"); exit(1); }
    }
    struct epoll_event evs[64];
    while (now_us() < end_us) {
        int k = epoll_wait(ep, evs, 64, 100);
        for (int j = 0; j < k; j++) {
            conn *c = evs[j].data.ptr;
            /* Once the header is in, the body is only counted: read it into the space after the header. */
            long room = c->want < 0 ? BUF - c->kept : BUF - c->head;
            ssize_t m = read(c->fd, c->buf + (c->want < 0 ? c->kept : c->head), room);
            if (m <= 0) {
                if (m < 0 && errno == EAGAIN) continue;
                w->errors++;
                close(c->fd);
                if (open_conn(c, ep) != 0 || send_request(c) != 0) { perror("latprobe: reconnect"); exit(1); }
                continue;
            }
            c->got += m;
            if (c->want < 0) {
                c->kept += m;
                c->want = response_length(c);
                if (c->want == -2 || (c->want == -1 && c->kept == BUF)) {
                    fprintf(stderr, "latprobe: response without Content-Length or with a header over %d bytes\n", BUF);
                    exit(1);
                }
            }
            if (c->want >= 0 && c->got >= c->want) {
                if (c->got > c->want) { fprintf(stderr, "latprobe: more bytes than the response's length\n"); exit(1); }
                unsigned long us = now_us();
                if (w->n < w->cap) w->lat[w->n++] = (unsigned) (us - c->start_us);
                if (send_request(c) != 0) w->errors++;
            }
        }
    }
    return NULL;
}

static int cmp(const void *a, const void *b) {
    unsigned x = *(const unsigned *) a, y = *(const unsigned *) b;
    return x < y ? -1 : x > y;
}

static double pct_of(const unsigned *sorted, long n, double p) {
    long i = (long) (n * p / 100.0);
    return sorted[i < n ? i : n - 1] / 1000.0;
}

/* Percentile after wrk 4's coordinated-omission correction (stats_correct), over a histogram in microseconds. */
static double wrk_pct(const long *hist, unsigned max, long total, double p) {
    long want = (long) (total * p / 100.0), acc = 0;
    for (unsigned v = 0; v <= max; v++) {
        acc += hist[v];
        if (acc > want) return v / 1000.0;
    }
    return max / 1000.0;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: latprobe HOST PORT CONNS THREADS SECS TARGET HOSTHEADER\n");
        return 2;
    }
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short) atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) { fprintf(stderr, "latprobe: bad IPv4 address %s\n", argv[1]); return 2; }
    int conns = atoi(argv[3]), threads = atoi(argv[4]);
    double secs = atof(argv[5]);
    if (conns < 1 || threads < 1 || threads > conns || secs <= 0) { fprintf(stderr, "latprobe: need CONNS >= THREADS >= 1, SECS > 0\n"); return 2; }
    request_len = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", argv[6], argv[7]);

    worker *ws = calloc(threads, sizeof(worker));
    pthread_t *ts = calloc(threads, sizeof(pthread_t));
    for (int i = 0, first = 0; i < threads; i++) {
        ws[i].count = conns / threads + (i < conns % threads);
        ws[i].first = first; first += ws[i].count;
        ws[i].cap = (long) (secs * 200000) + 1000; /* 200k req/s per thread is far above what loopback gives */
        ws[i].lat = malloc(sizeof(unsigned) * ws[i].cap);
        memset(ws[i].lat, 0, sizeof(unsigned) * ws[i].cap); /* fault the pages in before timing, not during */
    }
    unsigned long t0 = now_us();
    end_us = t0 + (unsigned long) (secs * 1e6);
    for (int i = 0; i < threads; i++) pthread_create(&ts[i], NULL, run, &ws[i]);
    long n = 0, errors = 0;
    for (int i = 0; i < threads; i++) { pthread_join(ts[i], NULL); n += ws[i].n; errors += ws[i].errors; }
    double elapsed = (now_us() - t0) / 1e6;
    if (n == 0) { printf("LATRESULT requests=0 errors=%ld\n", errors); return 1; }

    unsigned *all = malloc(sizeof(unsigned) * n);
    for (int i = 0, k = 0; i < threads; i++) { memcpy(all + k, ws[i].lat, sizeof(unsigned) * ws[i].n); k += ws[i].n; }
    qsort(all, n, sizeof(unsigned), cmp);
    long over = 0;
    for (long i = 0; i < n; i++) over += all[i] > 1000;

    /* wrk's rule: expected interval = run time / requests per connection. */
    unsigned max = all[n - 1];
    long interval = (long) (elapsed * 1e6 * conns / n);
    long *hist = calloc((size_t) max + 1, sizeof(long)), total = n;
    for (long i = 0; i < n; i++) hist[all[i]]++;
    if (interval > 0) {
        for (long v = 2 * interval; v <= (long) max; v++) {
            long count = hist[v];
            for (long m = v - interval; count && m > interval; m -= interval) { hist[m] += count; total += count; }
        }
    }
    printf("LATRESULT requests=%ld duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f"
           " over_1ms=%ld wrk_p99_ms=%.3f wrk_p999_ms=%.3f errors=%ld\n",
           n, elapsed, n / elapsed, pct_of(all, n, 50), pct_of(all, n, 90), pct_of(all, n, 99), pct_of(all, n, 99.9),
           max / 1000.0, over, wrk_pct(hist, max, total, 99), wrk_pct(hist, max, total, 99.9), errors);
    return 0;
}
