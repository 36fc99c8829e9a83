# SPDX-License-Identifier: MIT
"""The kernel state a localvpc daemon manages, as normalised JSON on stdout:
for each namespace PREFIX-* (not the internet hosts PREFIX-x…, which the
CLI makes) and for the host's side (the link PREFIX-h, its routes, the nft
table inet PREFIX): links, IPv4 addresses, routes of every table, policy
rules, permanent neighbours, routing sysctls and the nftables ruleset.

What the kernel or packets make up is left out, so that two builds of one
store compare equal: interface indexes and netns ids, the random MACs of
router-side veth ends (an instance's eth0 keeps its ENI's MAC and stays),
rule handles, counters and the elements of dynamic sets.  The prefix is
replaced by PFX.  Usage: kstate.py PREFIX [--ignore-sysctl REGEX]"""
import json
import re
import subprocess
import sys

SYSCTLS = (r"^net\.ipv4\.(ip_forward|conf\.[^.]+\.(forwarding|rp_filter|send_redirects|"
           r"accept_redirects|secure_redirects|accept_source_route|arp_accept|arp_ignore|"
           r"arp_announce|proxy_arp|route_localnet|log_martians))$|"
           r"^net\.netfilter\.nf_conntrack_(tcp_timeout_established|udp_timeout_stream)$")


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def ip_json(ns, *args):
    argv = ["ip"] + (["-n", ns] if ns else []) + ["-j"] + list(args)
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode != 0:  # a device that is gone: its absence is the state
        return [{"ifname": "error", "error": p.stderr.strip()}]
    out = p.stdout.strip()
    return json.loads(out) if out else []


def links(ns, only=None):
    res = []
    for li in ip_json(ns, "link", "show"):
        name = li["ifname"]
        if only and name != only:
            continue
        e = {"ifname": name, "flags": sorted(li.get("flags", [])), "mtu": li.get("mtu"),
             "operstate": li.get("operstate")}
        if name == "eth0":
            e["address"] = li.get("address")
        res.append(e)
    return sorted(res, key=lambda e: e["ifname"])


def addrs(ns, dev=None):
    res = []
    for li in ip_json(ns, "-4", "addr", "show", *(["dev", dev] if dev else [])):
        for a in li.get("addr_info", []):
            res.append("%s %s/%s scope %s" % (li["ifname"], a["local"], a["prefixlen"],
                                               a.get("scope")))
    return sorted(res)


def drop(d, keys):
    return {k: v for k, v in d.items() if k not in keys}


def routes(ns, dev=None):
    args = ["-4", "route", "show", "table", "all"] + (["dev", dev] if dev else [])
    return sorted(json.dumps(drop(r, {"expires"}), sort_keys=True) for r in ip_json(ns, *args))


def rules(ns):
    return sorted(json.dumps(r, sort_keys=True) for r in ip_json(ns, "-4", "rule", "show"))


def neighbours(ns):
    return sorted(json.dumps(drop(n, {"used", "confirmed", "updated", "probes"}), sort_keys=True)
                  for n in ip_json(ns, "-4", "neigh", "show", "nud", "permanent"))


def sysctls(ns, ignore):
    out = run("ip", "netns", "exec", ns, "sysctl", "-a", "-r", SYSCTLS)
    return sorted(line for line in out.splitlines()
                  if line.strip() and not (ignore and re.search(ignore, line)))


def scrub(x):
    """Handles and counter values out, set elements sorted."""
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if k == "handle":
                continue
            if k == "counter" and isinstance(v, dict):
                out[k] = {}
                continue
            out[k] = scrub(v)
        if "elem" in out and isinstance(out["elem"], list):
            if "dynamic" in (x.get("flags") or []):
                del out["elem"]
            else:
                out["elem"] = sorted(out["elem"], key=lambda e: json.dumps(e, sort_keys=True))
        return out
    if isinstance(x, list):
        return [scrub(v) for v in x]
    return x


def nft(ns, table=None):
    pre = ["ip", "netns", "exec", ns] if ns else []
    cmd = ["nft", "-j", "list"] + (["table", "inet", table] if table else ["ruleset"])
    p = subprocess.run(pre + cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None  # no such table
    objs = json.loads(p.stdout).get("nftables", [])
    return [scrub(o) for o in objs if "metainfo" not in o]


def main():
    prefix = sys.argv[1]
    ignore = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--ignore-sysctl" else None
    namespaces = sorted(line.split()[0] for line in run("ip", "netns", "list").splitlines()
                        if line.startswith(prefix + "-") and not line.startswith(prefix + "-x"))
    host = "%s-h" % prefix[:8]
    state = {"host": {"links": links(None, host), "addrs": addrs(None, host),
                      "routes": routes(None, host), "nft": nft(None, prefix)}}
    for ns in namespaces:
        state[ns] = {"links": links(ns), "addrs": addrs(ns), "routes": routes(ns),
                     "rules": rules(ns), "neighbours": neighbours(ns),
                     "sysctls": sysctls(ns, ignore), "nft": nft(ns)}
    text = json.dumps(state, sort_keys=True, indent=1)
    print(re.sub(r"\b%s\b" % re.escape(prefix), "PFX", text))


if __name__ == "__main__":
    main()
