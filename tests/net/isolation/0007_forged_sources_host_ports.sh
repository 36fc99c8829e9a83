#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Forged sources and the host's ports (security checklist 3 and 2; issue
# 10).  The group is open to everything: what is refused is the wiring's.
#   3: a, with its source/destination check on, sends raw UDP to b from an
#      internet address, 0.0.0.0, 127.0.0.5, 169.254.7.7 and 224.0.0.5:
#      none arrives, a's own source does.  An internet host sends to b's
#      public IP from a VPC-internal source: dropped; its own source
#      arrives.
#   2: from b, which has a public IP, no TCP port the host listens on
#      (every wildcard or 192.0.2.1 listener, read from `ss`) accepts a
#      connection at 192.0.2.1, while b reaches an internet host and the
#      host reaches b (replies come back).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.17.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc"
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.17.0.0/24 --query Subnet.SubnetId)
ec2 modify-subnet-attribute --subnet-id "$sn" --map-public-ip-on-launch
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$rt" --subnet-id "$sn" >/dev/null
read -r a b < <(ec2 run-instances --image-id $ami --count 2 --subnet-id "$sn" \
	--query 'Instances[].InstanceId' | tr '\t' ' ')
[ -n "$a" ] && [ -n "$b" ] || fail "two instances"
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_ip=$(q "$a" PrivateIpAddress) b_ip=$(q "$b" PrivateIpAddress) b_pub=$(q "$b" PublicIpAddress)
in_pool "$b_pub" || fail "b's public IP $b_pub is not in the pool"
sshd_wait "$a" "$b"

# A UDP datagram to port 9000 with any source.  With a gateway MAC it is
# sent as a whole Ethernet frame on eth0 (AF_PACKET): on a raw IP socket
# the kernel would put the sender's own address in place of 0.0.0.0.
cat >"$work/spoof.py" <<'PY'
import socket, struct, sys
src, dst, tag = sys.argv[1], sys.argv[2], sys.argv[3].encode()
udp = struct.pack("!HHHH", 40000, 9000, 8 + len(tag), 0) + tag
def ip_header(csum):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 7, 0, 64, 17, csum,
                       socket.inet_aton(src), socket.inet_aton(dst))
h = ip_header(0)
c = sum(struct.unpack("!10H", h))
c = (c & 0xffff) + (c >> 16)
c = (c & 0xffff) + (c >> 16)
pkt = ip_header(~c & 0xffff) + udp
if len(sys.argv) > 4:
    gw = bytes.fromhex(sys.argv[4].replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind(("eth0", 0x0800))
    me = open("/sys/class/net/eth0/address").read().strip()
    frame = gw + bytes.fromhex(me.replace(":", "")) + b"\x08\x00" + pkt
    for _ in range(3):
        s.send(frame)
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for _ in range(3):
        s.sendto(pkt, (dst, 0))
PY
cat >"$work/listen.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9000))
print("ready", flush=True)
while True:
    d, peer = s.recvfrom(2048)
    print(peer[0], d.decode(errors="replace"), flush=True)
PY
for x in "$a" "$b"; do
	for f in spoof.py listen.py; do
		lv_exec "$x" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/$f" <"$work/$f"
	done
done
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$b" -- python3 -u /var/tmp/t/listen.py >"$work/got" &
push_teardown "kill $!"
wait_until 10 grep -q ready "$work/got" || fail "b's listener did not start"

# --- 3: forged sources from an instance, then from the internet -----------
# b's address resolves to the router's MAC (proxy ARP): the frames' next hop.
lv_exec "$a" ping -c1 -W2 "$b_ip" >/dev/null || fail "a cannot reach b"
gw_mac=$(lv_exec "$a" ip neigh show "$b_ip" dev eth0 | awk '/lladdr/ {print $3}')
[ -n "$gw_mac" ] || fail "a has no neighbour entry for b"
for src in 203.0.113.50 0.0.0.0 127.0.0.5 169.254.7.7 224.0.0.5; do
	lv_exec "$a" python3 /var/tmp/t/spoof.py "$src" "$b_ip" "forged-$src" "$gw_mac"
done
lv_exec "$a" python3 /var/tmp/t/spoof.py "$a_ip" "$b_ip" own-source "$gw_mac"
wait_until 5 grep -q " own-source$" "$work/got" || fail "control: a's own source must arrive: $(cat "$work/got")"
sleep 1
grep -q forged "$work/got" && fail "a forged source reached b: $(grep forged "$work/got")"
echo "ok (denied): from a, sources 203.0.113.50, 0.0.0.0, 127.0.0.5, 169.254.7.7, 224.0.0.5 never reach b; a's own does"
inet_send() { lv_internet --from 203.0.113.7 -- /usr/bin/python3 "$work/spoof.py" "$@"; }
inet_send 10.17.0.99 "$b_pub" internal-source
inet_send "$a_ip" "$b_pub" a-source
inet_send 203.0.113.7 "$b_pub" internet-own
wait_until 5 grep -q "^203.0.113.7 internet-own$" "$work/got" ||
	fail "control: an internet host's own source must reach b's public IP: $(cat "$work/got")"
sleep 1
grep -q 'internal-source\|a-source' "$work/got" &&
	fail "a VPC-internal source from the internet reached b: $(cat "$work/got")"
echo "ok (denied): from the internet, VPC-internal sources (10.17.0.99, a's $a_ip) never reach b; its own does"

# --- 2: the host's ports from an instance with a public IP ----------------
# One listener of our own on every address, so there is one at least.
own=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0",0)); print(s.getsockname()[1])')
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); c.close()' "$own" &
push_teardown "kill $!"
wait_until 5 bash -c "ss -Htln | grep -q ':$own '" || fail "the test's own listener did not start"
ports=$(ss -Htln | awk '{print $4}' | grep -E '^(0\.0\.0\.0|\*|\[::\]|192\.0\.2\.1):[0-9]+$' |
	sed 's/.*://' | sort -un | tr '\n' ' ')
[ -n "$ports" ] || fail "the host listens on no wildcard port (at least the test's own?)"
lv_exec "$b" bash -c "cat > /var/tmp/t/connect.py" <<'PY'
import selectors, socket, sys
# Non-blocking connects to every port at once; prints those that connect.
sel = selectors.DefaultSelector()
for p in sys.argv[2:]:
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((sys.argv[1], int(p)))
    sel.register(s, selectors.EVENT_WRITE, p)
for key, _ in sel.select(timeout=3):
    if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
        print("open", key.data)
PY
web_server 203.0.113.20 8080 "$work/www.log"
open=$(lv_exec "$b" python3 /var/tmp/t/connect.py 203.0.113.20 8080)
[ "$open" = "open 8080" ] || fail "control: the connect probe must see 203.0.113.20:8080 open: '$open'"
echo "ok: control: b's probe connects to an internet host (203.0.113.20:8080)"
expect_ok "control: the host (My IP) reaches b's sshd at $b_pub" \
	host_probe "$b_pub" timeout 5 bash -c "exec 3<>/dev/tcp/$b_pub/22"
# shellcheck disable=SC2086 # one word per port
open=$(lv_exec "$b" python3 /var/tmp/t/connect.py 192.0.2.1 $ports)
[ -z "$open" ] || fail "from b the host accepts connections at 192.0.2.1: $open"
echo "ok (denied): none of the host's $(wc -w <<<"$ports") listening TCP ports ($ports) accepts b at 192.0.2.1"
# The control: an accept for our own port ahead of the host table's drop
# (the daemon's pass may remove it within 5 s: a try counts while it is in).
ctl=""
for _ in 1 2 3 4 5; do
	h=$(nft --echo --handle insert rule inet "$LV_PREFIX" input tcp dport "$own" accept |
		grep -o 'handle [0-9]*' | awk '{print $2}')
	[ -n "$h" ] || fail "control: could not insert the accept"
	got=$(lv_exec "$b" python3 /var/tmp/t/connect.py 192.0.2.1 "$own")
	nft -a list chain inet "$LV_PREFIX" input | grep -q "handle $h\$" || continue
	nft delete rule inet "$LV_PREFIX" input handle "$h"
	ctl=$got
	break
done
[ "$ctl" = "open $own" ] || fail "control: with an accept for $own, b must connect to 192.0.2.1:$own: '$ctl'"
echo "ok: control: with the host's drop bypassed for port $own, b connects, so the drop is what refuses"
echo "PASS"
