#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The source/destination check on real packets (spec ENI-4, ENI-5): an ENI
# drops what it sends from an address not its own and what is delivered to
# it for an address not its own, until the check is turned off — through
# ModifyInstanceAttribute and ModifyNetworkInterfaceAttribute alike.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.8.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # this test is about the check: groups let everything in
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.8.0.0/24 --query Subnet.SubnetId)
ids=$(ec2 run-instances --image-id $ami --count 2 --subnet-id "$sn" --query 'Instances[].InstanceId')
a=${ids%%[[:space:]]*}
b=${ids##*[[:space:]]}
ip_of() { ec2 describe-instances --instance-ids "$1" --query 'Reservations[0].Instances[0].PrivateIpAddress'; }
b_ip=$(ip_of "$b")
b_eni=$(ec2 describe-instances --instance-ids "$b" \
	--query 'Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId')
for x in "$a" "$b"; do
	wait_until 30 lv_exec "$x" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $x"
done

# A UDP datagram with a chosen source (tests/lib/spoof_udp.py).
lv_exec "$a" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/spoof.py" <"$(dirname "$0")/../../lib/spoof_udp.py"

listen() { # FILE: b collects UDP on 9000, every address
	"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$b" -- timeout 30 nc -u -l -k -p 9000 >"$1" &
	push_teardown "kill $!"
	wait_until 5 lv_exec "$b" bash -c "ss -uln | grep -q :9000"
}

# Source check of the sender.
listen "$work/src-on"
lv_exec "$a" python3 /var/tmp/t/spoof.py 10.8.0.99 "$b_ip" 9000 forged-on
sleep 1
grep -q forged-on "$work/src-on" && fail "a forged source passed the check"
echo "ok (denied): a forged source is dropped while the sender's check is on"
ec2 modify-instance-attribute --instance-id "$a" --no-source-dest-check
[ "$(ec2 describe-instances --instance-ids "$a" --query 'Reservations[0].Instances[0].SourceDestCheck')" = False ] ||
	fail "SourceDestCheck is not shown as false"
lv_exec "$a" python3 /var/tmp/t/spoof.py 10.8.0.99 "$b_ip" 9000 forged-off
wait_until 5 grep -q forged-off "$work/src-on" || fail "with the check off the datagram must pass"
echo "ok: with the sender's check off the forged source passes"

# Destination check of the receiver: 10.99.0.0/16 is routed to b's ENI,
# where b also holds 10.99.0.5; packets for it are not b's own address.
rt=$(ec2 describe-route-tables --filters "Name=vpc-id,Values=$vpc" Name=association.main,Values=true \
	--query 'RouteTables[0].RouteTableId')
ec2 create-route --route-table-id "$rt" --destination-cidr-block 10.99.0.0/16 \
	--network-interface-id "$b_eni" >/dev/null
lv_exec "$b" ip addr add 10.99.0.5/32 dev lo
expect_denied "delivered to b for an address not its own: dropped (check on)" \
	bash -c "lv_exec $a bash -c 'echo to-other | nc -u -w1 10.99.0.5 9000'; sleep 1; grep -q to-other '$work/src-on'"
ec2 modify-network-interface-attribute --network-interface-id "$b_eni" --no-source-dest-check
lv_exec "$a" bash -c 'echo to-other2 | nc -u -w1 10.99.0.5 9000' || true
wait_until 5 grep -q to-other2 "$work/src-on" || fail "with b's check off it must be delivered"
echo "ok: with the receiver's check off the packet is delivered"
ec2 modify-network-interface-attribute --network-interface-id "$b_eni" --source-dest-check
expect_denied "the check back on: dropped again" \
	bash -c "lv_exec $a bash -c 'echo to-other3 | nc -u -w1 10.99.0.5 9000'; sleep 1; grep -q to-other3 '$work/src-on'"
echo "PASS"
