#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The second seed's VPC peering on real packets, through the aws CLI (spec
# §13): the handshake (pending passes nothing), routes on both sides (one
# side alone passes nothing), overlapping CIDRs refused, and never
# transitive — VPC 1 ↔ 2 ↔ 3 does not let 1 reach 3 even with routes that
# way, nor use 2's internet gateway; a group may reference the peer's
# group; deleting the peering blackholes its routes.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

declare -A VPC SN RT INST IP
for n in 1 2 3; do
	VPC[$n]=$(ec2 create-vpc --cidr-block "10.2$n.0.0/16" --query Vpc.VpcId)
	open_default_sg "${VPC[$n]}" # groups are tested at the end
	SN[$n]=$(ec2 create-subnet --vpc-id "${VPC[$n]}" --cidr-block "10.2$n.0.0/24" --query Subnet.SubnetId)
	RT[$n]=$(ec2 describe-route-tables --filters "Name=vpc-id,Values=${VPC[$n]}" Name=association.main,Values=true \
		--query 'RouteTables[0].RouteTableId')
	INST[$n]=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "${SN[$n]}" --query 'Instances[0].InstanceId')
	IP[$n]=$(ec2 describe-instances --instance-ids "${INST[$n]}" --query 'Reservations[0].Instances[0].PrivateIpAddress')
done
sshd_wait "${INST[1]}" "${INST[2]}" "${INST[3]}"
reach() { lv_exec "${INST[$1]}" timeout 2 bash -c "exec 3<>/dev/tcp/${IP[$2]}/22"; }
route() { # N CIDR PCX
	ec2 create-route --route-table-id "${RT[$1]}" --destination-cidr-block "$2" --vpc-peering-connection-id "$3" >/dev/null
}
status() { ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$1" --query 'VpcPeeringConnections[0].Status.Code'; }

expect_denied "unpeered VPCs are isolated" reach 1 2
p12=$(ec2 create-vpc-peering-connection --vpc-id "${VPC[1]}" --peer-vpc-id "${VPC[2]}" \
	--query VpcPeeringConnection.VpcPeeringConnectionId)
[ "$(status "$p12")" = pending-acceptance ] || fail "a new peering is pending-acceptance, not $(status "$p12")"
route 1 10.22.0.0/16 "$p12"
route 2 10.21.0.0/16 "$p12"
expect_denied "pending: nothing passes, routes or not" reach 1 2
ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$p12" >/dev/null
[ "$(status "$p12")" = active ] || fail "accepted peering is $(status "$p12")"
expect_ok "active with routes on both sides: 1 reaches 2" reach 1 2
expect_ok "... and 2 reaches 1" reach 2 1

ec2 delete-route --route-table-id "${RT[2]}" --destination-cidr-block 10.21.0.0/16
expect_denied "a route on one side only passes nothing" reach 1 2
route 2 10.21.0.0/16 "$p12"
expect_ok "both routes again" reach 1 2

p23=$(ec2 create-vpc-peering-connection --vpc-id "${VPC[2]}" --peer-vpc-id "${VPC[3]}" \
	--query VpcPeeringConnection.VpcPeeringConnectionId)
ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$p23" >/dev/null
route 2 10.23.0.0/16 "$p23"
route 3 10.22.0.0/16 "$p23"
expect_ok "2 reaches 3" reach 2 3
# Not transitive: routes that point 1 → 3 through 2 and back lead nowhere.
route 1 10.23.0.0/16 "$p12"
route 3 10.21.0.0/16 "$p23"
expect_denied "never transitive: 1 cannot reach 3 through 2" reach 1 3
expect_denied "... nor 3 reach 1" reach 3 1
expect_denied "... nor ping" lv_exec "${INST[1]}" ping -c1 -W1 "${IP[3]}"

# No edge to edge: 2's internet gateway is not 1's.
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "${VPC[2]}"
ec2 create-route --route-table-id "${RT[2]}" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 modify-subnet-attribute --subnet-id "${SN[2]}" --map-public-ip-on-launch
gw2=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "${SN[2]}" --query 'Instances[0].InstanceId')
sshd_wait "$gw2"
web_server 203.0.113.50 8080 "$work/www.log"
expect_ok "an instance of VPC 2 with a public IP reaches the internet" \
	lv_exec "$gw2" curl -sf --max-time 3 -o /dev/null http://203.0.113.50:8080/
route 1 0.0.0.0/0 "$p12"
expect_denied "VPC 1 cannot use VPC 2's internet gateway through the peering" \
	lv_exec "${INST[1]}" curl -sf --max-time 2 -o /dev/null http://203.0.113.50:8080/
# ... nor its NAT gateway: VPC 2's own traffic now leaves through one.
# (It sits in a public subnet of its own, whose table goes to the gateway.)
pub2=$(ec2 create-subnet --vpc-id "${VPC[2]}" --cidr-block 10.22.1.0/24 --query Subnet.SubnetId)
pubrt2=$(ec2 create-route-table --vpc-id "${VPC[2]}" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$pubrt2" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$pubrt2" --subnet-id "$pub2" >/dev/null
read -r alloc _ < <(ec2 allocate-address --domain vpc --query '[AllocationId,PublicIp]')
nat=$(ec2 create-nat-gateway --subnet-id "$pub2" --allocation-id "$alloc" --query NatGateway.NatGatewayId)
ec2 replace-route --route-table-id "${RT[2]}" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat"
expect_ok "VPC 2's instance without a public IP goes out through its NAT gateway" \
	lv_exec "${INST[2]}" curl -sf --max-time 3 -o /dev/null http://203.0.113.50:8080/
expect_denied "VPC 1 cannot use VPC 2's NAT gateway through the peering" \
	lv_exec "${INST[1]}" curl -sf --max-time 2 -o /dev/null http://203.0.113.50:8080/

# Overlapping CIDRs are refused.
v4=$(ec2 create-vpc --cidr-block 10.21.0.0/16 --query Vpc.VpcId)
p14=$(ec2 create-vpc-peering-connection --vpc-id "${VPC[1]}" --peer-vpc-id "$v4" \
	--query VpcPeeringConnection.VpcPeeringConnectionId 2>/dev/null) || p14=""
if [ -n "$p14" ]; then
	[ "$(status "$p14")" = failed ] || fail "an overlapping peering must fail, not be $(status "$p14")"
fi
echo "ok: overlapping CIDRs are refused"

# A rejected request passes nothing either.
p13=$(ec2 create-vpc-peering-connection --vpc-id "${VPC[1]}" --peer-vpc-id "${VPC[3]}" \
	--query VpcPeeringConnection.VpcPeeringConnectionId)
# Routes to it while it is pending (where AWS accepts them), then reject.
ec2 replace-route --route-table-id "${RT[1]}" --destination-cidr-block 10.23.0.0/16 \
	--vpc-peering-connection-id "$p13" 2>/dev/null || true
ec2 replace-route --route-table-id "${RT[3]}" --destination-cidr-block 10.21.0.0/16 \
	--vpc-peering-connection-id "$p13" 2>/dev/null || true
ec2 reject-vpc-peering-connection --vpc-peering-connection-id "$p13" >/dev/null
[ "$(status "$p13")" = rejected ] || fail "rejected peering is $(status "$p13")"
expect_denied "rejected: nothing passes" reach 1 3

# A group of VPC 2 may admit members of VPC 1's group across the peering.
g1=$(ec2 create-security-group --vpc-id "${VPC[1]}" --group-name client --description client --query GroupId)
g2=$(ec2 create-security-group --vpc-id "${VPC[2]}" --group-name server --description server --query GroupId)
ec2 authorize-security-group-ingress --group-id "$g2" \
	--ip-permissions "IpProtocol=tcp,FromPort=22,ToPort=22,UserIdGroupPairs=[{GroupId=$g1}]" >/dev/null
ec2 modify-instance-attribute --instance-id "${INST[2]}" --groups "$g2"
expect_denied "VPC 1's instance outside the client group is refused" reach 1 2
ec2 modify-instance-attribute --instance-id "${INST[1]}" --groups "$g1"
expect_ok "a member of the peer's referenced group gets in" reach 1 2

# Deleting the peering blackholes its routes.
ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$p12" >/dev/null
expect_denied "deleted: 1 and 2 are apart again" reach 1 2
state=$(ec2 describe-route-tables --route-table-ids "${RT[1]}" \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='10.22.0.0/16'].State")
[ "$state" = blackhole ] || fail "a route to a deleted peering shows $state, not blackhole"
echo "ok: the route to the deleted peering is a blackhole"
echo "PASS"
