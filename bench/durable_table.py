#!/usr/bin/env python3
"""Turns bench/durable.sh's results.jsonl into a markdown table of durable acks.

Each input line: {"server", "publishers", "run", "exit", "result": <the load tool's JSON line>}.
Medians over the runs of one (server, publishers); the ratio is ArqonBus ÷ JetStream in acks per
server CPU-second (the issue's goal: >= 1.5), for the memory and the file store.
"""
import argparse
import datetime
import json
import os
import sys

import stats
from stats import fmt, med

SERVERS = (("arqonbus-memory", "ArqonBus, memory store"),
           ("arqonbus-file", "ArqonBus, file store (--store-sync always: fsync per group commit)"),
           ("jetstream-file", "NATS JetStream 2.9, file storage (background fsync every 60 s)"))


def load(path):
    return stats.load(path, "server", "publishers")


def ms(micros):
    return "–" if micros is None else f"{micros / 1000:,.1f} ms"


def verified(results):
    """'clean' when every run's --verify found every acked message once, in order; else what went wrong."""
    if not results:
        return "–"
    bad = []
    for r in results:
        v = r.get("verify")
        if not isinstance(v, dict) or "failed" in v:
            bad.append("not verified" if not isinstance(v, dict) else "failed: " + str(v.get("failed")))
            continue
        problems = sum(v.get(k, 0) or 0 for k in ("missing", "offset_mismatches", "stored_twice", "out_of_order"))
        if problems:
            bad.append(f"{v.get('missing')} missing, {v.get('offset_mismatches')} misplaced, "
                       f"{v.get('stored_twice')} twice, {v.get('out_of_order')} out of order")
    return "clean ({} of {} runs)".format(len(results), len(results)) if not bad else "**" + "; ".join(bad) + "**"


def render(runs, machine, command, measured):
    out = []
    count = max((len(v) for v in runs.values()), default=0)
    out.append(f"Measured {measured.strftime('%Y-%m-%d %H:%M UTC')} by `{command}` on {machine}. Server pinned to one CPU "
               f"(ArqonBus with one I/O thread, nats-server with GOMAXPROCS=1), the load tool on the other; one channel "
               f"(subject), window 64 per publisher, 128-byte payloads; medians of {count} run(s) per cell, servers "
               f"started fresh on empty stores and alternated.")
    out.append("")
    out.append("| publishers | server | acks/s | acks per server CPU-s | ack p50 | p99 | p99.9 | verify | ArqonBus ÷ JetStream, per CPU-s |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for publishers in sorted({p for (_, p) in runs}):
        js = med(runs.get(("jetstream-file", publishers), []), "acks_per_server_cpu_s")
        for server, name in SERVERS:
            results = runs.get((server, publishers), [])
            if not results:
                continue
            per_cpu = med(results, "acks_per_server_cpu_s")
            r = per_cpu / js if per_cpu is not None and js and server != "jetstream-file" else None
            out.append(f"| {publishers} | {name} | {fmt(med(results, 'acks_per_s'))} | {fmt(per_cpu)} | "
                       f"{ms(med(results, 'latency_us', 'p50'))} | {ms(med(results, 'latency_us', 'p99'))} | "
                       f"{ms(med(results, 'latency_us', 'p999'))} | {verified(results)} | "
                       f"{fmt(r, 2) if r is not None else ''} |")
    out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--machine", default="this machine")
    parser.add_argument("--command", default="bench/durable.sh")
    args = parser.parse_args()
    measured = datetime.datetime.fromtimestamp(os.path.getmtime(args.results), datetime.timezone.utc)
    print(render(load(args.results), args.machine, args.command, measured))


if __name__ == "__main__":
    sys.exit(main())
