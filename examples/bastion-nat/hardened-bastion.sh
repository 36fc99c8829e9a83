#!/usr/bin/env bash
# A bastion hardened as the second seed advises ("apply OS hardening",
# "you shouldn't use it for any other purpose") and as the project's
# security checklist (items 14, 15, 35) spells out: key logins only, no root,
# VERBOSE logs (the key fingerprint of every login), agent forwarding only
# for ec2-user, local forwards (ssh -J / -W) only, and only into the VPC:
# sshd cannot take CIDRs, so the bastion's firewall rejects new outbound
# connections of the logged-in user (whose sshd process makes the forwards)
# to anything but 10.0.0.0/16.
# Requires examples/bastion-nat/walkthrough.sh to have run against the same
# ENDPOINT.  Launches "Hardened Bastion" next to the walkthrough's Bastion
# (same group, same key); idempotent (found by its Name tag).
source "$(dirname "$0")/common.sh"
STEPS=3
need_walkthrough
VPC_CIDR=$(ec2 describe-vpcs --vpc-ids "$VPC" --query 'Vpcs[0].CidrBlock' --output text)
USERDATA=$(mktemp)
trap 'rm -f "$USERDATA"' EXIT

step "Write the hardening user data (sshd drop-in, firewall, sshd restart)"
cat >"$USERDATA" <<UD
#!/bin/bash
# sshd: Debian's sshd_config includes sshd_config.d/*.conf first and the
# first value read wins, so these lead.
cat >/etc/ssh/sshd_config.d/00-bastion.conf <<'EOC'
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthenticationMethods publickey
PermitRootLogin no
LogLevel VERBOSE
AllowUsers ec2-user
AllowTcpForwarding local
PermitOpen *:22
PermitListen none
GatewayPorts no
X11Forwarding no
AllowStreamLocalForwarding no
PermitTunnel no
PermitUserEnvironment no
MaxAuthTries 3
LoginGraceTime 30
MaxStartups 10:30:60
# One address holds at most 5 of the 10 unauthenticated slots before
# random drops start: a scan cannot lock the admin out.
PerSourceMaxStartups 5
ClientAliveInterval 300
ClientAliveCountMax 2
ChannelTimeout session=30m
ExposeAuthInfo yes
AllowAgentForwarding no
Match User ec2-user
	AllowAgentForwarding yes
EOC
# Forwards only into the VPC: sshd opens them as the logged-in user.
iptables -A OUTPUT -o eth0 -m owner --uid-owner ec2-user -m conntrack --ctstate NEW \
	! -d $VPC_CIDR -j REJECT
if ! /usr/sbin/sshd -t; then
	echo "bastion hardening: sshd -t failed, drop-in removed" >&2
	rm -f /etc/ssh/sshd_config.d/00-bastion.conf
fi
# Restart sshd: SIGHUP makes it re-execute itself and re-read its
# configuration (if it is not running yet, it starts with it anyway).
for _ in \$(seq 50); do [ -s /run/sshd.pid ] && break; sleep 0.2; done
[ -s /run/sshd.pid ] && kill -HUP "\$(cat /run/sshd.pid)"
echo "bastion hardening: done"
UD
echo "user data: sshd drop-in /etc/ssh/sshd_config.d/00-bastion.conf; forwards only to $VPC_CIDR"

step "Launch the Hardened Bastion in the Public Subnet (Bastion Security Group, NatKeyPair)"
HB=$(instance_id "Hardened Bastion")
[ -n "$HB" ] || HB=$(ec2 run-instances --image-id "$AMI" --instance-type t2.micro --count 1 \
	--subnet-id "$PUB" --key-name NatKeyPair --security-group-ids "$(group_id "Bastion Security Group")" \
	--user-data "file://$USERDATA" --tag-specifications "$(tags instance "Hardened Bastion")" \
	--query 'Instances[0].InstanceId' --output text)
HB_IP=$(ip_of "$HB" Public)
echo "hardened bastion: $HB at $HB_IP"

step "The result"
INTERNAL_IP=$(ip_of "$(instance_id "Internal Instance")" Private)
cat <<EOT
Through the hardened bastion (keys in your agent, none on the bastion):
  ssh -J ec2-user@$HB_IP ec2-user@$INTERNAL_IP
Its sshd log (key fingerprints of every login): aws ec2 get-console-output --instance-id $HB
EOT
