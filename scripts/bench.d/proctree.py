#!/usr/bin/env python3
"""Resource accounting for a process and all its descendants (Linux /proc).

Copied from the shared reference harness ../shared/bench/lib/proctree.py (unchanged unless noted);
part of Gatehouse's scripts/bench, which must not depend on ../shared at run time.

  proctree.py rss ROOTPID   -> total VmRSS in KiB
  proctree.py cpu ROOTPID   -> total utime+stime in seconds (float)
  proctree.py pids ROOTPID  -> space-separated pids
"""
import os
import sys


def children_map():
    m = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        ppid = int(s[s.rindex(")") + 2:].split()[1])
        m.setdefault(ppid, []).append(int(d))
    return m


def tree(root):
    m = children_map()
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(m.get(p, []))
    return out


def rss_kb(pids):
    tot = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        tot += int(line.split()[1])
        except OSError:
            pass
    return tot


def cpu_s(pids):
    tck = os.sysconf("SC_CLK_TCK")
    tot = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                s = f.read()
        except OSError:
            continue
        fields = s[s.rindex(")") + 2:].split()
        tot += int(fields[11]) + int(fields[12])  # utime, stime
    return tot / tck


if __name__ == "__main__":
    what, root = sys.argv[1], int(sys.argv[2])
    pids = tree(root)
    if what == "rss":
        print(rss_kb(pids))
    elif what == "cpu":
        print("%.2f" % cpu_s(pids))
    else:
        print(" ".join(map(str, pids)))
