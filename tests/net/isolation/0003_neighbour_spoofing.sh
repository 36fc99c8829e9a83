#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Neighbour spoofing (security checklist 4; issue 10): instance a, root in
# its sandbox, sends gratuitous ARP (requests and replies) and unsolicited
# replies claiming b's address and the subnet router's .1, with its own MAC.
# Every ENI has a veth of its own into the router, so there is no shared
# segment to poison: b keeps receiving its traffic (c's datagrams reach b,
# never a), the router's entry for b on b's veth keeps b's MAC, b and c keep
# the router's MAC for .1, and arp_accept is 0 on every router-side veth.
# Controls prove the frames are real and the sysctl matters: the router
# does take a's reply for a's own address (an existing entry is updated),
# and with arp_accept=1 on a's veth an unsolicited reply creates an entry
# that arp_accept=0 refuses.
# Measured: the router's table on a's own veth does learn b's address with
# a's MAC (proxy ARP answers a's gratuitous request and records its sender,
# whatever arp_accept says); no route uses that entry, since b's /32 goes
# out of b's veth, so the test prints it and asserts only that a's MAC is
# on no other port (docs/security.md, item 4).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.13.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # what is refused below is the wiring's, not a group's
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.13.0.0/24 --query Subnet.SubnetId)
read -r a b c < <(ec2 run-instances --image-id $ami --count 3 --subnet-id "$sn" \
	--query 'Instances[].InstanceId' | tr '\t' ' ')
[ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] || fail "three instances"
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_ip=$(q "$a" PrivateIpAddress) b_ip=$(q "$b" PrivateIpAddress) c_ip=$(q "$c" PrivateIpAddress)
a_eni=$(q "$a" 'NetworkInterfaces[0].NetworkInterfaceId')
b_eni=$(q "$b" 'NetworkInterfaces[0].NetworkInterfaceId')
c_eni=$(q "$c" 'NetworkInterfaces[0].NetworkInterfaceId')
gw=10.13.0.1
router=$LV_PREFIX-v${vpc: -8}
va=e${a_eni: -8} vb=e${b_eni: -8} vc=e${c_eni: -8}
ip netns list | grep -q "^$router" || fail "no router namespace $router"
sshd_wait "$a" "$b" "$c"
mac_in() { lv_exec "$1" cat /sys/class/net/eth0/address; }
a_mac=$(mac_in "$a") b_mac=$(mac_in "$b")
rmac() { ip -n "$router" -br link show "$1" | awk '{print $3}'; } # the router's MAC on a veth
router_mac=$(rmac "$va")
# neigh_of NS-CMD IP DEV: the lladdr of IP's entry on DEV ("" when none).
r_neigh() { ip -n "$router" neigh show "$1" dev "$2" | awk '/lladdr/ {print $3}'; }
r_neigh_is() { [ "$(r_neigh "$1" "$2")" = "$3" ]; } # IP DEV MAC
r_has() { [ -n "$(r_neigh "$1" "$2")" ]; }           # IP DEV
i_neigh() { lv_exec "$1" ip neigh show "$2" dev eth0 | awk '/lladdr/ {print $3}'; }

# Before: everyone has talked to everyone, so every entry exists.
for x in "$a" "$b" "$c"; do
	for y in "$a_ip" "$b_ip" "$c_ip"; do
		lv_exec "$x" ping -c1 -W2 "$y" >/dev/null || fail "$x cannot reach $y before the attack"
	done
done
[ "$(r_neigh "$b_ip" "$vb")" = "$b_mac" ] || fail "router's entry for b is not b's MAC before the attack"

# a's forgeries, on a raw AF_PACKET socket: op 1 = request, 2 = reply.
cat >"$work/arp.py" <<'PY'
import socket, struct, sys
def mac(s): return bytes.fromhex(s.replace(":", ""))
dst, op, sha, sip, tha, tip = sys.argv[1:7]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0x0806))
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, int(op), mac(sha), socket.inet_aton(sip),
                  mac(tha), socket.inet_aton(tip))
frame = mac(dst) + mac(sha) + b"\x08\x06" + arp + b"\0" * 18
for _ in range(int(sys.argv[7]) if len(sys.argv) > 7 else 3):
    s.send(frame)
PY
# b and a both listen on UDP 7000: who gets c's datagrams?
cat >"$work/listen.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7000))
print("ready", flush=True)
while True:
    d, peer = s.recvfrom(2048)
    print(peer[0], d.decode(errors="replace"), flush=True)
PY
for x in "$a" "$b" "$c"; do
	for f in arp.py listen.py; do
		lv_exec "$x" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/$f" <"$work/$f"
	done
done
for x in a b; do
	id=$a
	[ $x = a ] || id=$b
	"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$id" -- python3 -u /var/tmp/t/listen.py \
		>"$work/got-$x" &
	push_teardown "kill $!"
	wait_until 10 grep -q ready "$work/got-$x" || fail "$x's listener did not start"
done

bcast=ff:ff:ff:ff:ff:ff zero=00:00:00:00:00:00
spoof() { lv_exec "$a" python3 /var/tmp/t/arp.py "$@"; }
for victim in "$b_ip" "$gw"; do
	spoof $bcast 1 "$a_mac" "$victim" $zero "$victim"             # gratuitous request
	spoof $bcast 2 "$a_mac" "$victim" $bcast "$victim"            # gratuitous reply
	spoof "$router_mac" 2 "$a_mac" "$victim" "$router_mac" "$gw"  # unsolicited reply to .1
	spoof "$router_mac" 2 "$a_mac" "$victim" "$router_mac" "$c_ip" # ... "to c"
done
echo "sent: gratuitous and unsolicited ARP for $b_ip and $gw from a ($a_mac)"
sleep 1

# After: b's traffic is still b's.
[ "$(r_neigh "$b_ip" "$vb")" = "$b_mac" ] ||
	fail "the router's entry for b on b's veth is $(r_neigh "$b_ip" "$vb"), not b's $b_mac"
echo "ok: the router's entry for b ($b_ip on $vb) is still b's MAC"
bad=$(ip -n "$router" neigh show | grep -i "$a_mac" | grep -v " dev $va " || true)
[ -z "$bad" ] || fail "a's MAC is on a router port other than a's own: $bad"
echo "ok: a's MAC appears in the router's table only on a's own veth $va"
echo "info: the router's table on $va: $(ip -n "$router" neigh show dev "$va" | tr '\n' ';')"
for i in 1 2 3; do
	lv_exec "$c" bash -c "echo from-c-$i > /dev/udp/$b_ip/7000"
done
wait_until 5 grep -q "^$c_ip from-c-3" "$work/got-b" || fail "b stopped receiving c's traffic: $(cat "$work/got-b")"
echo "ok: b still receives c's datagrams"
grep -q from-c "$work/got-a" && fail "a received traffic meant for b: $(cat "$work/got-a")"
echo "ok (denied): a receives none of b's traffic"
expect_ok "b still reaches the router and c" lv_exec "$b" ping -c1 -W2 "$c_ip"
for x in "$b:$vb" "$c:$vc"; do # INSTANCE:ITS-ROUTER-VETH
	m=$(i_neigh "${x%%:*}" "$gw")
	[ "$m" = "$(rmac "${x#*:}")" ] || fail "${x%%:*}'s entry for $gw is '$m', not the router's $(rmac "${x#*:}")"
done
echo "ok: b and c keep the router's MAC for $gw"
[ "$(r_neigh "$a_ip" "$va")" = "$a_mac" ] || fail "the router lost a's own entry"
for v in "$va" "$vb" "$vc"; do
	[ "$(ip netns exec "$router" cat "/proc/sys/net/ipv4/conf/$v/arp_accept")" = 0 ] ||
		fail "arp_accept is not 0 on $v"
done
[ "$(ip netns exec "$router" cat /proc/sys/net/ipv4/conf/all/arp_accept)" = 0 ] || fail "all/arp_accept is not 0"
echo "ok: arp_accept=0 on every router-side veth and on all/"

# Control 1: the router does process a's frames — a reply for a's own
# address with another MAC overrides a's entry (past the 1 s locktime).
sleep 1.2
spoof "$router_mac" 2 02:00:00:00:00:77 "$a_ip" "$router_mac" "$gw"
wait_until 3 r_neigh_is "$a_ip" "$va" 02:00:00:00:00:77 ||
	fail "control: the router ignored a's reply for its own address (frames not delivered?)"
spoof "$router_mac" 2 "$a_mac" "$a_ip" "$router_mac" "$gw"
echo "ok: control: the router takes a's reply for a's own address (the frames are real)"
# Control 2: arp_accept=0 is what refuses an entry from an unsolicited
# reply; set to 1 on a's veth, the same reply creates one.
ghost=10.13.0.77
spoof "$router_mac" 2 "$a_mac" "$ghost" "$router_mac" "$gw"
sleep 0.5
[ -z "$(r_neigh "$ghost" "$va")" ] || fail "an unsolicited reply created an entry with arp_accept=0"
echo "ok (denied): an unsolicited reply creates no entry (arp_accept=0)"
ip netns exec "$router" sh -c "echo 1 > /proc/sys/net/ipv4/conf/$va/arp_accept"
push_teardown "ip netns exec '$router' sh -c 'echo 0 > /proc/sys/net/ipv4/conf/$va/arp_accept'"
spoof "$router_mac" 2 "$a_mac" "$ghost" "$router_mac" "$gw"
wait_until 3 r_has "$ghost" "$va" ||
	fail "control: with arp_accept=1 the unsolicited reply should create an entry"
ip netns exec "$router" sh -c "echo 0 > /proc/sys/net/ipv4/conf/$va/arp_accept"
ip -n "$router" neigh del "$ghost" dev "$va" 2>/dev/null || true
echo "ok: control: with arp_accept=1 the same reply is learnt, so the 0 matters"
echo "PASS"
