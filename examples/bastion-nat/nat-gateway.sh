#!/usr/bin/env bash
# The second seed's managed NAT gateway in place of the first seed's NAT
# instance (shared/seeds/001, "Launching a NAT Gateway inside your VPC"):
# an Elastic IP, a gateway in the Public Subnet, the Private Route Table's
# 0.0.0.0/0 moved to it, and the NAT instance stopped.
# Requires examples/bastion-nat/walkthrough.sh to have run against the same
# ENDPOINT.  Idempotent: the gateway is found by its Name tag (NAT Gateway).
source "$(dirname "$0")/common.sh"
STEPS=4
need_walkthrough

step "Allocate an Elastic IP and create the NAT Gateway in the Public Subnet"
NATGW=$(none "$(ec2 describe-nat-gateways --filter "Name=tag:Name,Values=NAT Gateway" \
	Name=state,Values=pending,available --query 'NatGateways[0].NatGatewayId' --output text)")
if [ -z "$NATGW" ]; then
	ALLOC=$(ec2 allocate-address --domain vpc --query AllocationId --output text)
	NATGW=$(ec2 create-nat-gateway --subnet-id "$PUB" --allocation-id "$ALLOC" \
		--tag-specifications "$(tags natgateway "NAT Gateway")" \
		--query NatGateway.NatGatewayId --output text)
fi
ec2 wait nat-gateway-available --nat-gateway-ids "$NATGW"
EIP=$(ec2 describe-nat-gateways --nat-gateway-ids "$NATGW" \
	--query 'NatGateways[0].NatGatewayAddresses[0].PublicIp' --output text)
echo "NAT gateway: $NATGW at $EIP"

step "Move the Private Route Table's 0.0.0.0/0 to the NAT gateway (replace-route)"
via=$(ec2 describe-route-tables --route-table-ids "$PRIVRT" \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].[NatGatewayId,InstanceId][]" --output text)
case $via in
"$NATGW") ;;
"") ec2 create-route --route-table-id "$PRIVRT" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NATGW" >/dev/null ;;
*) ec2 replace-route --route-table-id "$PRIVRT" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NATGW" ;;
esac
echo "private route table: 0.0.0.0/0 -> $NATGW"

step "Stop the NAT instance (no longer in the path; terminate it once you are sure)"
NAT_INSTANCE=$(instance_id "NAT Instance")
if [ -n "$NAT_INSTANCE" ]; then
	ec2 stop-instances --instance-ids "$NAT_INSTANCE" >/dev/null
	ec2 wait instance-stopped --instance-ids "$NAT_INSTANCE"
	echo "NAT instance $NAT_INSTANCE: stopped"
fi

step "The result"
ec2 describe-route-tables --route-table-ids "$PRIVRT" --output table \
	--query 'RouteTables[].Routes[].{Destination:DestinationCidrBlock,Target:GatewayId||NatGatewayId||InstanceId,State:State}'
echo "The private instances now leave through $NATGW, seen on the internet as $EIP."
