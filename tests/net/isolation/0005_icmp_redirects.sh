#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ICMP redirects (security checklist 7; issue 10): the VPC router never
# sends one.  The one case where Linux would: a packet that leaves by the
# interface it came in on.  a (source/destination check off) is the target
# of its subnet's route to 203.0.113.0/24 and sends there itself, so the
# router forwards a's packet back out of a's own veth.  a's raw ICMP socket
# sees no redirect (type 5); the control sets send_redirects=1 on the
# router's end of a's veth for one packet and the redirect comes, so the 0
# is what keeps it away.  (That instances accept none — accept_redirects=0
# on all, default and eth0 — is read in 0004; no redirect can reach an
# instance from anyone but the router, which sends none.)
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.15.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc"
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.15.0.0/24 --query Subnet.SubnetId)
a=$(ec2 run-instances --image-id $ami --subnet-id "$sn" --query 'Instances[0].InstanceId')
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_ip=$(q "$a" PrivateIpAddress)
a_eni=$(q "$a" 'NetworkInterfaces[0].NetworkInterfaceId')
ec2 modify-instance-attribute --instance-id "$a" --no-source-dest-check
rt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 associate-route-table --route-table-id "$rt" --subnet-id "$sn" >/dev/null
ec2 create-route --route-table-id "$rt" --destination-cidr-block 203.0.113.0/24 \
	--network-interface-id "$a_eni" >/dev/null
router=$LV_PREFIX-v${vpc: -8}
va=e${a_eni: -8}
sshd_wait "$a"

lv_exec "$a" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/redir.py" <<'PY'
import socket, struct, sys, time
# Every ICMP redirect a receives while it sends UDP to DST, as "redirect GW".
dst = sys.argv[1]
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
icmp.settimeout(0.2)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("sent", flush=True)
end = time.time() + 2
n = 0
while time.time() < end:
    if n < 5:
        udp.sendto(b"x", (dst, 9))
        n += 1
    try:
        pkt = icmp.recv(2048)
    except socket.timeout:
        continue
    ihl = (pkt[0] & 15) * 4
    if pkt[ihl] == 5:
        print("redirect", socket.inet_ntoa(pkt[ihl + 4:ihl + 8]), flush=True)
PY
# The path really loops back through a: the router's route is via a.
ip netns exec "$router" ip route show table all | grep -q "203.0.113.0/24 via $a_ip dev $va" ||
	fail "the router has no route to 203.0.113.0/24 via a: $(ip netns exec "$router" ip route show table all | grep 203.0.113)"
for d in all "$va"; do
	[ "$(ip netns exec "$router" cat "/proc/sys/net/ipv4/conf/$d/send_redirects")" = 0 ] ||
		fail "send_redirects is not 0 on the router's $d"
done
out=$(lv_exec "$a" python3 /var/tmp/t/redir.py 203.0.113.9)
grep -q '^sent' <<<"$out" || fail "the probe did not run: $out"
grep -q '^redirect' <<<"$out" && fail "the router sent a redirect: $out"
echo "ok (denied): a packet the router sends back out of its ingress veth draws no redirect"
# The control: send_redirects=1 on that veth (either of all/ and the
# device's own is enough), and the same packet draws one.
ip netns exec "$router" sh -c "echo 1 > /proc/sys/net/ipv4/conf/$va/send_redirects"
push_teardown "ip netns exec '$router' sh -c 'echo 0 > /proc/sys/net/ipv4/conf/$va/send_redirects'"
out=$(lv_exec "$a" python3 /var/tmp/t/redir.py 203.0.113.10)
ip netns exec "$router" sh -c "echo 0 > /proc/sys/net/ipv4/conf/$va/send_redirects"
grep -q "^redirect $a_ip" <<<"$out" ||
	fail "control: with send_redirects=1 the router should redirect a to itself: $out"
echo "ok: control: with send_redirects=1 the same packet draws a redirect, so the 0 matters"
echo "PASS"
