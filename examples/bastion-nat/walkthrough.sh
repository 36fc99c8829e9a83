#!/usr/bin/env bash
# The first seed article (a bastion host and a NAT instance in a public
# subnet, private instances behind them) as aws CLI calls, one block per
# step of the article (shared/seeds/000), in its order.
# Idempotent: every step looks for what an earlier run made (by Name tag)
# and reuses it.  Needs a running localvpc daemon; ENDPOINT defaults to the
# one `scripts/demo` starts.
set -euo pipefail
ENDPOINT=${ENDPOINT:-http://127.0.0.1:4580}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
AWS=${AWS:-/usr/bin/aws}
ec2() { "$AWS" --endpoint-url "$ENDPOINT" ec2 "$@"; }
STEPS=17 n=0
# step TEXT: the progress line of the next step ("[3/17] ...").
step() {
	n=$((n + 1))
	if [ -t 1 ]; then printf '\n\033[1m[%d/%d] %s\033[0m\n' "$n" "$STEPS" "$*"
	else printf '\n[%d/%d] %s\n' "$n" "$STEPS" "$*"; fi
}
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

step "Create the Private Route Table (local routes only; the NAT route comes after the NAT instance); associate the Private Subnet"
PRIVRT=$(find_id route-table "Private Route Table")
[ -n "$PRIVRT" ] || PRIVRT=$(ec2 create-route-table --vpc-id "$VPC" \
	--tag-specifications "$(tags route-table "Private Route Table")" \
	--query RouteTable.RouteTableId --output text)
assoc=$(ec2 describe-route-tables --filters "Name=association.subnet-id,Values=$PRIV" \
	--query 'RouteTables[0].RouteTableId' --output text)
[ "$assoc" = "$PRIVRT" ] || ec2 associate-route-table --route-table-id "$PRIVRT" --subnet-id "$PRIV" >/dev/null
echo "private route table: $PRIVRT"

KEYDIR=${KEYDIR:-$HOME/.ssh}
mkdir -p "$KEYDIR"
# key NAME: creates key pair NAME and saves its private key to
# $KEYDIR/NAME.pem, unless the pair exists already.
key() {
	if ! ec2 describe-key-pairs --key-names "$1" >/dev/null 2>&1; then
		(umask 077 && ec2 create-key-pair --key-name "$1" --query KeyMaterial \
			--output text >"$KEYDIR/$1.pem")
	fi
	[ -s "$KEYDIR/$1.pem" ] || echo "note: $1 exists but $KEYDIR/$1.pem does not (made elsewhere?)" >&2
}
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
# allow GROUP ARGS...: adds the ingress rule unless it is there already.
allow() {
	local g=$1
	shift
	local err
	if ! err=$(ec2 authorize-security-group-ingress --group-id "$g" "$@" 2>&1 >/dev/null); then
		case $err in *InvalidPermission.Duplicate*) ;; *) echo "$err" >&2; return 1 ;; esac
	fi
}
# run_named NAME SUBNET GROUP KEY [USER_DATA_FILE]: the instance tagged
# NAME, launched if absent.
run_named() {
	local id
	id=$(ec2 describe-instances --filters "Name=tag:Name,Values=$1" Name=instance-state-name,Values=running,pending,stopped \
		--query 'Reservations[0].Instances[0].InstanceId' --output text)
	if [ -z "$id" ] || [ "$id" = "None" ]; then
		id=$(ec2 run-instances --image-id "$AMI" --instance-type t2.micro --count 1 --subnet-id "$2" \
			--key-name "$4" --security-group-ids "$3" --tag-specifications "$(tags instance "$1")" \
			${5:+--user-data "file://$5"} --query 'Instances[0].InstanceId' --output text)
	fi
	echo "$id"
}
ip_of() { # INSTANCE Public|Private
	ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].${2}IpAddress" --output text
}
MYIP=${MYIP:-192.0.2.1} # this host, as the emulated internet sees it
USERDATA=$(mktemp -d)
trap 'rm -rf "$USERDATA"' EXIT

step "Create the NAT SG: all traffic in from the Private Subnet (10.0.1.0/24)"
NAT_SG=$(group "NAT SG" "Security for the NAT server instance")
allow "$NAT_SG" --protocol -1 --cidr 10.0.1.0/24
echo "NAT security group: $NAT_SG"

step "Create the Nat Key Pair (NatKeyPair); launch the NAT instance in the Public Subnet with the seed's user data"
key NatKeyPair
# The article's script, with the blanks it lost filled in: the #! line
# cloud-init needs, the heredoc's end, and /etc/sysconfig (Amazon Linux
# has it; this Debian image does not).
cat >"$USERDATA/nat.sh" <<'NAT'
#!/bin/bash
echo 1 > /proc/sys/net/ipv4/ip_forward
echo 0 > /proc/sys/net/ipv4/conf/eth0/send_redirects
/sbin/iptables -t nat -A POSTROUTING -o eth0 -s 0.0.0.0/0 -j MASQUERADE
mkdir -p /etc/sysconfig
/sbin/iptables-save > /etc/sysconfig/iptables
mkdir -p /etc/sysctl.d/
cat <<EOF > /etc/sysctl.d/nat.conf
net.ipv4.ip_forward = 1
net.ipv4.conf.eth0.send_redirects = 0
EOF
NAT
NAT_INSTANCE=$(run_named "NAT Instance" "$PUB" "$NAT_SG" NatKeyPair "$USERDATA/nat.sh")
echo "NAT instance: $NAT_INSTANCE at $(ip_of "$NAT_INSTANCE" Public)"

step "Disable the source/destination check on the NAT instance"
ec2 modify-instance-attribute --instance-id "$NAT_INSTANCE" --no-source-dest-check
echo "source/dest check of $NAT_INSTANCE: $(ec2 describe-instance-attribute --instance-id "$NAT_INSTANCE" \
	--attribute sourceDestCheck --query SourceDestCheck.Value --output text)"

step "Add the private route: 0.0.0.0/0 -> the NAT instance, in the Private Route Table"
via=$(ec2 describe-route-tables --route-table-ids "$PRIVRT" \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].InstanceId" --output text)
if [ -z "$via" ]; then
	ec2 create-route --route-table-id "$PRIVRT" --destination-cidr-block 0.0.0.0/0 \
		--instance-id "$NAT_INSTANCE" >/dev/null
elif [ "$via" != "$NAT_INSTANCE" ]; then
	ec2 replace-route --route-table-id "$PRIVRT" --destination-cidr-block 0.0.0.0/0 \
		--instance-id "$NAT_INSTANCE" >/dev/null
fi
echo "private route table: 0.0.0.0/0 -> $NAT_INSTANCE"

step "Create the Bastion Security Group: SSH (22) from My IP ($MYIP/32) only"
BASTION_SG=$(group "Bastion Security Group" "Security for the bastion server instance")
allow "$BASTION_SG" --protocol tcp --port 22 --cidr "$MYIP/32"
echo "bastion security group: $BASTION_SG"

step "Launch the bastion in the Public Subnet (user data: yum update -y; key: NatKeyPair)"
# The seed's "yum update -y": this image is Debian and the emulated
# internet has no package mirror, so the script updates only where a
# mirror answers, and says so either way.
cat >"$USERDATA/bastion.sh" <<'BASTION'
#!/bin/bash
if command -v yum >/dev/null; then yum update -y
elif timeout 5 apt-get update -qq 2>/dev/null; then apt-get -y -qq upgrade
else echo "update skipped: no package mirror reachable" >/var/log/update.log
fi
BASTION
BASTION=$(run_named Bastion "$PUB" "$BASTION_SG" NatKeyPair "$USERDATA/bastion.sh")
BASTION_IP=$(ip_of "$BASTION" Public)
echo "bastion: $BASTION at $BASTION_IP"

step "Create BastionKeyPair (a different key for the private instances) and save it to $KEYDIR/BastionKeyPair.pem"
key BastionKeyPair
echo "keys: $KEYDIR/NatKeyPair.pem $KEYDIR/BastionKeyPair.pem"

step "Create the Internal Instance group: SSH (22) only from the Bastion Security Group's ID"
INTERNAL_SG=$(group "Internal Instance" "Security group for private instances")
allow "$INTERNAL_SG" --protocol tcp --port 22 --source-group "$BASTION_SG"
echo "internal instance group: $INTERNAL_SG"

step "Launch the internal instance in the Private Subnet (key: BastionKeyPair)"
INTERNAL=$(run_named "Internal Instance" "$PRIV" "$INTERNAL_SG" BastionKeyPair)
INTERNAL_IP=$(ip_of "$INTERNAL" Private)
echo "internal instance: $INTERNAL at $INTERNAL_IP (no public IP)"

step "The result"
ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" --output table \
	--query 'Subnets[].{Name:Tags[?Key==`Name`]|[0].Value,Id:SubnetId,Cidr:CidrBlock,AZ:AvailabilityZone,PublicIp:MapPublicIpOnLaunch,Free:AvailableIpAddressCount}'
ec2 describe-route-tables --filters "Name=vpc-id,Values=$VPC" --output table \
	--query 'RouteTables[].{Name:Tags[?Key==`Name`]|[0].Value,Id:RouteTableId,Routes:join(`, `,Routes[].join(`->`,[DestinationCidrBlock,GatewayId||InstanceId||`-`]))}'
ec2 describe-instances --filters "Name=vpc-id,Values=$VPC" Name=instance-state-name,Values=running,pending --output table \
	--query 'Reservations[].Instances[].{Name:Tags[?Key==`Name`]|[0].Value,Id:InstanceId,Private:PrivateIpAddress,Public:PublicIpAddress||`-`,Key:KeyName,SrcDstCheck:SourceDestCheck}'

# One file for `ssh -F`: the bastion by its key, the private instance
# through it, each key only where the seed uses it.
SSHCONF=$KEYDIR/localvpc-seed.config
cat >"$SSHCONF" <<EOT
# Written by examples/bastion-nat/walkthrough.sh for the localvpc seed VPC.
Host bastion
  HostName $BASTION_IP
  User ec2-user
  IdentityFile $KEYDIR/NatKeyPair.pem
  IdentitiesOnly yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $KEYDIR/localvpc-seed.known_hosts
Host internal $INTERNAL_IP
  HostName $INTERNAL_IP
  User ec2-user
  IdentityFile $KEYDIR/BastionKeyPair.pem
  IdentitiesOnly yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $KEYDIR/localvpc-seed.known_hosts
  ProxyCommand ssh -F $SSHCONF -W %h:%p bastion
EOT

cat <<EOT

A shell on the private instance, through the bastion, in one command:
  ssh -F $SSHCONF internal

The seed's ways in (the keys stay on this machine, in the agent):
  eval "\$(ssh-agent -s)"; ssh-add -k $KEYDIR/BastionKeyPair.pem; ssh-add -k $KEYDIR/NatKeyPair.pem
  ssh -A ec2-user@$BASTION_IP
      then, on the bastion:  ssh ec2-user@$INTERNAL_IP
  ssh -J ec2-user@$BASTION_IP ec2-user@$INTERNAL_IP
or with ~/.ssh/config:
  Host $INTERNAL_IP
    ProxyCommand ssh -A ec2-user@$BASTION_IP -W %h:%p
  ssh ec2-user@$INTERNAL_IP
EOT
