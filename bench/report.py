#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Merges benchmark figure lists into the results JSON (machine, kernel,
date, figures), or with --markdown rewrites the table between the markers
of docs/PERFORMANCE.md from a results file."""
import datetime
import json
import os
import platform
import sys

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 30)
    return "%d cores, %s, %d GiB" % (os.cpu_count(), cpu, mem)


def merge(paths):
    figures = []
    for p in paths:
        figures += json.load(open(p))
    return {"machine": machine(), "kernel": platform.release(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "figures": figures}


def markdown(results, doc):
    rows = ["| figure | value | baseline | baseline value | ratio | p50 / p99 (ms) | baseline p50 / p99 (ms) | more |",
            "|---|---|---|---|---|---|---|---|"]
    known = {"name", "value", "unit", "baseline", "baseline_value", "ratio", "p50_ms", "p99_ms",
             "baseline_p50_ms", "baseline_p99_ms"}
    for f in results["figures"]:
        more = ", ".join("%s %s" % (k, v) for k, v in f.items() if k not in known)
        rows.append("| %s | %s %s | %s | %s | %s | %s / %s | %s / %s | %s |" % (
            f["name"], f["value"], f["unit"], f.get("baseline") or "-", f.get("baseline_value") or "-",
            ("%s×" % f["ratio"]) if f.get("ratio") else "-", f.get("p50_ms", "-"), f.get("p99_ms", "-"),
            f.get("baseline_p50_ms", "-"), f.get("baseline_p99_ms", "-"), more or "-"))
    table = "\n".join(["Measured %s on %s, kernel %s." % (results["date"], results["machine"], results["kernel"]),
                       "", *rows])
    text = open(doc).read()
    a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
    open(doc, "w").write(text[:a] + "\n" + table + "\n" + text[b:])


if __name__ == "__main__":
    if sys.argv[1] == "--markdown":
        markdown(json.load(open(sys.argv[2])), sys.argv[3])
    else:
        json.dump(merge(sys.argv[1:]), sys.stdout, indent=1)
        print()
