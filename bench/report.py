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


# Issue 9's goals: (what is compared, how, bound).  "ratio" compares the
# figure with its baseline; "value" the figure itself.
GOALS = {
    "dp.throughput.sg_path": ("ratio", ">=", 0.95),
    "dp.connect_rate.sg_path": ("ratio", ">=", 0.90),
    "dp.throughput.natgw": ("ratio", ">=", 0.90),
    "dp.connect_rate.natgw": ("ratio", ">=", 0.80),
    "api.rps.describe_vpcs": ("ratio", ">=", 50),
    "api.rps.create_tags": ("ratio", ">=", 50),
    "api.rps.authorize_ingress": ("ratio", ">=", 50),
    "launch.run_to_ssh_ms": ("value", "<=", 50),
    "sg.change_to_enforced_ms": ("value", "<=", 5),
    "scale.instances": ("value", ">=", 1000),
    "analyze.trace_ms": ("value", "<=", 5),
    "analyze.audit_s": ("value", "<=", 1),
}


def goal(f):
    """("≥ 0.95×", "yes"/"no"), or ("-", "-") for a figure without a goal."""
    g = GOALS.get(f["name"])
    if not g:
        return "-", "-"
    what, op, bound = g
    got = f.get(what)
    text = ("%s %s%s" % ("≥" if op == ">=" else "≤", bound, "×" if what == "ratio" else ""))
    if got is None:
        return text, "not measured"
    return text, "yes" if (got >= bound if op == ">=" else got <= bound) else "**no**"


def markdown(results, doc):
    rows = ["| figure | value | baseline | baseline value | ratio | goal | met | p50 / p99 (ms) | baseline p50 / p99 (ms) | more |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    known = {"name", "value", "unit", "baseline", "baseline_value", "ratio", "p50_ms", "p99_ms",
             "baseline_p50_ms", "baseline_p99_ms", "goal"}
    for f in results["figures"]:
        more = ", ".join("%s %s" % (k, v) for k, v in f.items() if k not in known)
        g, met = goal(f)
        rows.append("| %s | %s %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s |" % (
            f["name"], f["value"], f["unit"], f.get("baseline") or "-", f.get("baseline_value") or "-",
            ("%s×" % f["ratio"]) if f.get("ratio") else "-", g, met, f.get("p50_ms", "-"), f.get("p99_ms", "-"),
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
