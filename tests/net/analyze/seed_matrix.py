# SPDX-License-Identifier: MIT
"""The seed's promises as a probe matrix (issue 10 item 4): in the topology
examples/bastion-nat/walkthrough.sh builds, every instance and internet
host against every other, TCP 22/80/443 and one random port, UDP 53/123,
ICMP echo; the flows that get through must be exactly the ones written
down below — by real packets and by `localvpc trace` alike.  Driven by
0004_seed_matrix.sh (the daemon and the walkthrough; LV_ENDPOINT,
LV_STATE, LOCALVPC_BIN, LV_PREFIX).  "My IP" (192.0.2.1) is this host, so
it only probes public IPs of the emulated pool (host_probe's rule)."""
import concurrent.futures
import ipaddress
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential as d  # noqa: E402  (its listener, prober and trace call)

POOL = ipaddress.ip_network("198.18.0.0/15")
MYIP = "192.0.2.1"
INTERNET = ["198.51.100.7", "203.0.113.20"]
SEED = int(os.environ.get("SEED", str(int(time.time()))))
R = random.Random(SEED).choice([p for p in range(1024, 65000) if p not in (3306, 5000, 8080, 9999)])
FLOWS = ["tcp/22", "tcp/80", "tcp/443", f"tcp/{R}", "udp/53", "udp/123", "icmp"]
ALL = set(FLOWS)

# The seed's promises.  A (source, destination) pair not listed passes
# nothing at all.  Destinations: an instance by its private IP, "X.pub" by
# its public IP, or an internet host.
EXPECT = {
    # Only My IP reaches the bastion, and only on 22.
    (MYIP, "bastion.pub"): {"tcp/22"},
    # Only the bastion reaches the internal instance, and only on 22.
    ("bastion", "internal"): {"tcp/22"},
    # The NAT SG admits everything from the private subnet.
    ("internal", "nat"): ALL,
    # The internal instance reaches the internet only through the NAT
    # instance (it has no public IP; its route is 0/0 -> the NAT).
    ("internal", "198.51.100.7"): ALL,
    ("internal", "203.0.113.20"): ALL,
    # The public instances reach the internet directly (egress is open).
    ("bastion", "198.51.100.7"): ALL,
    ("bastion", "203.0.113.20"): ALL,
    ("nat", "198.51.100.7"): ALL,
    ("nat", "203.0.113.20"): ALL,
}
# Everything else is denied, among them: the internet (other than My IP on
# 22) reaches no instance; nothing reaches the bastion but My IP; the NAT
# instance does not reach the internal one; public-IP hairpins arrive with
# a public source, which no group admits.


def main():
    ids = json.loads(os.environ["SEED_IDS"])  # {"bastion": i-…, "nat": i-…, "internal": i-…}
    inst = {}
    for name, iid in ids.items():
        i = d.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        inst[name] = {"name": name, "id": iid, "ip": i["PrivateIpAddress"], "pub": i.get("PublicIpAddress"),
                      "nat": name == "nat"}
    if inst["internal"]["pub"] or not inst["bastion"]["pub"] or not inst["nat"]["pub"]:
        sys.exit(f"unexpected public IPs: {inst}")
    print(f"seed {SEED} (SEED={SEED} repeats it): random port {R}; " +
          ", ".join(f"{n} {x['ip']}{' / ' + x['pub'] if x['pub'] else ''}" for n, x in inst.items()))

    topo = d.Topology(SEED, 0)
    topo.inst = inst
    tcp_ports = [80, 443, R]
    d.TCP_PORTS[:] = [22] + tcp_ports
    d.UDP_PORTS[:] = [53, 123]
    d.INTERNET[:] = INTERNET
    inet = d.start_internet()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    try:
        topo.start()
        probes = []
        addrs = {n: x["ip"] for n, x in inst.items()}
        addrs.update({n + ".pub": x["pub"] for n, x in inst.items() if x["pub"]})
        for ip in INTERNET:
            addrs[ip] = ip
        sources = [MYIP] + INTERNET + list(inst)
        sport = 40000 + SEED % 10000
        for src in sources:
            for dst in addrs:
                if dst.split(".pub")[0] == src:
                    continue
                if src in INTERNET + [MYIP] and (dst in INTERNET or dst in inst and inst[dst]["pub"]):
                    continue  # internet to internet; a public instance by its public IP only
                if src == MYIP and ipaddress.ip_address(addrs[dst]) not in POOL:
                    continue  # the host probes only the emulated pool
                for flow in FLOWS:
                    proto, _, port = flow.partition("/")
                    sport += 1
                    probes.append({"src": src, "dst": dst, "proto": proto, "port": int(port or -1),
                                   "sport": sport if proto != "icmp" else 0, "ip": addrs[dst], "flow": flow})
        observed = observe(topo, probes)
        predicted = list(pool.map(d.predict_one, [trace_args(topo, p) for p in probes]))
        wrong = 0
        for p, seen, doc in zip(probes, observed, predicted):
            want = p["flow"] in EXPECT.get((p["src"], p["dst"]), set())
            got = d.reached(seen, p["proto"])
            said = doc.get("reachable")
            line = f"{p['src']} -> {p['dst']} [{p['ip']}] {p['flow']}: expected {'allow' if want else 'deny'}"
            if got == want and said == want:
                print(f"ok: {line}")
                continue
            wrong += 1
            print(f"WRONG: {line}; packets {seen}; trace {d.why(doc)}")
        allowed = sum(1 for p in probes if p["flow"] in EXPECT.get((p["src"], p["dst"]), set()))
        print(f"{len(probes)} probes ({allowed} allowed, {len(probes) - allowed} denied): {wrong} wrong")
        return 1 if wrong else 0
    finally:
        topo.teardown_processes()
        for p in inet:
            p.kill()
            p.wait()
        d.pidfile([])


def trace_args(topo, p):
    if p["src"] in INTERNET + [MYIP]:
        src = "internet:" + p["src"]
    else:
        src = topo.inst[p["src"]]["id"]
    args = [d.TRACE_BIN, "trace", "--state-dir", d.STATE, src, p["ip"], "--proto", p["proto"],
            "--port", str(p["port"]), "--json"]
    if p["sport"]:
        args += ["--src-port", str(p["sport"])]
    return args


def host_route_ok(ip):
    """The host's route to the pool leads to this test's daemon (others
    running at the same time may take it for a while)."""
    out = subprocess.run(["ip", "-o", "route", "get", ip], capture_output=True, text=True).stdout
    return f"dev {os.environ['LV_PREFIX']}-h " in out


def observe(topo, probes):
    mine = [i for i, p in enumerate(probes) if p["src"] == MYIP]
    rest = [i for i in range(len(probes)) if probes[i]["src"] != MYIP]
    out = [None] * len(probes)
    for i, status in zip(rest, d.observe(topo, [probes[i] for i in rest], 1.5)):
        out[i] = status
    for attempt in range(20):
        for i in mine:
            if ipaddress.ip_address(probes[i]["ip"]) not in POOL:
                sys.exit(f"refusing to probe {probes[i]['ip']} from the host: not in {POOL}")
        if not all(host_route_ok(probes[i]["ip"]) for i in mine):
            time.sleep(0.5)
            continue
        arg = json.dumps([{k: probes[i][k] for k in ("ip", "proto", "port", "sport")} for i in mine])
        got = json.loads(subprocess.run(["/usr/bin/python3", "-c", d.PROBER, arg, "1.5"], capture_output=True,
                                        text=True, check=True).stdout)
        if all(host_route_ok(probes[i]["ip"]) for i in mine):
            for i, status in zip(mine, got):
                out[i] = status
            return out
        for i in mine:  # the route moved meanwhile: again, with fresh ports
            probes[i]["sport"] += 20000 if probes[i]["sport"] else 0
    sys.exit("the host's route to the pool never pointed at this test's daemon")


if __name__ == "__main__":
    # The runner's timeout: end our processes on the way out (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
