#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed's second way out, a managed NAT gateway, on real packets through
# the aws CLI (spec §10): a private instance fetches from the internet and
# the internet host sees the gateway's Elastic IP; nothing from the
# internet gets in; many parallel connections all get distinct ports and
# none is lost; the per-destination connection limit holds (at a reduced
# scale, --natgw-conn-limit), and so does the idle timeout (a flow idle
# longer than it gets a RST, as AWS sends; --natgw-idle-timeout); removing
# the route or the gateway cuts it.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

LV_SERVE_ARGS="--natgw-conn-limit 40 --natgw-idle-timeout 5"
daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.10.0.0/16 --query Vpc.VpcId)
pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.10.0.0/24 --query Subnet.SubnetId)
priv=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.10.1.0/24 --query Subnet.SubnetId)
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
pubrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$pubrt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$pubrt" --subnet-id "$pub" >/dev/null
privrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 associate-route-table --route-table-id "$privrt" --subnet-id "$priv" >/dev/null

read -r alloc eip < <(ec2 allocate-address --domain vpc --query '[AllocationId,PublicIp]')
in_pool "$eip" || fail "Elastic IP $eip is not in the emulated pool"
nat=$(ec2 create-nat-gateway --subnet-id "$pub" --allocation-id "$alloc" --query NatGateway.NatGatewayId)
state=$(ec2 describe-nat-gateways --nat-gateway-ids "$nat" --query 'NatGateways[0].State')
[ "$state" = available ] || fail "the NAT gateway is $state, not available"
b=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$priv" --query 'Instances[0].InstanceId')
b_ip=$(ec2 describe-instances --instance-ids "$b" --query 'Reservations[0].Instances[0].PrivateIpAddress')
sshd_wait "$b"
web_server 203.0.113.30 8080 "$work/www.log"

expect_denied "no route yet: the private instance has no way out" \
	lv_exec "$b" curl -sf --max-time 2 -o /dev/null http://203.0.113.30:8080/
ec2 create-route --route-table-id "$privrt" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat" >/dev/null
expect_ok "through the NAT gateway the private instance reaches the internet" \
	lv_exec "$b" curl -sf --max-time 5 -o /dev/null http://203.0.113.30:8080/
grep -q "^$eip " "$work/www.log" || fail "the internet host should see the Elastic IP $eip"
grep -q "^$b_ip " "$work/www.log" && fail "the private address leaked to the internet"
echo "ok: the internet host saw the Elastic IP $eip"

# Unsolicited inbound: the gateway's EIP answers nothing, the private
# instance is not reachable at all.
expect_denied "the internet cannot open a connection to the NAT gateway's EIP" \
	lv_internet --from 203.0.113.30 -- timeout 2 bash -c "exec 3<>/dev/tcp/$eip/22"
expect_denied "... nor ping it into the VPC" lv_internet --from 203.0.113.30 -- ping -c1 -W1 "$eip"
expect_denied "... nor reach the private instance" \
	lv_internet --from 203.0.113.30 -- timeout 2 bash -c "exec 3<>/dev/tcp/$b_ip/22"

# Many parallel connections to one destination: each gets its own source
# port at the gateway, none is lost; past the limit (40 here) new ones fail.
cat >"$work/hold.py" <<'EOF'
# An internet host that accepts and holds connections, recording each peer.
import socket, sys, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2]))); srv.listen(512)
held = []
with open(sys.argv[3], "a", buffering=1) as log:
    while True:
        c, peer = srv.accept(); held.append(c)
        log.write("%s %d\n" % peer)
EOF
for port in 9090 9091; do # one destination per experiment
	"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from 203.0.113.30 -- \
		timeout 180 /usr/bin/python3 "$work/hold.py" 203.0.113.30 $port "$work/peers-$port" &
	push_teardown "kill $!"
	wait_until 10 lv_internet --from 203.0.113.30 -- bash -c "ss -tln | grep -q 203.0.113.30:$port"
done
cat >"$work/open.py" <<'EOF'
# Opens N connections at once (within 1.5 s) and holds them; prints how many
# connected.
import errno, select, socket, sys, time
n, pending, held = int(sys.argv[3]), {}, []
for _ in range(n):
    s = socket.socket(); s.setblocking(False)
    s.connect_ex((sys.argv[1], int(sys.argv[2]))); pending[s] = True
deadline = time.time() + 1.5
while pending and time.time() < deadline:
    _, w, _ = select.select([], list(pending), [], max(0, deadline - time.time()))
    for s in w:
        del pending[s]
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            held.append(s)
print(len(held), flush=True)
time.sleep(float(sys.argv[4]))
EOF
lv_exec "$b" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/open.py" <"$work/open.py"
got=$(lv_exec "$b" python3 /var/tmp/t/open.py 203.0.113.30 9090 30 0)
[ "$got" = 30 ] || fail "30 parallel connections: $got connected"
wait_until 5 bash -c "[ \$(wc -l <'$work/peers-9090') -ge 30 ]" ||
	fail "the internet host saw $(wc -l <"$work/peers-9090") of 30"
distinct=$(awk '{print $1":"$2}' "$work/peers-9090" | sort -u | wc -l)
from_eip=$(awk -v ip="$eip" '$1 == ip' "$work/peers-9090" | wc -l)
[ "$distinct" -eq 30 ] && [ "$from_eip" -eq 30 ] ||
	fail "30 connections must come from $eip on 30 ports ($distinct distinct, $from_eip from the EIP)"
echo "ok: 30 parallel connections, 30 distinct ports at $eip, none lost"
lv_exec "$b" python3 /var/tmp/t/open.py 203.0.113.30 9091 50 6 >"$work/limit" &
push_teardown "kill $!"
wait_until 10 test -s "$work/limit" || fail "the limit probe did not finish"
[ "$(cat "$work/limit")" = 40 ] || fail "the per-destination limit of 40 let $(cat "$work/limit") of 50 in"
echo "ok: the per-destination connection limit (40) holds: 40 of 50 connected"
expect_ok "another destination port is another destination" \
	lv_exec "$b" curl -sf --max-time 5 -o /dev/null http://203.0.113.30:8080/

# The idle timeout (5 s here, AWS 350 s): a pause shorter than it is fine,
# a longer one ends the flow at the gateway and the next segment gets a RST.
cat >"$work/idle.py" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
time.sleep(1); s.send(b"x")
time.sleep(7); s.send(b"y")
try:
    s.recv(1)
    print("alive")
except ConnectionResetError:
    print("reset")
except socket.timeout:
    print("alive")
EOF
lv_exec "$b" bash -c "cat > /var/tmp/t/idle.py" <"$work/idle.py"
[ "$(lv_exec "$b" python3 /var/tmp/t/idle.py 203.0.113.30 9090)" = reset ] ||
	fail "a flow idle past the NAT gateway's timeout must be reset"
echo "ok: a flow idle past the timeout is reset; a shorter pause was not"

# The route and the gateway are the path.
ec2 delete-route --route-table-id "$privrt" --destination-cidr-block 0.0.0.0/0
expect_denied "route removed: cut" lv_exec "$b" curl -sf --max-time 2 -o /dev/null http://203.0.113.30:8080/
ec2 create-route --route-table-id "$privrt" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat" >/dev/null
expect_ok "route back" lv_exec "$b" curl -sf --max-time 5 -o /dev/null http://203.0.113.30:8080/
ec2 delete-nat-gateway --nat-gateway-id "$nat" >/dev/null
expect_denied "gateway deleted: cut" lv_exec "$b" curl -sf --max-time 2 -o /dev/null http://203.0.113.30:8080/
state=$(ec2 describe-route-tables --route-table-ids "$privrt" \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].State")
[ "$state" = blackhole ] || fail "the route to a deleted NAT gateway shows $state, not blackhole"
echo "ok: the route to the deleted gateway is a blackhole"
echo "PASS"
