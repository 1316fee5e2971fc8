#!/usr/bin/env python3
"""New-tunnel rate: each iteration = TCP connect to proxy, CONNECT, TLS handshake

Copied from the shared reference harness ../shared/bench/lib/connect_rate.py (unchanged unless noted);
part of Gatehouse's scripts/bench, which must not depend on ../shared at run time.
through the tunnel, one GET (full body read), close.  Bounded by --secs and --max.

With --proxy omitted it does the same thing straight to the TLS origin (reference).
Prints one line: CONNRESULT ok=.. errors=.. rate=.. p50_ms=.. p99_ms=..
"""
import argparse
import asyncio
import ssl
import statistics
import time


async def one(args, ctx):
    th, tp = args.target.rsplit(":", 1)
    if args.proxy:
        ph, pp = args.proxy.rsplit(":", 1)
        r, w = await asyncio.open_connection(ph, int(pp))
        w.write(f"CONNECT {args.target} HTTP/1.1\r\nHost: {args.target}\r\n\r\n".encode())
        await w.drain()
        head = await r.readuntil(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0]
        if b" 200" not in status:
            w.close()
            raise RuntimeError("CONNECT refused: %r" % status)
        await w.start_tls(ctx, server_hostname=args.sni)
    else:
        r, w = await asyncio.open_connection(th, int(tp), ssl=ctx, server_hostname=args.sni)
    w.write(f"GET {args.path} HTTP/1.1\r\nHost: {args.target}\r\nConnection: close\r\n\r\n".encode())
    await w.drain()
    head = await r.readuntil(b"\r\n\r\n")
    if b" 200" not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError("GET failed: %r" % head[:80])
    clen = None
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            clen = int(line.split(b":", 1)[1])
    if clen is None:
        raise RuntimeError("no content-length")
    await r.readexactly(clen)
    w.close()  # no wait_closed: we do not wait for TLS close_notify


async def worker(args, ctx, deadline, lat, errs, counter):
    while time.monotonic() < deadline and counter[0] < args.max:
        counter[0] += 1
        t0 = time.perf_counter()
        try:
            await asyncio.wait_for(one(args, ctx), timeout=args.timeout)
            lat.append(time.perf_counter() - t0)
        except Exception as e:  # noqa: BLE001 - count every failure
            errs.append(repr(e)[:120])


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proxy", default="", help="host:port of proxy; empty = direct TLS")
    ap.add_argument("--target", required=True, help="host:port of TLS origin")
    ap.add_argument("--sni", default="localhost")
    ap.add_argument("--path", default="/c/1k")
    ap.add_argument("--conc", type=int, default=50)
    ap.add_argument("--secs", type=float, default=8.0)
    ap.add_argument("--max", type=int, default=200000)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # self-signed origin; we measure cost, not trust

    lat, errs, counter = [], [], [0]
    t0 = time.monotonic()
    deadline = t0 + args.secs
    await asyncio.gather(*(worker(args, ctx, deadline, lat, errs, counter) for _ in range(args.conc)))
    elapsed = time.monotonic() - t0
    lat.sort()
    p = lambda q: (lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else float("nan")
    print("CONNRESULT ok=%d errors=%d elapsed_s=%.3f rate=%.1f p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f"
          % (len(lat), len(errs), elapsed, len(lat) / elapsed, p(0.50), p(0.99),
             (statistics.mean(lat) * 1000) if lat else float("nan")))
    if errs:
        print("CONNERRORS first=%s" % errs[0].replace(" ", "_"))


if __name__ == "__main__":
    asyncio.run(main())
