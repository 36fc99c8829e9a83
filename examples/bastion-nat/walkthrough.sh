#!/usr/bin/env bash
# The first seed article (a bastion host in a public subnet, private
# instances behind it) as aws CLI calls, one block per step of the article.
# Idempotent: every step looks for what an earlier run made (by Name tag)
# and reuses it.  Needs a running localvpc daemon; ENDPOINT defaults to the
# one `scripts/demo` starts.
set -euo pipefail
ENDPOINT=${ENDPOINT:-http://127.0.0.1:4580}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
AWS=${AWS:-/usr/bin/aws}
ec2() { "$AWS" --endpoint-url "$ENDPOINT" ec2 "$@"; }
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# find TYPE NAME: the ID of the resource of TYPE tagged Name=NAME, or "".
find_id() {
	local query
	case $1 in
	vpc) query="Vpcs[0].VpcId" ;;
	subnet) query="Subnets[0].SubnetId" ;;
	internet-gateway) query="InternetGateways[0].InternetGatewayId" ;;
	route-table) query="RouteTables[0].RouteTableId" ;;
	esac
	local out
	out=$(ec2 "describe-${1}s" --filters "Name=tag:Name,Values=$2" --query "$query" --output text)
	[ "$out" = "None" ] && out=""
	echo "$out"
}
tags() { echo "ResourceType=$1,Tags=[{Key=Name,Value=$2}]"; }

step "Create the VPC: My Test VPC, 10.0.0.0/16, default tenancy"
VPC=$(find_id vpc "My Test VPC")
[ -n "$VPC" ] || VPC=$(ec2 create-vpc --cidr-block 10.0.0.0/16 --instance-tenancy default \
	--tag-specifications "$(tags vpc "My Test VPC")" --query Vpc.VpcId --output text)
echo "vpc: $VPC"
AZ=$(ec2 describe-availability-zones --query 'AvailabilityZones[0].ZoneName' --output text)

step "Create the Public Subnet: 10.0.0.0/24 in $AZ"
PUB=$(find_id subnet "Public Subnet")
[ -n "$PUB" ] || PUB=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.0.0/24 \
	--availability-zone "$AZ" --tag-specifications "$(tags subnet "Public Subnet")" \
	--query Subnet.SubnetId --output text)
echo "public subnet: $PUB"

step "Create the Private Subnet: 10.0.1.0/24 in the same AZ"
PRIV=$(find_id subnet "Private Subnet")
[ -n "$PRIV" ] || PRIV=$(ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.1.0/24 \
	--availability-zone "$AZ" --tag-specifications "$(tags subnet "Private Subnet")" \
	--query Subnet.SubnetId --output text)
echo "private subnet: $PRIV"

step "Enable auto-assign public IP on the Public Subnet"
ec2 modify-subnet-attribute --subnet-id "$PUB" --map-public-ip-on-launch

step "Create the internet gateway (Public Subnet Gateway) and attach it to My Test VPC"
IGW=$(find_id internet-gateway "Public Subnet Gateway")
if [ -z "$IGW" ]; then
	IGW=$(ec2 create-internet-gateway --tag-specifications \
		"$(tags internet-gateway "Public Subnet Gateway")" \
		--query InternetGateway.InternetGatewayId --output text)
fi
attached=$(ec2 describe-internet-gateways --internet-gateway-ids "$IGW" \
	--query 'InternetGateways[0].Attachments[0].VpcId' --output text)
[ "$attached" = "$VPC" ] || ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC"
echo "internet gateway: $IGW (attached to $VPC)"

step "Create the Public Route Table with 0.0.0.0/0 -> Public Subnet Gateway; associate the Public Subnet"
PUBRT=$(find_id route-table "Public Route Table")
[ -n "$PUBRT" ] || PUBRT=$(ec2 create-route-table --vpc-id "$VPC" \
	--tag-specifications "$(tags route-table "Public Route Table")" \
	--query RouteTable.RouteTableId --output text)
has_route=$(ec2 describe-route-tables --route-table-ids "$PUBRT" \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].GatewayId" --output text)
[ -n "$has_route" ] || ec2 create-route --route-table-id "$PUBRT" \
	--destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
assoc=$(ec2 describe-route-tables --filters "Name=association.subnet-id,Values=$PUB" \
	--query 'RouteTables[0].RouteTableId' --output text)
[ "$assoc" = "$PUBRT" ] || ec2 associate-route-table --route-table-id "$PUBRT" --subnet-id "$PUB" >/dev/null
echo "public route table: $PUBRT"

step "Create the Private Route Table (local routes only; the NAT route comes with the NAT step); associate the Private Subnet"
PRIVRT=$(find_id route-table "Private Route Table")
[ -n "$PRIVRT" ] || PRIVRT=$(ec2 create-route-table --vpc-id "$VPC" \
	--tag-specifications "$(tags route-table "Private Route Table")" \
	--query RouteTable.RouteTableId --output text)
assoc=$(ec2 describe-route-tables --filters "Name=association.subnet-id,Values=$PRIV" \
	--query 'RouteTables[0].RouteTableId' --output text)
[ "$assoc" = "$PRIVRT" ] || ec2 associate-route-table --route-table-id "$PRIVRT" --subnet-id "$PRIV" >/dev/null
echo "private route table: $PRIVRT"

KEYDIR=${KEYDIR:-$HOME/.ssh}
step "Create BastionKeyPair and save its private key to $KEYDIR/BastionKeyPair.pem"
mkdir -p "$KEYDIR"
if ! ec2 describe-key-pairs --key-names BastionKeyPair >/dev/null 2>&1; then
	(umask 077 && ec2 create-key-pair --key-name BastionKeyPair --query KeyMaterial \
		--output text >"$KEYDIR/BastionKeyPair.pem")
fi
AMI=$(ec2 describe-images --filters Name=name,Values=debian-12-localvpc --query 'Images[0].ImageId' --output text)
# group NAME DESCRIPTION: the VPC's security group NAME, created if absent.
group() {
	local id
	id=$(ec2 describe-security-groups --filters "Name=vpc-id,Values=$VPC" "Name=group-name,Values=$1" \
		--query 'SecurityGroups[0].GroupId' --output text)
	if [ -z "$id" ] || [ "$id" = "None" ]; then
		id=$(ec2 create-security-group --vpc-id "$VPC" --group-name "$1" --description "$2" \
			--query GroupId --output text)
	fi
	echo "$id"
}
# allow_ssh GROUP --cidr CIDR | --source-group SG: adds the rule unless present.
allow_ssh() {
	local g=$1
	shift
	local err
	if ! err=$(ec2 authorize-security-group-ingress --group-id "$g" --protocol tcp --port 22 "$@" 2>&1 >/dev/null); then
		case $err in *InvalidPermission.Duplicate*) ;; *) echo "$err" >&2; return 1 ;; esac
	fi
}
MYIP=${MYIP:-192.0.2.1} # this host, as the emulated internet sees it

step "Create the Bastion Security Group: SSH (22) from My IP ($MYIP/32) only"
BASTION_SG=$(group "Bastion Security Group" "SSH from my IP only")
allow_ssh "$BASTION_SG" --cidr "$MYIP/32"
echo "bastion security group: $BASTION_SG"

step "Create the Internal Instance group: SSH (22) only from the Bastion Security Group's ID"
INTERNAL_SG=$(group "Internal Instance" "SSH from the bastion only")
allow_ssh "$INTERNAL_SG" --source-group "$BASTION_SG"
echo "internal instance group: $INTERNAL_SG"

# run_named NAME SUBNET GROUP: the running instance tagged NAME, launched if absent.
run_named() {
	local id
	id=$(ec2 describe-instances --filters "Name=tag:Name,Values=$1" Name=instance-state-name,Values=running,pending,stopped \
		--query 'Reservations[0].Instances[0].InstanceId' --output text)
	if [ -z "$id" ] || [ "$id" = "None" ]; then
		id=$(ec2 run-instances --image-id "$AMI" --instance-type t2.micro --count 1 --subnet-id "$2" \
			--key-name BastionKeyPair --security-group-ids "$3" --tag-specifications "$(tags instance "$1")" \
			--query 'Instances[0].InstanceId' --output text)
	fi
	echo "$id"
}

step "Launch the bastion in the Public Subnet"
BASTION=$(run_named Bastion "$PUB" "$BASTION_SG")
BASTION_IP=$(ec2 describe-instances --instance-ids "$BASTION" --query 'Reservations[0].Instances[0].PublicIpAddress' --output text)
echo "bastion: $BASTION at $BASTION_IP"

step "Launch the internal instance in the Private Subnet"
INTERNAL=$(run_named "Internal Instance" "$PRIV" "$INTERNAL_SG")
INTERNAL_IP=$(ec2 describe-instances --instance-ids "$INTERNAL" --query 'Reservations[0].Instances[0].PrivateIpAddress' --output text)
echo "internal instance: $INTERNAL at $INTERNAL_IP (no public IP)"

step "The result"
ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" --output table \
	--query 'Subnets[].{Name:Tags[?Key==`Name`]|[0].Value,Id:SubnetId,Cidr:CidrBlock,AZ:AvailabilityZone,PublicIp:MapPublicIpOnLaunch,Free:AvailableIpAddressCount}'
ec2 describe-route-tables --filters "Name=vpc-id,Values=$VPC" --output table \
	--query 'RouteTables[].{Name:Tags[?Key==`Name`]|[0].Value,Id:RouteTableId,Routes:join(`, `,Routes[].join(`->`,[DestinationCidrBlock,GatewayId||`-`]))}'

cat <<EOT

Log in to the bastion, then jump to the private instance (the key stays on your machine):
  ssh-add $KEYDIR/BastionKeyPair.pem
  ssh ec2-user@$BASTION_IP
  ssh -J ec2-user@$BASTION_IP ec2-user@$INTERNAL_IP
EOT
