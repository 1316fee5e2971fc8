#!/usr/bin/env python3
"""Memory cost of idle keep-alive clients.

Copied from the shared reference harness ../shared/bench/lib/hold_conns.py (unchanged unless noted);
part of Gatehouse's scripts/bench, which must not depend on ../shared at run time.

Measures RSS of the proxy process tree while idle, then opens N client
connections to the proxy, sends one keep-alive absolute-form GET on each,
reads the full response, keeps the connections open and idle, waits, and
measures RSS again.  Then closes everything.  Bounded by --timeout.

Prints: RSSRESULT idle_kb=.. held_kb=.. held=.. failed=.. per_conn_kb=.. alive_after=..

Gatehouse addition: --gc-cmd CMD runs CMD while the connections are still held, and again after
they are closed; CMD makes a JVM collect garbage and print its heap use (a line with "used 123M",
as `jcmd PID GC.heap_info` prints).  per_conn_heap_kb = (heap used while held - heap used after
closing) / held is the Java heap the held connections keep alive, as opposed to garbage the JVM
has not collected yet (a JVM's RSS does not shrink after a collection, so RSS cannot show this).
"""
import re
import shlex
import subprocess
import argparse
import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import proctree  # noqa: E402


async def open_one(args, sem, conns, fails):
    ph, pp = args.proxy.rsplit(":", 1)
    auth = args.url.split("/")[2]
    async with sem:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(ph, int(pp)), args.timeout)
            w.write(f"GET {args.url} HTTP/1.1\r\nHost: {auth}\r\n\r\n".encode())
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), args.timeout)
            clen = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    clen = int(line.split(b":", 1)[1])
            await asyncio.wait_for(r.readexactly(clen), args.timeout)
            conns.append((r, w))
        except Exception as e:  # noqa: BLE001
            fails.append(repr(e)[:100])


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--open-conc", type=int, default=100)
    ap.add_argument("--settle", type=float, default=3.0)
    ap.add_argument("--timeout", type=float, default=15.0)
    ap.add_argument("--gc-cmd", default="", help="command that makes the proxy collect garbage")
    args = ap.parse_args()

    idle = proctree.rss_kb(proctree.tree(args.pid))
    conns, fails = [], []
    sem = asyncio.Semaphore(args.open_conc)
    t0 = time.monotonic()
    await asyncio.gather(*(open_one(args, sem, conns, fails) for _ in range(args.n)))
    open_s = time.monotonic() - t0
    await asyncio.sleep(args.settle)
    held = proctree.rss_kb(proctree.tree(args.pid))
    alive = sum(1 for r, _ in conns if not r.at_eof())
    extra = ""

    def heap_used_kb():
        out = subprocess.run(shlex.split(args.gc_cmd), capture_output=True, text=True, timeout=60).stdout
        m = re.search(r"used (\d+)([KMG])", out)
        return int(m.group(1)) * {"K": 1, "M": 1024, "G": 1048576}[m.group(2)] if m else None

    if args.gc_cmd:
        held_heap = heap_used_kb()
    for _, w in conns:
        w.close()
    if args.gc_cmd:
        await asyncio.sleep(2.0)
        closed_heap = heap_used_kb()
        if held_heap is not None and closed_heap is not None and conns:
            extra = " held_heap_kb=%d closed_heap_kb=%d per_conn_heap_kb=%.1f" % (
                held_heap, closed_heap, (held_heap - closed_heap) / len(conns))
    per = (held - idle) / len(conns) if conns else float("nan")
    print("RSSRESULT idle_kb=%d held_kb=%d held=%d failed=%d per_conn_kb=%.1f alive_after=%d open_s=%.2f%s"
          % (idle, held, len(conns), len(fails), per, alive, open_s, extra))
    if fails:
        print("RSSERRORS first=%s" % fails[0].replace(" ", "_"))


if __name__ == "__main__":
    asyncio.run(main())
