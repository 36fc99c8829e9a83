#!/usr/bin/env bash
# The second seed's advice "deploy a bastion host in each of the
# Availability Zones you're using" (shared/seeds/001): a second AZ with a
# public and a private subnet, associated with the same route tables, and
# a second bastion there, so losing one AZ (or one bastion) loses no access.
# Requires examples/bastion-nat/walkthrough.sh to have run against the same
# ENDPOINT.  Idempotent: everything is found by its Name tag.
source "$(dirname "$0")/common.sh"
STEPS=5
need_walkthrough
AZ2=$(ec2 describe-availability-zones --query "AvailabilityZones[?ZoneName!='$AZ']|[0].ZoneName" --output text)

# subnet NAME CIDR: the subnet tagged NAME in AZ2, created if absent.
subnet() {
	local id
	id=$(find_id subnet "$1")
	[ -n "$id" ] || id=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block "$2" --availability-zone "$AZ2" \
		--tag-specifications "$(tags subnet "$1")" --query Subnet.SubnetId --output text)
	echo "$id"
}
associate() { # ROUTE_TABLE SUBNET
	local cur
	cur=$(ec2 describe-route-tables --filters "Name=association.subnet-id,Values=$2" \
		--query 'RouteTables[0].RouteTableId' --output text)
	[ "$cur" = "$1" ] || ec2 associate-route-table --route-table-id "$1" --subnet-id "$2" >/dev/null
}

step "Create Public Subnet 2 (10.0.2.0/24, $AZ2) with auto-assign public IP; associate the Public Route Table"
PUB2=$(subnet "Public Subnet 2" 10.0.2.0/24)
ec2 modify-subnet-attribute --subnet-id "$PUB2" --map-public-ip-on-launch
associate "$PUBRT" "$PUB2"
echo "public subnet 2: $PUB2 -> $PUBRT"

step "Create Private Subnet 2 (10.0.3.0/24, $AZ2); associate the Private Route Table"
PRIV2=$(subnet "Private Subnet 2" 10.0.3.0/24)
associate "$PRIVRT" "$PRIV2"
echo "private subnet 2: $PRIV2 -> $PRIVRT"

step "Let the NAT SG admit Private Subnet 2 too (all traffic from 10.0.3.0/24)"
NAT_SG=$(group_id "NAT SG")
[ -z "$NAT_SG" ] || allow "$NAT_SG" --protocol -1 --cidr 10.0.3.0/24
echo "NAT security group: ${NAT_SG:-none}"

step "Launch Bastion 2 in Public Subnet 2 (Bastion Security Group, NatKeyPair)"
BASTION_SG=$(group_id "Bastion Security Group")
BASTION2=$(instance_id "Bastion 2")
[ -n "$BASTION2" ] || BASTION2=$(ec2 run-instances --image-id "$AMI" --instance-type t2.micro --count 1 \
	--subnet-id "$PUB2" --key-name NatKeyPair --security-group-ids "$BASTION_SG" \
	--tag-specifications "$(tags instance "Bastion 2")" --query 'Instances[0].InstanceId' --output text)
echo "bastion 2: $BASTION2 at $(ip_of "$BASTION2" Public)"

step "The result: one bastion per AZ"
ec2 describe-instances --filters "Name=tag:Name,Values=Bastion,Bastion 2" --output table \
	--query 'Reservations[].Instances[].{Name:Tags[?Key==`Name`]|[0].Value,Id:InstanceId,AZ:Placement.AvailabilityZone,Public:PublicIpAddress||`-`,State:State.Name}'
INTERNAL_IP=$(ip_of "$(instance_id "Internal Instance")" Private)
for b in Bastion "Bastion 2"; do
	echo "  ssh -J ec2-user@$(ip_of "$(instance_id "$b")" Public) ec2-user@$INTERNAL_IP"
done
