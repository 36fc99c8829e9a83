#!/usr/bin/env bash
# Network ACLs on both subnets of the first seed, as the second seed
# ("when properly configured through the use of security groups and
# Network ACLs") and AWS's public/private-subnet scenario describe: a
# second, stateless layer under the security groups.  Every allowed flow
# needs a rule each way (ephemeral ports 1024-65535 for the replies).
# Requires examples/bastion-nat/walkthrough.sh to have run against the same
# ENDPOINT (the NAT instance variant: private instances leave on 80/443).
# Idempotent: the ACLs are found by Name tag, each entry is created or
# replaced.
source "$(dirname "$0")/common.sh"
STEPS=5
need_walkthrough

acl() { # NAME: the ACL tagged NAME, created if absent
	local id
	id=$(find_id network-acl "$1")
	[ -n "$id" ] || id=$(ec2 create-network-acl --vpc-id "$VPC" --tag-specifications "$(tags network-acl "$1")" \
		--query NetworkAcl.NetworkAclId --output text)
	echo "$id"
}
# entry ACL ingress|egress NUMBER PORTS CIDR: allows tcp PORTS (N or N-M).
entry() {
	local args=(--network-acl-id "$1" "--$2" --rule-number "$3" --protocol tcp
		--port-range "From=${4%-*},To=${4#*-}" --cidr-block "$5" --rule-action allow)
	ec2 create-network-acl-entry "${args[@]}" 2>/dev/null || ec2 replace-network-acl-entry "${args[@]}"
	printf '  %-7s %3s  tcp %-11s %s\n' "$2" "$3" "$4" "$5"
}
associate() { # ACL SUBNET
	local cur assoc
	read -r cur assoc < <(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$2" \
		--query "NetworkAcls[0].[NetworkAclId,Associations[?SubnetId=='$2']|[0].NetworkAclAssociationId]" --output text)
	[ "$cur" = "$1" ] || ec2 replace-network-acl-association --association-id "$assoc" --network-acl-id "$1" >/dev/null
}

step "Create the Public Subnet ACL: in 22 from My IP only, replies and the NAT's traffic"
PUBACL=$(acl "Public Subnet ACL")
entry "$PUBACL" ingress 100 22 "$MYIP/32"          # ssh to the bastion, from the admin only
entry "$PUBACL" ingress 110 80 10.0.1.0/24         # private instances to the NAT instance
entry "$PUBACL" ingress 120 443 10.0.1.0/24
entry "$PUBACL" ingress 130 1024-65535 0.0.0.0/0   # replies: from the internet and the private subnet
entry "$PUBACL" egress 100 22 10.0.1.0/24          # the bastion's jump to the private instances
entry "$PUBACL" egress 110 80 0.0.0.0/0            # the NAT instance's fetches, out to the internet
entry "$PUBACL" egress 120 443 0.0.0.0/0
entry "$PUBACL" egress 130 1024-65535 0.0.0.0/0    # replies: to My IP and to the private subnet
echo "public subnet ACL: $PUBACL"

step "Create the Private Subnet ACL: in 22 from the Public Subnet only, out 80/443, replies"
PRIVACL=$(acl "Private Subnet ACL")
entry "$PRIVACL" ingress 100 22 10.0.0.0/24        # ssh from the bastion's subnet only
entry "$PRIVACL" ingress 110 1024-65535 0.0.0.0/0  # replies to the fetches, back through the NAT
entry "$PRIVACL" egress 100 80 0.0.0.0/0           # updates over HTTP and HTTPS, via the NAT
entry "$PRIVACL" egress 110 443 0.0.0.0/0
entry "$PRIVACL" egress 120 1024-65535 10.0.0.0/24 # ssh replies to the bastion
echo "private subnet ACL: $PRIVACL"

step "Associate the Public Subnet ACL with the Public Subnet"
associate "$PUBACL" "$PUB"

step "Associate the Private Subnet ACL with the Private Subnet"
associate "$PRIVACL" "$PRIV"

step "The result (everything not listed meets the final deny, rule *)"
ec2 describe-network-acls --network-acl-ids "$PUBACL" "$PRIVACL" --output table \
	--query 'NetworkAcls[].{Name:Tags[?Key==`Name`]|[0].Value,Subnets:join(`,`,Associations[].SubnetId),Rules:length(Entries)}'
