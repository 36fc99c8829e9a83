#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Elastic IPs on real packets, through the aws CLI (spec §12): an EIP
# replaces the instance's public IP both ways, moving it to another
# instance (AllowReassociation) moves the traffic, it survives stop/start,
# and a released address goes nowhere.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.14.0.0/16 --query Vpc.VpcId)
pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.14.0.0/24 --query Subnet.SubnetId)
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$rt" --subnet-id "$pub" >/dev/null
sg=$(ec2 create-security-group --vpc-id "$vpc" --group-name web --description web --query GroupId)
ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 8000 --cidr 0.0.0.0/0 >/dev/null
ids=$(ec2 run-instances --image-id $ami --count 2 --subnet-id "$pub" --security-group-ids "$sg" \
	--query 'Instances[].InstanceId')
a=${ids%%[[:space:]]*}
b=${ids##*[[:space:]]}
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
[ "$(q "$a" PublicIpAddress)" = None ] || fail "no public IP expected without auto-assign"
sshd_wait "$a" "$b"
serve() { # INSTANCE: an HTTP server on :8000 that answers its hostname
	"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$1" -- bash -c \
		'mkdir -p /var/tmp/w && hostname >/var/tmp/w/index.html && exec timeout 120 python3 -m http.server 8000 --directory /var/tmp/w' \
		>/dev/null 2>&1 &
	push_teardown "kill $!"
	wait_until 10 lv_exec "$1" bash -c "ss -tln | grep -q :8000"
}
serve "$a"
serve "$b"
web_server 203.0.113.40 8080 "$work/www.log"
who() { lv_internet --from 203.0.113.40 -- curl -sf --max-time 3 "http://$1:8000/"; }

read -r alloc eip < <(ec2 allocate-address --domain vpc --query '[AllocationId,PublicIp]')
in_pool "$eip" || fail "Elastic IP $eip is not in the emulated pool"
expect_denied "an unassociated EIP leads nowhere" who "$eip"
ec2 associate-address --allocation-id "$alloc" --instance-id "$a" >/dev/null
[ "$(q "$a" PublicIpAddress)" = "$eip" ] || fail "DescribeInstances shows the EIP"
[ "$(who "$eip")" = "ip-$(q "$a" PrivateIpAddress | tr . -)" ] || fail "the EIP reaches a"
echo "ok: the EIP reaches instance a"
expect_ok "a reaches the internet" lv_exec "$a" curl -sf --max-time 3 -o /dev/null http://203.0.113.40:8080/
grep -q "^$eip " "$work/www.log" || fail "the internet host should see the EIP as a's source"
echo "ok: a's traffic leaves from the EIP"

# Moving it: refused without AllowReassociation, then done.
ec2 associate-address --allocation-id "$alloc" --instance-id "$b" --no-allow-reassociation >/dev/null 2>&1 &&
	fail "re-association without AllowReassociation must be refused"
ec2 associate-address --allocation-id "$alloc" --instance-id "$b" --allow-reassociation >/dev/null
[ "$(who "$eip")" = "ip-$(q "$b" PrivateIpAddress | tr . -)" ] || fail "after the move the EIP reaches b"
echo "ok: the moved EIP now reaches b"
[ "$(q "$a" PublicIpAddress)" = None ] || fail "a keeps no public IP after the move"
expect_denied "a has no way out without a public IP" \
	lv_exec "$a" curl -sf --max-time 2 -o /dev/null http://203.0.113.40:8080/

# It survives stop and start.
ec2 stop-instances --instance-ids "$b" >/dev/null
[ "$(q "$b" PublicIpAddress)" = "$eip" ] || fail "a stopped instance keeps its EIP"
expect_denied "stopped: nothing answers" who "$eip"
ec2 start-instances --instance-ids "$b" >/dev/null
[ "$(q "$b" PublicIpAddress)" = "$eip" ] || fail "the EIP survives stop/start"
sshd_wait "$b"
serve "$b"
[ "$(who "$eip")" = "ip-$(q "$b" PrivateIpAddress | tr . -)" ] || fail "after start the EIP reaches b again"
echo "ok: the EIP survives stop/start"

# Released: gone.
ec2 disassociate-address --association-id "$(ec2 describe-addresses --allocation-ids "$alloc" \
	--query 'Addresses[0].AssociationId')"
expect_denied "disassociated: the EIP leads nowhere" who "$eip"
ec2 release-address --allocation-id "$alloc"
expect_denied "released: nothing" who "$eip"
echo "PASS"
