#!/usr/bin/env bash
# The second seed's VPC peering (shared/seeds/001, "AWS VPC Peering
# Design"): VPC A (10.1.0.0/16) peers with B (10.2.0.0/16), B with C
# (10.3.0.0/16).  A and B talk, B and C talk, A and C do not: peering is
# never transitive — A and C would need a peering of their own.
# Each peering is requested, accepted, and routed in both VPCs' route
# tables; each VPC's group admits ICMP and ssh from its peers' CIDRs (a
# group cannot reference another VPC's group by name, the article says;
# CIDRs always work).  An instance in each VPC.
# Last, VPC D (10.1.0.0/16, A's block again) asks A to peer: AWS refuses
# peerings of overlapping blocks (the connection is created and goes to
# "failed" with AWS's message).
# Standalone (needs only a running daemon).  Idempotent: found by Name tag.
source "$(dirname "$0")/../bastion-nat/common.sh"
STEPS=7
KEY=PeeringKeyPair
declare -A CIDR=([A]=10.1.0.0/16 [B]=10.2.0.0/16 [C]=10.3.0.0/16)
declare -A PEERS=([A]="B" [B]="A C" [C]="B")
declare -A VPCS SUBNETS RTS
AMI=$(ec2 describe-images --filters Name=name,Values=debian-12-localvpc --query 'Images[0].ImageId' --output text)

step "Create VPCs A, B and C, a subnet in each (the first /24), and note their main route tables"
for v in A B C; do
	id=$(find_id vpc "VPC $v")
	[ -n "$id" ] || id=$(ec2 create-vpc --cidr-block "${CIDR[$v]}" --tag-specifications "$(tags vpc "VPC $v")" \
		--query Vpc.VpcId --output text)
	VPCS[$v]=$id
	sn=$(find_id subnet "Subnet $v")
	[ -n "$sn" ] || sn=$(ec2 create-subnet --vpc-id "$id" --cidr-block "${CIDR[$v]%.0.0/16}.0.0/24" \
		--tag-specifications "$(tags subnet "Subnet $v")" --query Subnet.SubnetId --output text)
	SUBNETS[$v]=$sn
	RTS[$v]=$(ec2 describe-route-tables --filters "Name=vpc-id,Values=$id" Name=association.main,Values=true \
		--query 'RouteTables[0].RouteTableId' --output text)
	echo "VPC $v: $id ${CIDR[$v]}, subnet $sn, route table ${RTS[$v]}"
done

declare -A PCX
# peering X Y: the active peering X-Y (requested by X, accepted by Y).
peering() {
	local id st
	id=$(none "$(ec2 describe-vpc-peering-connections --filters "Name=tag:Name,Values=$1-$2" \
		Name=status-code,Values=pending-acceptance,active \
		--query 'VpcPeeringConnections[0].VpcPeeringConnectionId' --output text)")
	[ -n "$id" ] || id=$(ec2 create-vpc-peering-connection --vpc-id "${VPCS[$1]}" --peer-vpc-id "${VPCS[$2]}" \
		--tag-specifications "$(tags vpc-peering-connection "$1-$2")" \
		--query VpcPeeringConnection.VpcPeeringConnectionId --output text)
	st=$(ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$id" \
		--query 'VpcPeeringConnections[0].Status.Code' --output text)
	[ "$st" = active ] || ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$id" >/dev/null
	PCX[$1$2]=$id PCX[$2$1]=$id
	echo "peering $1-$2: $id active"
}
step "Request the A-B peering (A asks), accept it (B's owner)"
peering A B
step "Request the B-C peering (B asks), accept it (C's owner)"
peering B C

step "Route each peer's CIDR through its peering, in both route tables"
for v in A B C; do
	for p in ${PEERS[$v]}; do
		args=(--route-table-id "${RTS[$v]}" --destination-cidr-block "${CIDR[$p]}"
			--vpc-peering-connection-id "${PCX[$v$p]}")
		ec2 create-route "${args[@]}" >/dev/null 2>&1 || ec2 replace-route "${args[@]}"
		echo "VPC $v: ${CIDR[$p]} -> ${PCX[$v$p]}"
	done
done

step "Create a group per VPC admitting ICMP and ssh from the peers' CIDRs; create $KEY"
declare -A SGS
for v in A B C; do
	VPC=${VPCS[$v]}
	sg=$(group_id "Peers $v")
	[ -n "$sg" ] || sg=$(ec2 create-security-group --vpc-id "$VPC" --group-name "Peers $v" \
		--description "ICMP and ssh from the peers of VPC $v" --query GroupId --output text)
	for p in ${PEERS[$v]}; do
		allow "$sg" --protocol icmp --port -1 --cidr "${CIDR[$p]}"
		allow "$sg" --protocol tcp --port 22 --cidr "${CIDR[$p]}"
	done
	SGS[$v]=$sg
	echo "VPC $v: group $sg admits ${PEERS[$v]}"
done
mkdir -p "$KEYDIR"
if ! ec2 describe-key-pairs --key-names "$KEY" >/dev/null 2>&1; then
	(umask 077 && ec2 create-key-pair --key-name "$KEY" --query KeyMaterial --output text >"$KEYDIR/$KEY.pem")
fi

step "Launch an instance in each VPC"
for v in A B C; do
	id=$(instance_id "Instance $v")
	[ -n "$id" ] || id=$(ec2 run-instances --image-id "$AMI" --instance-type t2.micro --count 1 \
		--subnet-id "${SUBNETS[$v]}" --security-group-ids "${SGS[$v]}" --key-name "$KEY" \
		--tag-specifications "$(tags instance "Instance $v")" --query 'Instances[0].InstanceId' --output text)
	echo "Instance $v: $id at $(ip_of "$id" Private)"
done

step "VPC D (10.1.0.0/16, overlapping A) asks A to peer: refused"
D=$(find_id vpc "VPC D")
[ -n "$D" ] || D=$(ec2 create-vpc --cidr-block 10.1.0.0/16 --tag-specifications "$(tags vpc "VPC D")" \
	--query Vpc.VpcId --output text)
PCX_AD=$(none "$(ec2 describe-vpc-peering-connections --filters Name=tag:Name,Values=D-A \
	--query 'VpcPeeringConnections[0].VpcPeeringConnectionId' --output text)")
[ -n "$PCX_AD" ] || PCX_AD=$(ec2 create-vpc-peering-connection --vpc-id "$D" --peer-vpc-id "${VPCS[A]}" \
	--tag-specifications "$(tags vpc-peering-connection D-A)" \
	--query VpcPeeringConnection.VpcPeeringConnectionId --output text)
echo "VPC D: $D 10.1.0.0/16; peering D-A $PCX_AD: $(ec2 describe-vpc-peering-connections \
	--vpc-peering-connection-ids "$PCX_AD" --query 'VpcPeeringConnections[0].Status.[Code,Message]' --output text)"

echo
echo "A reaches B, B reaches C; A does not reach C (peering is not transitive)."
