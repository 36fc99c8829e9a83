#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Closed by construction and routes to instances: two VPCs never reach each
# other; an instance with a public IP cannot reach services of the host
# ("My IP" admits only replies); nothing in the emulated internet has a
# route to a real network; a route whose target is an instance sends traffic
# through that instance — only with its source/destination check off — and
# turns blackhole when the instance stops (RT-19, ENI-4, SEED-T9).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.4.0.0/16 --query Vpc.VpcId)
# The seed's NAT SG: all traffic from the private subnet.
natsg=$(ec2 create-security-group --vpc-id "$vpc" --group-name "NAT SG" --description "from private" --query GroupId)
ec2 authorize-security-group-ingress --group-id "$natsg" --protocol all --cidr 10.4.1.0/24 >/dev/null
pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.4.0.0/24 --query Subnet.SubnetId)
priv=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.4.1.0/24 --query Subnet.SubnetId)
ec2 modify-subnet-attribute --subnet-id "$pub" --map-public-ip-on-launch
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
pubrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$pubrt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$pubrt" --subnet-id "$pub" >/dev/null
privrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 associate-route-table --route-table-id "$privrt" --subnet-id "$priv" >/dev/null

# The seed's NAT instance: forwarding and MASQUERADE from its user data.
printf '#!/bin/sh\nsysctl -w net.ipv4.ip_forward=1\nsysctl -w net.ipv4.conf.eth0.send_redirects=0\niptables -t nat -A POSTROUTING -o eth0 -s 10.4.1.0/24 -j MASQUERADE\n' >"$work/nat.sh"
nat=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$pub" --user-data "file://$work/nat.sh" \
	--security-group-ids "$natsg" --query 'Instances[0].InstanceId')
b=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$priv" --query 'Instances[0].InstanceId')
nat_pub=$(ec2 describe-instances --instance-ids "$nat" --query 'Reservations[0].Instances[0].PublicIpAddress')
b_ip=$(ec2 describe-instances --instance-ids "$b" --query 'Reservations[0].Instances[0].PrivateIpAddress')

# A second VPC with the same kind of instance.
vpc2=$(ec2 create-vpc --cidr-block 10.5.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc2" # denials below are routing's, not a group's
sn2=$(ec2 create-subnet --vpc-id "$vpc2" --cidr-block 10.5.0.0/24 --query Subnet.SubnetId)
c=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn2" --query 'Instances[0].InstanceId')
c_ip=$(ec2 describe-instances --instance-ids "$c" --query 'Reservations[0].Instances[0].PrivateIpAddress')
wait_until 20 lv_exec "$c" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $c"
expect_denied "VPCs are isolated: no packet from one reaches the other" lv_exec "$nat" ping -c1 -W2 "$c_ip"
expect_denied "... nor TCP" lv_exec "$nat" curl -s --max-time 3 "http://$c_ip:22/"

# Services of the host: reachable from the host, never from an instance.
python3 -m http.server 18080 --bind 192.0.2.1 --directory "$work" >/dev/null 2>&1 &
push_teardown "kill $!"
wait_until 10 curl -sf -o /dev/null http://192.0.2.1:18080/
expect_denied "an instance cannot open connections to the host (My IP)" \
	lv_exec "$nat" curl -s --max-time 3 -o /dev/null http://192.0.2.1:18080/
# No route to anything outside the emulated ranges (asked of the routing
# table: no packet is sent to a real address).
inet="$LV_PREFIX-inet"
for dst in 1.1.1.1 10.0.0.1 172.16.0.1 192.168.1.1; do
	ip -n "$inet" route get "$dst" >/dev/null 2>&1 && fail "the emulated internet routes to $dst"
	ip -n "$LV_PREFIX-v${vpc: -8}" route get "$dst" mark 0 >/dev/null 2>&1 &&
		fail "a VPC router routes unmarked traffic to $dst"
done
echo "ok: no route out of the emulated ranges"

# The internet host and a route through the NAT instance.
lv_internet --from 203.0.113.20 -- true
"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from 203.0.113.20 -- \
	/usr/bin/python3 -m http.server 8080 --bind 203.0.113.20 --directory "$work" 2>"$work/www.log" &
push_teardown "kill $!"
wait_until 10 lv_internet --from 203.0.113.20 -- bash -c "exec 3<>/dev/tcp/203.0.113.20/8080"
wait_until 20 lv_exec "$nat" bash -c "iptables -t nat -S | grep -q MASQUERADE" || fail "NAT user data"
ec2 create-route --route-table-id "$privrt" --destination-cidr-block 0.0.0.0/0 --instance-id "$nat" >/dev/null
expect_denied "source/dest check on: the NAT instance cannot forward" \
	lv_exec "$b" curl -sf --max-time 3 -o /dev/null http://203.0.113.20:8080/
ec2 modify-instance-attribute --instance-id "$nat" --no-source-dest-check
expect_ok "check off: the private instance reaches the internet through the NAT instance" \
	lv_exec "$b" curl -sf --max-time 5 -o /dev/null http://203.0.113.20:8080/
grep -q "^$nat_pub " "$work/www.log" || fail "the internet host should see the NAT instance's public IP"
echo "ok: the internet host saw $nat_pub"
expect_denied "the internet cannot open a connection to the private instance behind it" \
	lv_internet --from 203.0.113.20 -- timeout 2 bash -c "exec 3<>/dev/tcp/$b_ip/22"
expect_denied "... nor through the NAT instance's public IP" \
	lv_internet --from 203.0.113.20 -- timeout 2 bash -c "exec 3<>/dev/tcp/$nat_pub/22"
ec2 modify-instance-attribute --instance-id "$nat" --source-dest-check
expect_denied "check back on: the path is cut" \
	lv_exec "$b" curl -sf --max-time 3 -o /dev/null http://203.0.113.20:8080/
ec2 modify-instance-attribute --instance-id "$nat" --no-source-dest-check
ec2 stop-instances --instance-ids "$nat" >/dev/null
state=$(ec2 describe-route-tables --route-table-ids "$privrt" \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].State")
[ "$state" = blackhole ] || fail "a route to a stopped instance shows blackhole, not $state"
expect_denied "the route to a stopped instance drops" \
	lv_exec "$b" curl -sf --max-time 3 -o /dev/null http://203.0.113.20:8080/
echo "PASS"
