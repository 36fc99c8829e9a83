#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Broadcast, multicast, IPv6 and the per-namespace sysctls (security
# checklist 32, 5 and 31; issue 10).  Every group is open: what is refused
# here is the wiring's.
#   32: a's datagrams to the subnet broadcast, 255.255.255.255 and
#       224.0.0.1 reach neither b (same subnet) nor c (another subnet),
#       while a's unicast reaches both and b's listener does take b's own
#       broadcasts and multicasts (looped back), so it would see a's.
#   5:  root in a and b turns IPv6 back on (their /proc/sys/net is theirs);
#       a's ping6 to ff02::1, to b's link-local and to the address the
#       router's end of a's veth would have gets no answer, and a's router
#       advertisement teaches nobody a prefix, a route or a neighbour.  The
#       control: with IPv6 on at the router's end of a's veth and an accept
#       for IPv6 in its input chain (both undone at once), the same ping6
#       is answered and the same advertisement is learnt.
#   31: /proc/sys read in every instance, router and inet namespace.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.14.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc"
sn1=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.14.1.0/24 --query Subnet.SubnetId)
sn2=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.14.2.0/24 --query Subnet.SubnetId)
read -r a b < <(ec2 run-instances --image-id $ami --count 2 --subnet-id "$sn1" \
	--query 'Instances[].InstanceId' | tr '\t' ' ')
c=$(ec2 run-instances --image-id $ami --subnet-id "$sn2" --query 'Instances[0].InstanceId')
[ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] || fail "three instances"
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_ip=$(q "$a" PrivateIpAddress) b_ip=$(q "$b" PrivateIpAddress) c_ip=$(q "$c" PrivateIpAddress)
a_eni=$(q "$a" 'NetworkInterfaces[0].NetworkInterfaceId')
router=$LV_PREFIX-v${vpc: -8}
inet=$LV_PREFIX-inet
va=e${a_eni: -8}
ip netns list | grep -q "^$router" || fail "no router namespace $router"
sshd_wait "$a" "$b" "$c"
for x in "$a" "$b" "$c"; do
	lv_exec "$x" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/t.py" <<'PY'
import socket, struct, sys, time
cmd = sys.argv[1]
if cmd == "listen":  # every datagram on UDP 7100, as "SOURCE PAYLOAD"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 7100))
    print("ready", flush=True)
    while True:
        d, peer = s.recvfrom(2048)
        print(peer[0], d.decode(errors="replace"), flush=True)
elif cmd == "send":  # send SRC DST TAG: broadcast and multicast allowed
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[2]))
    s.bind((sys.argv[2], 0))
    for _ in range(3):
        s.sendto(sys.argv[4].encode(), (sys.argv[3], 7100))
elif cmd == "ra":  # ra MAC: a router advertisement of 2001:db8:14::/64 to ff02::1
    mac = bytes.fromhex(sys.argv[2].replace(":", ""))
    ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
    ra += struct.pack("!BB6s", 1, 1, mac)
    ra += struct.pack("!BBBBIII16s", 3, 4, 64, 0xC0, 86400, 14400, 0,
                      socket.inet_pton(socket.AF_INET6, "2001:db8:14::"))
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    idx = socket.if_nametoindex("eth0")
    try:
        for _ in range(3):
            s.sendto(ra, ("ff02::1", 0, 0, idx))
            time.sleep(0.2)
        print("ra 1")
    except OSError as e:  # no link-local any more: the try does not count
        print("ra 0", e)
PY
done

# --- 32: broadcast and multicast ------------------------------------------
for x in b c; do
	id=$b
	[ $x = b ] || id=$c
	"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$id" -- python3 -u /var/tmp/t/t.py listen \
		>"$work/got-$x" &
	push_teardown "kill $!"
	wait_until 10 grep -q ready "$work/got-$x" || fail "$x's listener did not start"
done
send() { lv_exec "$1" python3 /var/tmp/t/t.py send "$2" "$3" "$4"; }
send "$a" "$a_ip" 10.14.1.255 subnet-bcast
send "$a" "$a_ip" 255.255.255.255 limited-bcast
send "$a" "$a_ip" 224.0.0.1 all-hosts
send "$a" "$a_ip" 10.14.2.255 other-subnet-bcast
send "$a" "$a_ip" 10.14.255.255 vpc-bcast
# The controls: unicast from a arrives; b hears its own broadcasts.
send "$a" "$a_ip" "$b_ip" unicast-b
send "$a" "$a_ip" "$c_ip" unicast-c
send "$b" "$b_ip" 10.14.1.255 own-subnet-bcast
send "$b" "$b_ip" 255.255.255.255 own-limited-bcast
send "$b" "$b_ip" 224.0.0.1 own-all-hosts
wait_until 5 grep -q "^$a_ip unicast-b" "$work/got-b" || fail "a's unicast must reach b: $(cat "$work/got-b")"
wait_until 5 grep -q "^$a_ip unicast-c" "$work/got-c" || fail "a's unicast must reach c: $(cat "$work/got-c")"
for t in own-subnet-bcast own-limited-bcast own-all-hosts; do
	wait_until 5 grep -q " $t\$" "$work/got-b" ||
		fail "control: b's listener must take b's own $t: $(cat "$work/got-b")"
done
echo "ok: a's unicast reaches b and c; b's listener takes broadcast and multicast (its own)"
sleep 1
for x in b c; do
	if grep -q "^$a_ip .*bcast\|^$a_ip all-hosts" "$work/got-$x"; then
		fail "a's broadcast or multicast reached $x: $(grep "^$a_ip" "$work/got-$x")"
	fi
done
echo "ok (denied): a's subnet, VPC and limited broadcasts and 224.0.0.1 reach no other instance"

# --- 5: IPv6 ----------------------------------------------------------------
# Root in an instance may turn IPv6 back on (its /proc/sys/net is its own);
# the daemon's periodic pass (every 5 s) turns it off again, so each try
# turns it on in a and b (accept_dad=0: usable at once), probes, and
# counts only if both still had it at the end.
v6_on() {
	lv_exec "$1" sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0
}
ll() { # the instance's eth0 link-local
	lv_exec "$1" ip -6 -o addr show dev eth0 scope link | grep -v tentative | awk '{print $4}' | cut -d/ -f1
}
has_ll() { [ -n "$(ll "$1")" ]; }
# fe80::/64 + EUI-64 of the router's MAC on a's veth: what it would have.
r_mac=$(ip -n "$router" -br link show "$va" | awk '{print $3}')
r_ll=$(/usr/bin/python3 -c 'import sys
m = [int(x, 16) for x in sys.argv[1].split(":")]
m[0] ^= 2
e = m[:3] + [0xff, 0xfe] + m[3:]
print("fe80::%x:%x:%x:%x" % tuple((e[i] << 8) | e[i + 1] for i in range(0, 8, 2)))' "$r_mac")
a_mac=$(lv_exec "$a" cat /sys/class/net/eth0/address)
learnt() { # CMD...: IPv6 state other than link-local and loopback
	"$@" -6 addr show 2>/dev/null | grep inet6 | grep -v 'scope link\|scope host' || true
	"$@" -6 route show 2>/dev/null | grep -v '^fe80::/64\|^multicast\|^local\|^anycast' || true
	"$@" -6 neigh show 2>/dev/null || true
}
# probe OUT: a's ping6 to ff02::1, b's and the router's link-local, then
# a's router advertisement; OUT gets "all N" (replies from others than a
# to ff02::1), "b 0|1", "router 0|1", "ra 1" (sent).  Fails when the
# advertisement could not be sent or IPv6 was gone at the end.
probe() {
	v6_on "$b" && v6_on "$a" || fail "root in an instance could not turn IPv6 on"
	wait_until 3 has_ll "$a" && wait_until 3 has_ll "$b" || return 1
	a_ll=$(ll "$a") b_ll=$(ll "$b")
	lv_exec "$a" bash -c "
		echo all \$(ping -6 -c2 -i0.3 -W1 ff02::1%eth0 2>/dev/null | grep 'bytes from' | grep -vc 'from $a_ll')
		ping -6 -c1 -W1 $b_ll%eth0 >/dev/null 2>&1 && echo b 1 || echo b 0
		ping -6 -c1 -W1 $r_ll%eth0 >/dev/null 2>&1 && echo router 1 || echo router 0
		python3 /var/tmp/t/t.py ra $a_mac" >"$1"
	grep -qx 'ra 1' "$1" && has_ll "$a" && has_ll "$b"
}
probed=0
for _ in 1 2 3 4 5 6; do probe "$work/v6" && { probed=1; break; }; done
[ $probed = 1 ] || fail "IPv6 never stayed on in a and b for one probe"
grep -qx 'all 0' "$work/v6" || fail "someone other than a answered a's ping6 to ff02::1: $(cat "$work/v6")"
grep -qx 'b 0' "$work/v6" || fail "b answered a's ping6 to its link-local"
grep -qx 'router 0' "$work/v6" || fail "the router answered a's ping6 to $r_ll"
echo "ok (denied): a's ping6 to ff02::1, to b's link-local and to the router's $r_ll: no answer"
sleep 0.5
for ns in "$router" "$inet"; do
	got=$(learnt ip -n "$ns")
	[ -z "$got" ] || fail "$ns has IPv6 state: $got"
	[ "$(ip netns exec "$ns" cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" = 1 ] || fail "IPv6 is on in $ns"
done
got=$(learnt lv_exec "$b" ip)
[ -z "$got" ] || fail "b learnt IPv6 state from a: $got"
echo "ok (denied): a's router advertisement teaches the router, the internet and b nothing"
# The control: the same probes with IPv6 let in at the router's end of a's
# veth (the sysctl and an accept in the input chain, which the periodic
# pass removes within 5 s: a try counts only if it was still there).
r_ll_of() { ip -n "$router" -6 -o addr show dev "$va" scope link | awk '{print $4}' | cut -d/ -f1; }
r_learnt() { ip -n "$router" -6 addr show dev "$va" | grep -q 2001:db8:14:; }
push_teardown "ip netns exec '$router' sh -c 'echo 1 > /proc/sys/net/ipv6/conf/$va/disable_ipv6'"
ctl_ok=0
for _ in 1 2 3 4 5 6; do
	ip netns exec "$router" sh -c "echo 0 > /proc/sys/net/ipv6/conf/$va/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/$va/disable_ipv6"
	h=$(ip netns exec "$router" nft --echo --handle insert rule inet "$LV_PREFIX" input meta nfproto ipv6 accept |
		grep -o 'handle [0-9]*' | awk '{print $2}')
	[ -n "$h" ] || fail "control: could not insert the IPv6 accept"
	probe "$work/v6-ctl" || continue
	wait_until 2 r_learnt || true
	r_learnt && learnt_ok=1 || learnt_ok=0
	still=$(ip netns exec "$router" nft -a list chain inet "$LV_PREFIX" input | grep -c "handle $h\$" || true)
	ip netns exec "$router" nft delete rule inet "$LV_PREFIX" input handle "$h" 2>/dev/null || true
	ip netns exec "$router" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$va/disable_ipv6"
	[ "$still" = 1 ] || continue
	grep -qx 'router 1' "$work/v6-ctl" && [ "$learnt_ok" = 1 ] && ctl_ok=1
	break
done
ip netns exec "$router" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$va/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/$va/accept_dad"
[ "$(r_ll_of)" = "" ] || fail "the router kept an IPv6 address on $va after the control"
[ $ctl_ok = 1 ] || fail "control: with IPv6 let in, the router must answer a's ping6 and learn its advertisement: $(cat "$work/v6-ctl"), learnt=${learnt_ok:-?}"
[ -z "$(learnt ip -n "$router")" ] || fail "the router kept IPv6 state after the control"
echo "ok: control: with IPv6 let in at the router, a's ping6 is answered and its advertisement learnt"
# And the daemon takes IPv6 away from an instance again (its periodic pass).
lv_exec "$a" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0
v6_off() { [ "$(lv_exec "$1" cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 1 ]; }
wait_until 15 v6_off "$a" ||
	fail "the daemon did not turn IPv6 off again in a"
echo "ok: IPv6 turned on by root in an instance is turned off again by the daemon's next pass"
# --- 31: sysctls, read in each namespace ------------------------------------
# want NS-LABEL READER VALUE PATH...: every PATH under /proc/sys/net reads VALUE.
want() {
	local label=$1 reader=$2 value=$3 p got
	shift 3
	for p in "$@"; do
		got=$($reader cat "/proc/sys/net/$p") || fail "$label: cannot read $p"
		[ "$got" = "$value" ] || fail "$label: $p is $got, not $value"
	done
}
for x in "$a" "$b" "$c"; do
	rd="lv_exec $x"
	# a and b turned IPv6 on themselves above (root in an instance may, as
	# on EC2); c did not: its netns is as the daemon made it.
	want "instance $x" "$rd" 0 ipv4/ip_forward
	for d in all default eth0; do
		want "instance $x" "$rd" 0 "ipv4/conf/$d/accept_redirects" "ipv4/conf/$d/secure_redirects" \
			"ipv4/conf/$d/accept_source_route"
	done
done
for d in all default eth0; do
	want "instance c" "lv_exec $c" 1 "ipv6/conf/$d/disable_ipv6"
done
echo "ok: instances: no redirects accepted, no source routes, no forwarding; IPv6 off (c)"
rd="ip netns exec $router"
devs=$(ip -n "$router" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$')
want router "$rd" 1 ipv4/ip_forward
want router "$rd" 0 ipv6/conf/all/forwarding
for d in all default $devs; do
	want "router $d" "$rd" 0 "ipv4/conf/$d/send_redirects" "ipv4/conf/$d/rp_filter" \
		"ipv4/conf/$d/arp_accept" "ipv4/conf/$d/route_localnet"
	want "router $d" "$rd" 1 "ipv6/conf/$d/disable_ipv6"
done
want router "$rd" 0 ipv4/conf/all/accept_redirects ipv4/conf/all/accept_source_route
echo "ok: router: forwarding on; send_redirects, rp_filter, arp_accept, route_localnet 0 and IPv6 off on all, default and $(echo $devs | wc -w) links"
rd="ip netns exec $inet"
devs=$(ip -n "$inet" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$')
want inet "$rd" 1 ipv4/ip_forward
for d in all default $devs; do
	want "inet $d" "$rd" 0 "ipv4/conf/$d/send_redirects" "ipv4/conf/$d/route_localnet"
	want "inet $d" "$rd" 1 "ipv6/conf/$d/disable_ipv6"
done
echo "ok: inet: forwarding on; send_redirects, route_localnet 0 and IPv6 off on all, default and $(echo $devs | wc -w) links"
echo "PASS"
