#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Conntrack exhaustion (security checklist 8) on real packets: every ENI of
# a VPC shares the router namespace's conntrack table, so each instance's
# ENI has an allowance of tracked flows (AWS's "conntrack allowance";
# 65,536 by default, 200 here through --eni-conn-limit).  Instance a opens
# more TCP connections than that and floods UDP to many ports: past 200 its
# new flows fail, while b, in the same VPC and subnet, keeps connecting
# with 0 failures; once a's connections close a connects again.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

LIMIT=200
LV_SERVE_ARGS="--eni-conn-limit $LIMIT"
daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.31.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # this test is about the allowance, not the groups
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.31.0.0/24 --query Subnet.SubnetId)
ids=$(ec2 run-instances --image-id $ami --count 3 --subnet-id "$sn" --query 'Instances[].InstanceId')
read -r a b s <<<"${ids//$'\n'/ }"
s_ip=$(ec2 describe-instances --instance-ids "$s" --query 'Reservations[0].Instances[0].PrivateIpAddress')
a_eni=$(ec2 describe-instances --instance-ids "$a" \
	--query 'Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId')
sshd_wait "$a" "$b" "$s"

# s: a TCP server that holds every connection until the client closes it,
# and a UDP sink that logs the source of every datagram.
cat >"$work/server.py" <<'EOF'
import select, socket, sys
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("0.0.0.0", 7000)); t.listen(4096)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 9000))
held = set()
with open(sys.argv[1], "a", buffering=1) as log:
    while True:
        r, _, _ = select.select([t, u] + list(held), [], [])
        for c in r:
            if c is t:
                held.add(t.accept()[0])
            elif c is u:
                data, peer = u.recvfrom(100)
                log.write("%s %s\n" % (peer[0], data.decode()))
            elif not c.recv(100):  # the client closed: close too
                held.discard(c); c.close()
EOF
# Opens N TCP connections at once and holds them until FILE exists (then
# closes them all); writes how many connected to OUT.
cat >"$work/open.py" <<'EOF'
import os, select, socket, sys, time
host, port, n, out, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
pending, held = {}, []
for _ in range(n):
    s = socket.socket(); s.setblocking(False)
    s.connect_ex((host, port)); pending[s] = True
deadline = time.time() + 5  # SYN retransmits at 1 s and 3 s fit in it
while pending and time.time() < deadline:
    _, w, _ = select.select([], list(pending), [], max(0, deadline - time.time()))
    for s in w:
        del pending[s]
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            held.append(s)
with open(out + ".tmp", "w") as f:
    f.write("%d\n" % len(held))
os.rename(out + ".tmp", out)
for _ in range(600):
    if os.path.exists(stop):
        break
    time.sleep(0.2)
for s in held + list(pending):
    s.close()
EOF
# Sends one datagram from each of N fresh source ports (N new flows).
cat >"$work/udp.py" <<'EOF'
import socket, sys
for i in range(int(sys.argv[3])):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(("%s-%d" % (sys.argv[4], i)).encode(), (sys.argv[1], int(sys.argv[2])))
    u.close()
EOF
for x in "$a" "$b" "$s"; do
	for f in server.py open.py udp.py; do
		lv_exec "$x" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/$f" <"$work/$f"
	done
done
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$s" -- timeout 300 python3 /var/tmp/t/server.py \
	/var/tmp/t/udp.log &
push_teardown "kill $!"
wait_until 10 lv_exec "$s" bash -c "ss -tln | grep -q :7000 && ss -uln | grep -q :9000" ||
	fail "the server on $s did not start"
udp_from() { # TAG: datagrams s received with that tag
	lv_exec "$s" bash -c "grep -c ' $1-' /var/tmp/t/udp.log || true"
}
udp_is() { [ "$(udp_from "$1")" = "$2" ]; } # TAG N

# a: 260 connections at once; only its allowance of them get through.
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$a" -- timeout 300 python3 /var/tmp/t/open.py \
	"$s_ip" 7000 260 /var/tmp/t/a.count /var/tmp/t/a.stop &
push_teardown "kill $!"
wait_until 20 lv_exec "$a" test -s /var/tmp/t/a.count || fail "a's connections did not settle"
got=$(lv_exec "$a" cat /var/tmp/t/a.count)
[ "$got" -le "$LIMIT" ] && [ "$got" -ge $((LIMIT - 10)) ] ||
	fail "a opened $got of 260 connections: the allowance of $LIMIT must cap it"
echo "ok: a is capped by its conntrack allowance: $got of 260 connected ($LIMIT allowed)"
router=$LV_PREFIX-v${vpc: -8}
dev=e${a_eni: -8}
ip netns exec "$router" nft list set inet "$LV_PREFIX" eni_conns | grep -q "\"$dev\" ct count over $LIMIT" ||
	fail "the router's eni_conns set has no element for a's ENI $dev"
echo "ok: the router tracks a's flows under its ENI $dev"

# a floods UDP to new flows: while capped, none of them is tracked or
# delivered; b's UDP flows all arrive.
lv_exec "$a" python3 /var/tmp/t/udp.py "$s_ip" 9000 300 flood-a
lv_exec "$b" python3 /var/tmp/t/udp.py "$s_ip" 9000 50 from-b
wait_until 10 udp_is from-b 50 ||
	fail "b's 50 UDP flows: $(udp_from from-b) arrived (a's flood must not take b's room)"
[ "$(udp_from flood-a)" = 0 ] || fail "a's UDP flood got past the allowance: $(udp_from flood-a) arrived"
echo "ok: a's 300 new UDP flows are dropped at the allowance, b's 50 all arrive"

# b, same VPC, same subnet, same router table: 0 failures.
lv_exec "$b" python3 /var/tmp/t/open.py "$s_ip" 7000 100 /var/tmp/t/b.count /var/tmp/t/b.stop &
bpid=$!
push_teardown "kill $bpid 2>/dev/null"
wait_until 20 lv_exec "$b" test -s /var/tmp/t/b.count || fail "b's connections did not settle"
[ "$(lv_exec "$b" cat /var/tmp/t/b.count)" = 100 ] ||
	fail "b, under its own allowance, opened $(lv_exec "$b" cat /var/tmp/t/b.count) of 100"
lv_exec "$b" touch /var/tmp/t/b.stop
wait "$bpid"
echo "ok: b opened 100 of 100 connections while a was at its allowance"
expect_denied "a's next connection is refused while it holds its allowance" \
	lv_exec "$a" timeout 3 bash -c "exec 3<>/dev/tcp/$s_ip/7000"

# a's connections close: conntrack (and ct count) forget them, a connects.
lv_exec "$a" touch /var/tmp/t/a.stop
wait_until 20 lv_exec "$a" timeout 3 bash -c "exec 3<>/dev/tcp/$s_ip/7000" ||
	fail "a cannot connect after its connections closed"
echo "ok: once a's connections close, a connects again"
lv_exec "$a" python3 /var/tmp/t/udp.py "$s_ip" 9000 20 after-a
wait_until 10 udp_is after-a 20 ||
	fail "a's UDP after closing: $(udp_from after-a) of 20 arrived"
echo "ok: a's new UDP flows arrive again"
echo PASS
