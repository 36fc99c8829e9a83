#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fragments (issue 10, isolation): a security group judges a datagram
# whole, however it is cut.  b admits UDP 5000 and nothing else: a 3,000
# byte datagram the sender's kernel fragments reaches 5000 whole and never
# 6000; hand-made fragments that smuggle a denied port — a first fragment
# for the allowed port whose header a later, overlapping fragment rewrites
# to the denied one (RFC 1858), or a header split off into a fragment of
# its own — deliver nothing to the denied port.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.12.0.0/16 --query Vpc.VpcId)
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.12.0.0/24 --query Subnet.SubnetId)
sg=$(ec2 create-security-group --vpc-id "$vpc" --group-name udp5000 --description "UDP 5000 only" \
	--query GroupId)
ec2 authorize-security-group-ingress --group-id "$sg" --protocol udp --port 5000 \
	--cidr 10.12.0.0/24 >/dev/null
a=$(ec2 run-instances --image-id $ami --subnet-id "$sn" --query 'Instances[0].InstanceId')
b=$(ec2 run-instances --image-id $ami --subnet-id "$sn" --security-group-ids "$sg" \
	--query 'Instances[0].InstanceId')
b_ip=$(ec2 describe-instances --instance-ids "$b" --query 'Reservations[0].Instances[0].PrivateIpAddress')
sshd_wait "$a" "$b"

# b: every datagram on 5000 and 6000, as "PORT LENGTH PAYLOAD-PREFIX".
cat >"$work/listen.py" <<'PY'
import select, socket, sys
socks = []
for p in (5000, 6000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", p))
    socks.append(s)
print("ready", flush=True)
while True:
    for s in select.select(socks, [], [])[0]:
        d, _ = s.recvfrom(65535)
        print(s.getsockname()[1], len(d), d[:12].decode(errors="replace"), flush=True)
PY
# a: a large datagram its kernel fragments, and fragments made by hand.
cat >"$work/frag.py" <<'PY'
import socket, struct, sys
dst, mode, port, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
if mode == "big":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER = IP_PMTUDISC_DONT
    s.sendto(tag + b"x" * (3000 - len(tag)), (dst, port))
    sys.exit(0)
src = socket.inet_aton(sys.argv[5])
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
def frag(ident, off8, more, data):
    flags = (0x2000 if more else 0) | off8
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, flags, 64, 17, 0,
                     src, socket.inet_aton(dst))
    raw.sendto(ip + data, (dst, 0))
body = tag + b"y" * 28
allowed = struct.pack("!HHHH", 40000, 5000, 8 + len(body), 0) + body
denied = struct.pack("!HHHH", 40000, port, 8 + len(body), 0) + body
if mode == "overlap":
    # First fragment: header for 5000 and 8 bytes; the second starts at
    # offset 0 again (overlap) and carries the header for the denied port.
    frag(0x5151, 0, True, allowed[:16])
    frag(0x5151, 0, False, denied)
elif mode == "split":
    # The UDP header alone in a first fragment of 8 bytes for the denied
    # port, the rest after it: only the reassembled datagram tells.
    frag(0x5252, 0, True, denied[:8])
    frag(0x5252, 1, False, denied[8:])
PY
for f in listen.py frag.py; do
	lv_exec "$a" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/$f" <"$work/$f"
	lv_exec "$b" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/$f" <"$work/$f"
done
a_ip=$(ec2 describe-instances --instance-ids "$a" --query 'Reservations[0].Instances[0].PrivateIpAddress')
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$b" -- python3 -u /var/tmp/t/listen.py >"$work/got" &
push_teardown "kill $!"
wait_until 10 grep -q ready "$work/got" || fail "b's listener did not start"

send() { lv_exec "$a" python3 /var/tmp/t/frag.py "$b_ip" "$@" "$a_ip"; }
send big 5000 big-allowed
wait_until 5 grep -q "^5000 3000 big-allowed" "$work/got" ||
	fail "a fragmented datagram to the allowed port must arrive whole: $(cat "$work/got")"
echo "ok: 3,000 bytes in fragments reach UDP 5000 whole"
send big 6000 big-denied
send overlap 6000 overlap6000
send split 6000 split6000
# The control: the same hand-made split, to the allowed port, arrives.
send split 5000 split5000
wait_until 5 grep -q "^5000 .* split5000" "$work/got" ||
	fail "a hand-made fragmented datagram to the allowed port must arrive: $(cat "$work/got")"
echo "ok: hand-made fragments of an allowed datagram arrive"
sleep 1
if grep -q "^6000" "$work/got"; then
	fail "a datagram reached the denied port: $(grep '^6000' "$work/got")"
fi
echo "ok (denied): no fragmented, overlapping or split datagram reached UDP 6000"
grep -q "overlap6000" "$work/got" && fail "the overlapping fragments were delivered at all"
echo "ok (denied): overlapping fragments are dropped, not reassembled"
# The same datagrams once the group admits 6000: the refusal above was the
# group's, not the test's.
ec2 authorize-security-group-ingress --group-id "$sg" --protocol udp --port 6000 \
	--cidr 10.12.0.0/24 >/dev/null
# (the new element reaches the kernel a moment later: retry, bounded)
for i in $(seq 1 40); do
	send split 6000 "open6000-$i"
	grep -q "^6000 .* open6000" "$work/got" && break
	sleep 0.25
done
grep -q "^6000 .* open6000" "$work/got" || fail "with 6000 admitted, the split datagram must arrive"
send big 6000 big-open
wait_until 5 grep -q "^6000 3000 big-open" "$work/got" || fail "with 6000 admitted, the big datagram must arrive"
echo "ok: once the group admits 6000, the same datagrams arrive"
echo "PASS"
