# shellcheck shell=bash
# Helpers shared by the variant scripts of examples/bastion-nat (sourced,
# not run): the aws CLI against ENDPOINT, numbered steps, and finding what
# walkthrough.sh (or an earlier run of the variant) made by its Name tag.
set -euo pipefail
ENDPOINT=${ENDPOINT:-http://127.0.0.1:4580}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
AWS=${AWS:-/usr/bin/aws}
KEYDIR=${KEYDIR:-$HOME/.ssh}
MYIP=${MYIP:-192.0.2.1}
ec2() { "$AWS" --endpoint-url "$ENDPOINT" ec2 "$@"; }
n=0
step() { # TEXT; needs STEPS
	n=$((n + 1))
	if [ -t 1 ]; then printf '\n\033[1m[%d/%d] %s\033[0m\n' "$n" "$STEPS" "$*"
	else printf '\n[%d/%d] %s\n' "$n" "$STEPS" "$*"; fi
}
tags() { echo "ResourceType=$1,Tags=[{Key=Name,Value=$2}]"; }
none() { [ "$1" = None ] && echo "" || echo "$1"; }
# find_id TYPE NAME: the ID of the resource of TYPE tagged Name=NAME, or "".
find_id() {
	local q
	case $1 in
	vpc) q="Vpcs[0].VpcId" ;;
	subnet) q="Subnets[0].SubnetId" ;;
	route-table) q="RouteTables[0].RouteTableId" ;;
	network-acl) q="NetworkAcls[0].NetworkAclId" ;;
	esac
	none "$(ec2 "describe-${1}s" --filters "Name=tag:Name,Values=$2" --query "$q" --output text)"
}
# instance_id NAME: the instance tagged NAME that is not terminated, or "".
instance_id() {
	none "$(ec2 describe-instances --filters "Name=tag:Name,Values=$1" \
		Name=instance-state-name,Values=running,pending,stopping,stopped \
		--query 'Reservations[0].Instances[0].InstanceId' --output text)"
}
ip_of() { # INSTANCE Public|Private
	ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].${2}IpAddress" --output text
}
# group_id NAME: the VPC's security group NAME, or "".
group_id() {
	none "$(ec2 describe-security-groups --filters "Name=vpc-id,Values=$VPC" "Name=group-name,Values=$1" \
		--query 'SecurityGroups[0].GroupId' --output text)"
}
# allow GROUP ARGS...: adds the ingress rule unless it is there already.
allow() {
	local g=$1 err
	shift
	if ! err=$(ec2 authorize-security-group-ingress --group-id "$g" "$@" 2>&1 >/dev/null); then
		case $err in *InvalidPermission.Duplicate*) ;; *) echo "$err" >&2; return 1 ;; esac
	fi
}
# need_walkthrough: sets VPC, AZ, PUB, PRIV, PUBRT, PRIVRT, AMI from what
# walkthrough.sh made, or stops with a hint.
need_walkthrough() {
	VPC=$(find_id vpc "My Test VPC")
	[ -n "$VPC" ] || { echo "run examples/bastion-nat/walkthrough.sh first (no My Test VPC)" >&2; exit 1; }
	PUB=$(find_id subnet "Public Subnet") PRIV=$(find_id subnet "Private Subnet")
	PUBRT=$(find_id route-table "Public Route Table") PRIVRT=$(find_id route-table "Private Route Table")
	AZ=$(ec2 describe-subnets --subnet-ids "$PUB" --query 'Subnets[0].AvailabilityZone' --output text)
	AMI=$(ec2 describe-images --filters Name=name,Values=debian-12-localvpc --query 'Images[0].ImageId' --output text)
}
