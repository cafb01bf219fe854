#!/usr/bin/env python3
"""Turns bench/run.sh's results.jsonl into the result tables of docs/benchmarks.md.

Each input line: {"label", "server", "run", "exit", "result": <the load tool's JSON line>}.
Medians are taken over the runs of one (label, server); ratios are ArqonBus / floor (or
ArqonBus / Socket.IO, ArqonBus / NATS). The tables replace what lies between the markers
<!-- bench:results:begin --> and <!-- bench:results:end --> in the target file.
"""
import argparse
import datetime
import json
import os
import sys

import stats
from stats import fmt, med, ratio, value

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"


def load(path):
    return stats.load(path, "label", "server")


def per_run(a, f, *keys):
    """ArqonBus / floor for each run, in run order (run i of one against run i of the other)."""
    return ", ".join(fmt(ratio(value(x, keys), value(y, keys)), 2) for x, y in zip(a, f)) or "–"


def verdict(value, target, higher_is_better=True):
    if value is None:
        return "–"
    ok = value >= target if higher_is_better else value <= target
    return "yes" if ok else "**no**"


def render(runs, machine, command, measured):
    out = []
    date = measured.strftime("%Y-%m-%d %H:%M UTC")
    count = max((len(v) for v in runs.values()), default=0)
    out.append(f"Measured {date} by `{command}` on {machine}. Server pinned to one CPU with one I/O thread, the load tool "
               f"on the other CPU; medians of {count} run(s) per cell, servers started fresh and alternated.")
    out.append("")

    def get(label, server):
        return runs.get((label, server), [])

    out.append("### Targets")
    out.append("")
    out.append("The ratio is of the medians, and the target is judged on it; the per-run ratios (run 1 of ArqonBus against run 1 "
               "of the floor, and so on) show the spread between whole runs on the machine.")
    out.append("")
    out.append("| workload | figure | ArqonBus | floor | ratio | per-run ratios | target | met |")
    out.append("|---|---|---|---|---|---|---|---|")
    for label, target in (("fan-out 1x1000 max", 0.85), ("fan-out 1x100 max", 0.75), ("many-channels 100x10 max", 0.60)):
        a, f = get(label, "arqonbus"), get(label, "floor")
        for name, key in (("deliveries/s", "deliveries_per_s"), ("deliveries per server CPU-s", "deliveries_per_server_cpu_s")):
            ma, mf = med(a, key), med(f, key)
            r = ratio(ma, mf)
            out.append(f"| {label} | {name} | {fmt(ma)} | {fmt(mf)} | {fmt(r, 2)} | {per_run(a, f, key)} | ≥ {target:.2f} "
                       f"| {verdict(r, target)} |")
    a, f = get("fan-out 1x1000 max", "arqonbus"), get("fan-out 1x1000 max, floor frames as long as ArqonBus's", "floor")
    if f:
        for name, key in (("deliveries/s", "deliveries_per_s"), ("deliveries per server CPU-s", "deliveries_per_server_cpu_s")):
            ma, mf = med(a, key), med(f, key)
            r = ratio(ma, mf)
            out.append(f"| fan-out 1x1000 max, floor frames padded to ArqonBus's size (explains the row above) | {name} | "
                       f"{fmt(ma)} | {fmt(mf)} | {fmt(r, 2)} | {per_run(a, f, key)} | (≥ 0.85) | {verdict(r, 0.85)} |")
    label = "fan-out 1x1000 at 20000/s"
    a, f = get(label, "arqonbus"), get(label, "floor")
    pa, pf = med(a, "latency_us", "p99"), med(f, "latency_us", "p99")
    r = ratio(pa, pf)
    out.append(f"| {label} | p99 latency µs | {fmt(pa)} | {fmt(pf)} | {fmt(r, 2)} | {per_run(a, f, 'latency_us', 'p99')} "
               f"| ≤ 1.25 | {verdict(r, 1.25, False)} |")
    la, lf = med(a, "lost"), med(f, "lost")
    out.append(f"| {label} | lost (median) | {fmt(la)} | {fmt(lf)} | | | 0 | {verdict(la, 0, False) if la is not None else '–'} |")
    label = "connections 19000"
    a, f = get(label, "arqonbus"), get(label, "floor")
    ha, hf = med(a, "held"), med(f, "held")
    out.append(f"| 19,000 idle connections | held for the whole hold | {fmt(ha)} | {fmt(hf)} | | | 19,000 | {verdict(ha, 19000)} |")
    ra, rf = med(a, "server_rss_per_connection_bytes"), med(f, "server_rss_per_connection_bytes")
    r = ratio(ra, rf)
    out.append(f"| 19,000 idle connections | server RSS per connection, bytes | {fmt(ra)} | {fmt(rf)} | {fmt(r, 2)} "
               f"| {per_run(a, f, 'server_rss_per_connection_bytes')} | ≤ 1.50 | {verdict(r, 1.5, False)} |")
    label = "fan-out 1x1000 max"
    s = get(label, "socketio")
    ma, ms = med(get(label, "arqonbus"), "deliveries_per_s"), med(s, "deliveries_per_s")
    r = ratio(ma, ms)
    out.append(f"| vs Socket.IO 4, fan-out 1x1000 | deliveries/s (ArqonBus / Socket.IO {fmt(ms)}) | {fmt(ma)} | | {fmt(r, 1)} | "
               f"| ≥ 5 | {verdict(r, 5)} |")
    out.append("")

    if any(server == "floor-path" for (_, server) in runs):
        out.append("### Against the path-routing floor")
        out.append("")
        out.append("The path-routing floor (`bench floor --mode path`) never reads a frame: its connection's URL path is its "
                   "channel. The goals are judged against it; the scanning floor's ratio is beside it.")
        out.append("")
        out.append("| workload | figure | ArqonBus | path floor | ratio | per-run ratios | ratio to the scanning floor | goal | met |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for label, goal in (("fan-out 1x1000 max", 0.9), ("fan-out 1x100 max", 0.9), ("many-channels 100x10 max", 0.7)):
            a, p, f = get(label, "arqonbus"), get(label, "floor-path"), get(label, "floor")
            key = "deliveries_per_server_cpu_s"
            ma, mp, mf = med(a, key), med(p, key), med(f, key)
            r = ratio(ma, mp)
            out.append(f"| {label} | deliveries per server CPU-s | {fmt(ma)} | {fmt(mp)} | {fmt(r, 2)} | {per_run(a, p, key)} "
                       f"| {fmt(ratio(ma, mf), 2)} | ≥ {goal:.2f} | {verdict(r, goal)} |")
        for label in ("fan-out 1x100 at 20000/s", "fan-out 1x1000 at 20000/s"):
            a, p, f = get(label, "arqonbus"), get(label, "floor-path"), get(label, "floor")
            if not a and not p:
                continue
            pa, pp, pf = med(a, "latency_us", "p99"), med(p, "latency_us", "p99"), med(f, "latency_us", "p99")
            r = ratio(pa, pp)
            out.append(f"| {label} | p99 latency µs | {fmt(pa)} | {fmt(pp)} | {fmt(r, 2)} | {per_run(a, p, 'latency_us', 'p99')} "
                       f"| {fmt(ratio(pa, pf), 2)} | ≤ 1.25 | {verdict(r, 1.25, False)} |")
        out.append("")

    if any(server == "nats" for (_, server) in runs):
        out.append("### Against NATS")
        out.append("")
        out.append("Core NATS (Debian's `nats-server`, pinned to the server CPU with `GOMAXPROCS=1`) in the same run; "
                   "the ratios are ArqonBus ÷ NATS and ArqonBus ÷ the path-routing floor, of the medians.")
        out.append("")
        out.append("| workload | figure | ArqonBus | NATS | path floor | ArqonBus ÷ NATS | ArqonBus ÷ path floor | per-run ÷ NATS | goal ÷ NATS | met |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for label, goal in (("fan-out 1x1000 max", None), ("fan-out 1x100 max", None), ("many-channels 100x10 max", 1.3)):
            a, n, p = get(label, "arqonbus"), get(label, "nats"), get(label, "floor-path")
            for name, key in (("deliveries/s", "deliveries_per_s"), ("deliveries per server CPU-s", "deliveries_per_server_cpu_s")):
                ma, mn, mp = med(a, key), med(n, key), med(p, key)
                r = ratio(ma, mn)
                judged = goal is not None and key == "deliveries_per_server_cpu_s"
                out.append(f"| {label} | {name} | {fmt(ma)} | {fmt(mn)} | {fmt(mp)} | {fmt(r, 2)} | {fmt(ratio(ma, mp), 2)} "
                           f"| {per_run(a, n, key)} | {'≥ %.2f' % goal if judged else ''} | {verdict(r, goal) if judged else ''} |")
        out.append("")

    rated = [label for label in ("fan-out 1x100 at 20000/s", "fan-out 1x1000 at 20000/s") if any(l == label for (l, _) in runs)]
    if rated:
        out.append("### Tail latency at 20,000 deliveries/s")
        out.append("")
        out.append("Publisher timestamp to subscriber arrival, medians of the runs' percentiles (µs). Goal: ArqonBus's p99 "
                   "≤ 1.25 × the path-routing floor's and below every peer's (NATS, Socket.IO) in the same run.")
        out.append("")
        out.append("| workload | server | p50 µs | p99 µs | p99.9 µs | max µs | lost | p99 ÷ path floor | ArqonBus p99 ÷ this p99 |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for label in rated:
            pa = med(get(label, "arqonbus"), "latency_us", "p99")
            pp = med(get(label, "floor-path"), "latency_us", "p99")
            for server in ("arqonbus", "floor-path", "floor", "nats", "socketio"):
                r = get(label, server)
                if not r:
                    continue
                p99 = med(r, "latency_us", "p99")
                out.append(f"| {label} | {server} | {fmt(med(r, 'latency_us', 'p50'))} | {fmt(p99)} | "
                           f"{fmt(med(r, 'latency_us', 'p999'))} | {fmt(med(r, 'latency_us', 'max'))} | {fmt(med(r, 'lost'))} | "
                           f"{fmt(ratio(p99, pp), 2)} | {fmt(ratio(pa, p99), 2) if server != 'arqonbus' else ''} |")
        out.append("")

    out.append("### Every figure (medians)")
    out.append("")
    out.append("| workload | server | deliveries/s | deliveries per server CPU-s | server CPU use | p50 µs | p99 µs | p99.9 µs | max µs | lost | duplicates |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for (label, server), results in sorted(runs.items()):
        if label.startswith("connections") or label.startswith("durable"):
            continue
        out.append(f"| {label} | {server} | {fmt(med(results, 'deliveries_per_s'))} | "
                   f"{fmt(med(results, 'deliveries_per_server_cpu_s'))} | {fmt(med(results, 'server_cpu_util'), 2)} | "
                   f"{fmt(med(results, 'latency_us', 'p50'))} | {fmt(med(results, 'latency_us', 'p99'))} | "
                   f"{fmt(med(results, 'latency_us', 'p999'))} | {fmt(med(results, 'latency_us', 'max'))} | "
                   f"{fmt(med(results, 'lost'))} | {fmt(med(results, 'duplicates'))} |")
    out.append("")

    durable = sorted((key, results) for key, results in runs.items() if key[0].startswith("durable"))
    if durable:
        out.append("### Durable acks (medians)")
        out.append("")
        out.append("| workload | server | acks/s | acks per server CPU-s | server CPU use | p50 µs | p99 µs | p99.9 µs | max µs | storage errors | unanswered |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for (label, server), results in durable:
            out.append(f"| {label} | {server} | {fmt(med(results, 'acks_per_s'))} | "
                       f"{fmt(med(results, 'acks_per_server_cpu_s'))} | {fmt(med(results, 'server_cpu_util'), 2)} | "
                       f"{fmt(med(results, 'latency_us', 'p50'))} | {fmt(med(results, 'latency_us', 'p99'))} | "
                       f"{fmt(med(results, 'latency_us', 'p999'))} | {fmt(med(results, 'latency_us', 'max'))} | "
                       f"{fmt(med(results, 'storage_errors'))} | {fmt(med(results, 'unanswered'))} |")
        out.append("")

    out.append("### Memory per idle connection")
    out.append("")
    out.append("| connections | server | held | connect rate /s | RSS before, MiB | RSS per connection, bytes | live heap per connection, bytes |")
    out.append("|---|---|---|---|---|---|---|")
    conn = sorted(((int(label.split()[1]), server), results) for (label, server), results in runs.items()
                  if label.startswith("connections"))
    for (n, server), results in conn:
        before = med(results, "server_rss_before_bytes")
        out.append(f"| {n:,} | {server} | {fmt(med(results, 'held'))} | {fmt(med(results, 'connect_rate_per_s'))} | "
                   f"{fmt(before / 2**20 if before else None)} | {fmt(med(results, 'server_rss_per_connection_bytes'))} | "
                   f"{fmt(med(results, 'server_heap_per_connection_bytes'))} |")
    out.append("")
    largest = {}
    for (n, server), results in conn:
        largest[server] = (n, results)
    if "arqonbus" in largest:
        n, results = largest["arqonbus"]
        per = med(results, "server_rss_per_connection_bytes")
        base = med(results, "server_rss_before_bytes")
        heap = med(results, "server_heap_per_connection_bytes")
        if per and base:
            out.append(f"Projection for ArqonBus from the {n:,}-connection run (RSS = idle RSS + connections × RSS per connection; "
                       f"file-descriptor limits aside): 100,000 connections ≈ {(base + per * 100_000) / 2**30:.2f} GiB, "
                       f"1,000,000 connections ≈ {(base + per * 1_000_000) / 2**30:.1f} GiB"
                       + (f"; of which live heap ≈ {heap * 100_000 / 2**30:.2f} GiB and {heap * 1_000_000 / 2**30:.1f} GiB." if heap else "."))
            out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--machine", default="this machine")
    parser.add_argument("--command", default="bench/run.sh")
    parser.add_argument("--write", help="the markdown file whose marked section is replaced")
    args = parser.parse_args()
    # When the run ended (its results file was last written), not when the table is rendered.
    measured = datetime.datetime.fromtimestamp(os.path.getmtime(args.results), datetime.timezone.utc)
    text = render(load(args.results), args.machine, args.command, measured)
    if not args.write:
        print(text)
        return
    with open(args.write) as f:
        doc = f.read()
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in doc and END in doc:
        doc = doc[:doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip() + "\n\n## Results\n\n" + block + "\n"
    with open(args.write, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    sys.exit(main())
