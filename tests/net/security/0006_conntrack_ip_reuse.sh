#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# IP reuse (security checklist 28) on real packets: when an ENI is released
# its router forgets the conntrack entries of its IP, so an old flow cannot
# carry on as "established" to the next instance given that IP.
#
# a (10.32.0.10) and d, in a group that admits nothing inbound, each open
# a UDP flow from port 5000 to b:6000; b then sends from 6000 back to
# them, five datagrams a second.  Those are replies of a tracked flow, so
# they pass a's and d's closed groups (SG stateful, as in AWS).  a is
# terminated and c launched on 10.32.0.10 in the same closed group, with a
# listener on port 5000.  The check: b's datagrams on the old 5-tuple
# (b:6000 → 10.32.0.10:5000) reach c's listener zero times while b sends
# 25 more of them — if the router still held a's entry they would pass
# c's group as established.  They are new to conntrack now, and c's group
# drops them; the control is that a rule admitting b lets the same stream
# reach c at once.  d's flow, the other flow, is untouched: its datagrams
# keep arriving through d's closed group, and still do after the daemon
# restarts (a restart flushes nothing).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
IP=10.32.0.10

vpc=$(ec2 create-vpc --cidr-block 10.32.0.0/16 --query Vpc.VpcId)
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.32.0.0/24 --query Subnet.SubnetId)
closed=$(ec2 create-security-group --vpc-id "$vpc" --group-name closed --description "no inbound" \
	--query GroupId)
open=$(ec2 create-security-group --vpc-id "$vpc" --group-name open --description "all inbound" \
	--query GroupId)
ec2 authorize-security-group-ingress --group-id "$open" \
	--ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' >/dev/null
run() { # GROUP [ARGS...]: one instance's ID
	local g=$1
	shift
	ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --security-group-ids "$g" "$@" \
		--query 'Instances[0].InstanceId'
}
ip_of() { ec2 describe-instances --instance-ids "$1" --query 'Reservations[0].Instances[0].PrivateIpAddress'; }
a=$(run "$closed" --private-ip-address $IP)
d=$(run "$closed")
b=$(run "$open")
b_ip=$(ip_of "$b")
d_ip=$(ip_of "$d")
[ "$(ip_of "$a")" = $IP ] || fail "a should have $IP"
sshd_wait "$a" "$b" "$d"

# peer.py PORT [HOST PORT]: binds PORT, sends "open" to HOST:PORT (the flow
# starts here), then appends every datagram it receives to /var/tmp/t/got.
cat >"$work/peer.py" <<'EOF'
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", int(sys.argv[1])))
if len(sys.argv) > 2:
    u.sendto(b"open", (sys.argv[2], int(sys.argv[3])))
with open("/var/tmp/t/got", "a", buffering=1) as log:
    while True:
        data, peer = u.recvfrom(100)
        log.write("%s %s\n" % (peer[0], data.decode()))
EOF
# ticker.py N: b, on port 6000, waits for the first datagram of N peers,
# then sends tick-K back to each of them every 0.2 s; K is written to
# /var/tmp/t/ticks.
cat >"$work/ticker.py" <<'EOF'
import socket, sys, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 6000))
peers = set()
while len(peers) < int(sys.argv[1]):
    peers.add(u.recvfrom(100)[1])
n = 0
while True:
    n += 1
    for p in sorted(peers):
        u.sendto(b"tick-%d" % n, p)
    with open("/var/tmp/t/ticks", "w") as f:
        f.write("%d\n" % n)
    time.sleep(0.2)
EOF
put() { # INSTANCE
	for f in peer.py ticker.py; do
		lv_exec "$1" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/$f" <"$work/$f"
	done
}
bg_in() { # INSTANCE CMD...: runs CMD in the instance for the test's life
	local x=$1
	shift
	"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$x" -- timeout 600 "$@" &
	push_teardown "kill $! 2>/dev/null"
}
got() { lv_exec "$1" bash -c "grep -c '^$b_ip tick-' /var/tmp/t/got 2>/dev/null || true"; }
ticks() { lv_exec "$b" cat /var/tmp/t/ticks 2>/dev/null || echo 0; }
got_at_least() { [ "$(got "$1")" -ge "$2" ]; } # INSTANCE N
ticks_at_least() { [ "$(ticks)" -ge "$1" ]; }   # N
for x in "$a" "$b" "$d"; do put "$x"; done

# b listens on 6000 first; a and d open their flows to it.
bg_in "$b" python3 /var/tmp/t/ticker.py 2
wait_until 10 lv_exec "$b" bash -c "ss -uln | grep -q :6000" || fail "b's listener"
bg_in "$a" python3 /var/tmp/t/peer.py 5000 "$b_ip" 6000
bg_in "$d" python3 /var/tmp/t/peer.py 5000 "$b_ip" 6000
wait_until 10 got_at_least "$a" 3 || fail "b's replies should pass a's closed group (a flow a opened)"
wait_until 10 got_at_least "$d" 3 || fail "b's replies should pass d's closed group (a flow d opened)"
echo "ok: b's datagrams on the flows a and d opened pass their closed groups (tracked)"

# a goes; c gets its IP and the same closed group.
ec2 terminate-instances --instance-ids "$a" >/dev/null
terminated() {
	[ "$(ec2 describe-instances --instance-ids "$a" \
		--query 'Reservations[0].Instances[0].State.Name')" = terminated ]
}
wait_until 60 terminated || fail "a did not terminate"
grep -q "op=conntrack_del obj=$IP " "$LV_STATE/../daemon.log" ||
	fail "the daemon did not delete the conntrack entries of $IP"
c=$(run "$closed" --private-ip-address $IP)
[ "$(ip_of "$c")" = $IP ] || fail "c should have $IP"
sshd_wait "$c"
put "$c"
bg_in "$c" python3 /var/tmp/t/peer.py 5000
wait_until 10 lv_exec "$c" bash -c "ss -uln | grep -q :5000" || fail "c's listener"
from=$(ticks)
wait_until 30 ticks_at_least $((from + 25)) || fail "b's ticker stopped"
[ "$(got "$c")" = 0 ] ||
	fail "c received $(got "$c") of b's datagrams on a's old 5-tuple: a's conntrack entry outlived a"
echo "ok: 25 datagrams on a's old 5-tuple reach c's listener 0 times (a's entry is gone)"
dn=$(got "$d")
wait_until 10 got_at_least "$d" $((dn + 5)) || fail "d's flow should be untouched by a's release"
echo "ok: d's flow goes on through its closed group (other entries untouched)"

# Control: the same stream, admitted by c's group as a new flow, arrives.
ec2 authorize-security-group-ingress --group-id "$closed" \
	--ip-permissions "IpProtocol=udp,FromPort=5000,ToPort=5000,IpRanges=[{CidrIp=$b_ip/32}]" >/dev/null
wait_until 10 got_at_least "$c" 3 || fail "with b admitted, b's datagrams should reach c"
echo "ok (control): once c's group admits b, the same datagrams reach c"
ec2 revoke-security-group-ingress --group-id "$closed" \
	--ip-permissions "IpProtocol=udp,FromPort=5000,ToPort=5000,IpRanges=[{CidrIp=$b_ip/32}]" >/dev/null

# A restart releases nothing and flushes nothing: d's flow, admitted only
# by its conntrack entry, still arrives afterwards.
daemon_stop TERM
daemon_run
dn=$(got "$d")
wait_until 10 got_at_least "$d" $((dn + 5)) || fail "a daemon restart cut d's tracked flow"
echo "ok: after a daemon restart d's tracked flow still arrives"
echo PASS
