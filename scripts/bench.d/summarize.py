#!/usr/bin/env python3
"""Markdown summary of a scripts/bench raw results file (key=value lines).

Adapted from the shared reference harness ../shared/bench/lib/summarize.py: one table for all
scenarios (medians over rounds, ratios to direct, to Squid and to ATS taken within each round, then
the median of those), the idle-connection memory table, and pass/miss against Gatehouse's targets,
the ATS ones against ATS measured in the same run (its anchor ratios when it did not run).

usage: summarize.py RAWFILE [RAWFILE...]
"""
import statistics
import sys
from collections import defaultdict

# scenario -> (direct reference scenario, metric, unit, title)
SCEN = [
    ("miss_1k", "direct_1k", "rps", "req/s", "1 KiB no-store pass-through, wrk c={conc}"),
    ("miss_1k_c4", "direct_1k_c4", "rps", "req/s", "1 KiB no-store pass-through, wrk c={lowconc}"),
    ("tunnel_mbps", "direct_tls_mbps", "mbps", "Mbit/s", "HTTPS 10 MiB x {bulk_reps} through one CONNECT tunnel"),
    ("connect_rate", "direct_tls_rate", "rate", "tunnels/s", "new tunnels/s: CONNECT + TLS + GET 1 KiB + close, {connect_conc} loops"),
    ("hit_1k", "direct_hit_1k", "rps", "req/s", "1 KiB cacheable object, wrk c={conc}"),
    ("hit_1k_c4", "direct_hit_1k_c4", "rps", "req/s", "1 KiB cacheable object, wrk c={lowconc}"),
    ("hit_1k_c4_paced", "direct_hit_1k_c4_paced", "rps", "req/s", "1 KiB cacheable object, wrk c={lowconc}, {pace_ms} ms pause before each request"),
    ("hit_1k_c4_pinned", "direct_hit_1k_c4_pinned", "rps", "req/s", "1 KiB cacheable object, wrk c={lowconc} on CPU 0, the server on the other CPUs"),
    ("lat_1k_c4", "direct_lat_1k_c4", "rps", "req/s", "1 KiB cacheable object, latprobe c={lowconc}: per-request percentiles, no coordinated-omission correction"),
    ("hit_10m_mbps", "direct_10m_mbps", "mbps", "Mbit/s", "10 MiB cacheable object x {hit_bulk_reps}, one connection"),
    ("hit_100k", "direct_100k", "rps", "req/s", "100 KiB cacheable object, wrk c={conc}"),
]
PROXIES = ["gatehouse", "squid", "ats"]

TARGET_MISS_X_SQUID = 1.5
TARGET_TUNNEL_X_DIRECT = 0.9
TARGET_KB_PER_CONN = 10.0
TARGET_HIT_X_SQUID = 1.75
TARGET_HIT_P99_MS = 1.0
# Fallback when Apache Traffic Server did not run (or has no figure for the scenario): ATS 9.2's
# ratios to direct on this kind of machine, from the reference anchors run
# (shared/bench/RESULTS-anchors.md, main run), stand in for it.
ATS_X_DIRECT = {"hit_1k": 0.65, "hit_100k": 1.17, "hit_10m_mbps": 1.84}


def parse(paths):
    rows, meta = [], defaultdict(dict)
    for path in paths:
        with open(path) as f:
            for line in f:
                toks = line.split()
                if not toks:
                    continue
                d = dict(t.split("=", 1) for t in toks if "=" in t)
                if "=" in toks[0]:
                    rows.append(d)
                else:
                    meta[toks[0]].update(d)
                    if toks[0] in ("check", "warmup"):
                        meta.setdefault(toks[0] + "s", []).append(" ".join(toks[1:]))
    return rows, meta


def num(v):
    try:
        x = float(v)
        return None if x != x else x  # NaN -> None
    except (TypeError, ValueError):
        return None


def fmt(x, nd=None):
    if x is None:
        return "-"
    if nd is None:
        nd = 0 if abs(x) >= 100 else (1 if abs(x) >= 10 else 2)
    return f"{x:,.{nd}f}"


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def spread(vals):
    vals = [v for v in vals if v is not None]
    if len(vals) < 2:
        return "-"
    m = statistics.median(vals)
    return f"{fmt(min(vals))}–{fmt(max(vals))} (±{(max(vals) - min(vals)) / m * 50 if m else 0:.0f}%)"


def main():
    rows, meta = parse(sys.argv[1:])
    cfg = meta.get("config", {})
    data = defaultdict(dict)  # (scenario, proxy) -> round -> row
    errors = []
    for d in rows:
        if "scenario" in d and "round" in d:
            if "error" in d:
                errors.append(d)
            else:
                data[(d["scenario"], d["proxy"])][d["round"]] = d
    has_squid = any(p == "squid" for (_, p) in data)
    has_ats = any(p == "ats" for (_, p) in data)
    skipped = meta.get("skipped", {})  # proxy -> why it is not in this run

    def ratio(sc, p, ref_sc, ref_p, metric):
        rr = []
        for rnd, d in data.get((sc, p), {}).items():
            ref = data.get((ref_sc, ref_p), {}).get(rnd)
            x, y = num(d.get(metric)), num(ref.get(metric)) if ref else None
            if x is not None and y:
                rr.append(x / y)
        return statistics.median(rr) if rr else None

    print("# Gatehouse benchmark (scripts/bench)\n")
    for k in ("machine", "config", "versions", "done", "audit"):
        if meta.get(k):
            print(f"    {k} " + " ".join(f"{a}={b}" for a, b in meta[k].items()))
    print()
    if meta.get("checks"):
        print("Checks before the timed rounds: " + "; ".join(meta["checks"]) + "\n")
    if meta.get("warmups"):
        print("Untimed warm-up (miss_1k, then hit_1k when hits run; c=" + cfg.get("conc", "?") + "): " + "; ".join(meta["warmups"]) + "\n")
    if skipped:
        print("Not in this run: " + "; ".join(f"{p} ({why})" for p, why in skipped.items()) + "\n")
    if errors:
        print("**Errors:** " + "; ".join(" ".join(f"{k}={v}" for k, v in d.items()) for d in errors) + "\n")

    rounds = cfg.get("rounds", "?")
    print(f"## Throughput and latency (median of {rounds} interleaved rounds; × = median of per-round ratios)\n")
    print("| scenario | via | value | unit | min–max (±half-range) | p50 ms | p99 ms | proxy CPU % | proxy CPU µs/op | errors | closed by proxy | ×direct | ×squid | ×ats |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for sc, ref, metric, unit, title in SCEN:
        have = [p for p in PROXIES if (sc, p) in data]
        if not have:
            continue
        values = {k: cfg.get(k, "?") for k in ("conc", "lowconc", "bulk_reps", "connect_conc", "pace_ms")}
        values["hit_bulk_reps"] = cfg.get("hit_bulk_reps", values["bulk_reps"])  # runs before it had its own count
        title = title.format(**values)
        for p, s in [("direct", ref)] + [(p, sc) for p in have]:
            runs = list(data.get((s, p), {}).values())
            if not runs:
                continue
            vals = [num(d.get(metric)) for d in runs]
            label = p
            if sc.startswith("hit_") and p != "direct":
                hr = med([num(d.get("hit_ratio")) for d in runs])
                label += f" (hit ratio {max(0.0, hr):.2f})" if hr is not None else " (hit ratio -)"
            cpu_pct = med([num(d.get("proxy_cpu_pct")) for d in runs])
            if metric == "mbps":  # bulk: CPU seconds over the transfer time
                cpu_pct = med([num(d.get("proxy_cpu_s")) / num(d["secs"]) * 100 for d in runs
                               if num(d.get("proxy_cpu_s")) is not None and num(d.get("secs"))])
            us = None
            if metric in ("rps", "rate"):
                us = med([num(d.get("proxy_cpu_pct")) / 100 / num(d[metric]) * 1e6 for d in runs
                          if num(d.get("proxy_cpu_pct")) is not None and num(d.get(metric))])
            err = sum(int(num(d.get(k)) or 0) for d in runs
                      for k in ("err_connect", "err_write", "err_status", "err_timeout", "errors"))
            closed = sum(int(num(d.get("err_read")) or 0) for d in runs)
            p50 = med([num(d.get("p50_ms")) for d in runs])
            p99 = med([num(d.get("p99_ms")) for d in runs])
            rd = 1.0 if p == "direct" else ratio(s, p, ref, "direct", metric)
            rs = ratio(s, p, sc, "squid", metric) if p not in ("direct", "squid") else None
            ra = ratio(s, p, sc, "ats", metric) if p not in ("direct", "ats") else None
            first = f"{sc}: {title}" if p == "direct" else ""
            print(f"| {first} | {label} | {fmt(med(vals))} | {unit} | {spread(vals)} | {fmt(p50)} | {fmt(p99)} "
                  f"| {fmt(cpu_pct, 0) if p != 'direct' else '-'} | {fmt(us, 0) if p != 'direct' else '-'} "
                  f"| {err} | {closed if metric == 'rps' else '-'} | {fmt(rd, 3)} | {fmt(rs, 3)} | {fmt(ra, 3)} |")
    print()

    rss_have = [p for p in PROXIES if ("idle_rss", p) in data]
    if rss_have:
        print(f"## idle_rss: resident memory while holding {cfg.get('hold_conns', '?')} idle keep-alive client connections\n")
        print("Round 1 is the clean figure (later rounds start from memory kept after the previous hold).\n")
        print("| proxy | RSS at start MiB | idle MiB (r1) | held MiB (r1) | KiB per conn (r1) | KiB per conn, all rounds "
              "| live Java heap KiB per conn (after GC; ±0.5: jcmd reports whole MiB), all rounds | held/failed | still open after 3 s | RSS at end MiB (anon + shmem) |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for p in rss_have:
            rr = data[("idle_rss", p)]
            r1 = rr[min(rr, key=int)]
            st = [num(d["rss_kb"]) for d in rows if d.get("scenario") == "rss_start" and d.get("proxy") == p]
            per_all = ", ".join(fmt(num(rr[k]["per_conn_kb"])) for k in sorted(rr, key=int))
            heap_all = ", ".join(fmt(num(rr[k].get("per_conn_heap_kb"))) for k in sorted(rr, key=int))
            end = [d for d in rows if d.get("scenario") == "rss_end" and d.get("proxy") == p]
            end_s = "-"
            if end:
                e = end[0]
                end_s = fmt(num(e["rss_kb"]) / 1024)
                if num(e.get("rssanon_kb")) is not None:
                    end_s += f" ({fmt(num(e['rssanon_kb']) / 1024)} + {fmt(num(e.get('rssshmem_kb')) / 1024)})"
                if e.get("heap_used"):
                    end_s += f"; heap used {e['heap_used']} of {e.get('heap_capacity', '?')} committed"
            print(f"| {p} | {fmt(st[0] / 1024) if st else '-'} | {fmt(num(r1['idle_kb']) / 1024)} "
                  f"| {fmt(num(r1['held_kb']) / 1024)} | {fmt(num(r1['per_conn_kb']))} | {per_all} | {heap_all if p == 'gatehouse' else '-'} "
                  f"| {r1['held']}/{r1['failed']} | {r1.get('alive_after', '-')} | {end_s} |")
        print()

    # ---- targets
    print("## Targets\n")
    print("| target | goal | measured | result |")
    print("|---|---|---|---|")

    def verdict(x, goal, higher_is_better=True):
        if x is None:
            return "n/a"
        ok = x >= goal if higher_is_better else x <= goal
        if ok:
            return f"**PASS** ({(x / goal - 1) * 100:+.0f}% vs goal)" if higher_is_better else \
                   f"**PASS** ({(1 - x / goal) * 100:.0f}% under the goal)"
        if higher_is_better:
            return f"**MISS** by {(1 - x / goal) * 100:.0f}% (needs ×{goal / x:.2f} more)" if x > 0 else "**MISS**"
        return f"**MISS** by {(x / goal - 1) * 100:.0f}% (×{x / goal:.2f} the goal)"

    no_squid = f"n/a (Squid not in this run: {skipped.get('squid', 'no figures')})"
    g = med([num(d.get("rps")) for d in data.get(("miss_1k", "gatehouse"), {}).values()])
    s = med([num(d.get("rps")) for d in data.get(("miss_1k", "squid"), {}).values()])
    x = ratio("miss_1k", "gatehouse", "miss_1k", "squid", "rps")
    print(f"| 1 KiB uncacheable pass-through, c={cfg.get('conc', '?')}, vs Squid | ≥ {TARGET_MISS_X_SQUID}× Squid req/s "
          f"| {fmt(x, 2) + '× (' + fmt(g) + ' vs ' + fmt(s) + ' req/s)' if x else ('no Squid in this run' if not has_squid else '-')} "
          f"| {verdict(x, TARGET_MISS_X_SQUID) if has_squid else no_squid} |")
    x = ratio("tunnel_mbps", "gatehouse", "direct_tls_mbps", "direct", "mbps")
    g = med([num(d.get("mbps")) for d in data.get(("tunnel_mbps", "gatehouse"), {}).values()])
    dd = med([num(d.get("mbps")) for d in data.get(("direct_tls_mbps", "direct"), {}).values()])
    print(f"| CONNECT bulk throughput vs direct TLS | ≥ {TARGET_TUNNEL_X_DIRECT}× direct "
          f"| {fmt(x, 2) + '× (' + fmt(g) + ' vs ' + fmt(dd) + ' Mbit/s)' if x else '-'} | {verdict(x, TARGET_TUNNEL_X_DIRECT)} |")
    rr = data.get(("idle_rss", "gatehouse"), {})
    x = num(rr[min(rr, key=int)]["per_conn_kb"]) if rr else None
    print(f"| RSS per idle keep-alive connection ({cfg.get('hold_conns', '?')} held, round 1) | ≤ {TARGET_KB_PER_CONN:g} KiB "
          f"| {fmt(x) + ' KiB' if x is not None else '-'} | {verdict(x, TARGET_KB_PER_CONN, False)} |")
    ats_v = meta.get("versions", {}).get("ats", "none")
    for sc, metric, unit, label in (("hit_1k", "rps", "req/s", "1 KiB hits"), ("hit_100k", "rps", "req/s", "100 KiB hits"),
                                    ("hit_10m_mbps", "mbps", "Mbit/s", "10 MiB hit, one connection")):
        x = ratio(sc, "gatehouse", sc, "ats", metric)
        if x is not None:  # ATS measured in the same rounds
            g = med([num(d.get(metric)) for d in data.get((sc, "gatehouse"), {}).values()])
            a = med([num(d.get(metric)) for d in data.get((sc, "ats"), {}).values()])
            print(f"| {label} vs ATS {ats_v}, measured in this run | ≥ ATS {unit} "
                  f"| {fmt(x, 2)}× ATS ({fmt(g)} vs {fmt(a)} {unit}) | {verdict(x, 1.0)} |")
            continue
        if "ats" in skipped:
            why = f"skipped: {skipped['ats']}"
        elif not any(k[0] == sc for k in data):
            why = f"{sc} not in this run's scenarios"
        else:
            why = f"no ATS figure for {sc}" if has_ats else "not run"
        direct_sc = dict((r[0], r[1]) for r in SCEN).get(sc)
        x = ratio(sc, "gatehouse", direct_sc, "direct", metric) if direct_sc else None
        print(f"| {label} vs ATS 9.2: ATS not measured in this run ({why}), its ×direct from the anchors run stands in "
              f"| ≥ {ATS_X_DIRECT[sc]}× direct | {fmt(x, 2) + '× direct' if x else '-'} | {verdict(x, ATS_X_DIRECT[sc])} |")
    x = ratio("hit_1k", "gatehouse", "hit_1k", "squid", "rps")
    print(f"| 1 KiB hits vs Squid, c={cfg.get('conc', '?')} | ≥ {TARGET_HIT_X_SQUID}× Squid "
          f"| {fmt(x, 2) + '×' if x else '-'} | {verdict(x, TARGET_HIT_X_SQUID) if has_squid else no_squid} |")
    def p99_of(sc, p):
        return med([num(d.get("p99_ms")) for d in data.get((sc, p), {}).values()])
    def p99_line(sc):
        others = ", ".join(f"{name} {fmt(v, 2)} ms" for name, v in (
            ("ATS", p99_of(sc, "ats")), ("Squid", p99_of(sc, "squid")), ("direct", p99_of("direct_" + sc, "direct")))
            if v is not None)
        p99 = p99_of(sc, "gatehouse")
        return p99, f"{fmt(p99, 2) + ' ms' if p99 is not None else '-'}{' (' + others + ')' if others else ''}"
    p99, line = p99_line("hit_1k_c4")
    print(f"| 1 KiB hit p99 at c={cfg.get('lowconc', '?')} | ≤ {TARGET_HIT_P99_MS:g} ms | {line} "
          f"| {verdict(p99, TARGET_HIT_P99_MS, False)} |")
    p99, line = p99_line("hit_1k_c4_paced")
    if p99 is not None:
        print(f"| (context) 1 KiB hit p99 at c={cfg.get('lowconc', '?')}, {cfg.get('pace_ms', '?')} ms pause before each "
              f"request | - | {line} | informational: the proxy's latency when the box is not saturated |")
    p99, line = p99_line("hit_1k_c4_pinned")
    if p99 is not None:
        print(f"| (context) 1 KiB hit p99 at c={cfg.get('lowconc', '?')}, wrk on CPU 0 and the server on the others "
              f"| - | {line} | informational: the same load without the client and the server taking each other's CPU |")
    lat = {p: data.get(("lat_1k_c4" if p != "direct" else "direct_lat_1k_c4", p), {}).values()
           for p in ["gatehouse", "squid", "ats", "direct"]}
    if lat["gatehouse"]:
        def both(p):
            return (f"{p} {fmt(med([num(d.get('p99_ms')) for d in lat[p]]), 2)} / "
                    f"{fmt(med([num(d.get('wrk_p99_ms')) for d in lat[p]]), 2)} ms")
        print(f"| (context) 1 KiB hit p99 at c={cfg.get('lowconc', '?')} by latprobe: per request / after wrk's "
              f"coordinated-omission correction of the same samples | - | {', '.join(both(p) for p in lat if lat[p])} "
              "| informational: wrk's p99 (the target's) counts stall time; the per-request p99 ranks requests |")
    def cpu_us(p):
        return med([num(d.get("proxy_cpu_pct")) / 100 / num(d["rps"]) * 1e6 for d in data.get(("miss_1k", p), {}).values()
                    if num(d.get("proxy_cpu_pct")) is not None and num(d.get("rps"))])
    gu, su = cpu_us("gatehouse"), cpu_us("squid")
    if gu and su:
        print(f"| (context) proxy CPU per forwarded 1 KiB request, c={cfg.get('conc', '?')} | - | {fmt(gu)} µs vs Squid {fmt(su)} µs "
              f"(×{gu / su:.2f}) | informational: the figure least disturbed by other load on the box |")
    print()
    load_s = meta.get("machine", {}).get("loadavg_start", "?")
    load_e = meta.get("done", {}).get("loadavg_end", "?")
    print(f"Load average (1/5/15 min) at start {load_s}, at end {load_e} on {meta.get('machine', {}).get('nproc', '?')} CPUs: "
          "wrk, nginx, the proxies and the Python clients share them, so compare ratios within this run.")


if __name__ == "__main__":
    main()
