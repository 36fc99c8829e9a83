#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The second seed's "a bastion in each Availability Zone": walkthrough.sh,
# then examples/bastion-nat/two-az-bastions.sh (twice: idempotent).  The two
# bastions sit in public subnets of two different AZs; the admin reaches the
# internal instance through either; with bastion A stopped
# (aws ec2 stop-instances), access through bastion B still works and
# through A does not.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ex=$(dirname "$0")/../../../examples/bastion-nat
run() { ENDPOINT=$LV_ENDPOINT KEYDIR=$work/keys AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null bash "$ex/$1"; }
run walkthrough.sh >"$work/walk.log" 2>&1 || { cat "$work/walk.log"; fail "the walkthrough failed"; }
run two-az-bastions.sh >"$work/az1.log" 2>&1 || { cat "$work/az1.log"; fail "two-az-bastions.sh failed"; }
run two-az-bastions.sh >"$work/az2.log" 2>&1 || { cat "$work/az2.log"; fail "the second two-az-bastions.sh run failed"; }
[ "$(ec2 describe-instances --query 'length(Reservations[].Instances[])')" = 4 ] ||
	fail "four instances (NAT, two bastions, internal) after two runs"
vpc=$(ec2 describe-vpcs --filters 'Name=tag:Name,Values=My Test VPC' --query 'Vpcs[0].VpcId')
[ "$(ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" --query 'length(Subnets)')" = 4 ] ||
	fail "four subnets in My Test VPC after two runs"
echo "ok: two-az-bastions.sh is idempotent"

id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a=$(id_of Bastion) b=$(id_of "Bastion 2") internal=$(id_of "Internal Instance")
az_a=$(q "$a" Placement.AvailabilityZone) az_b=$(q "$b" Placement.AvailabilityZone)
[ "$az_a" != "$az_b" ] || fail "both bastions are in $az_a"
sub_a=$(q "$a" SubnetId) sub_b=$(q "$b" SubnetId)
for s in "$sub_a" "$sub_b"; do
	rt=$(ec2 describe-route-tables --filters "Name=association.subnet-id,Values=$s" \
		--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].GatewayId")
	case $rt in igw-*) ;; *) fail "subnet $s has no 0.0.0.0/0 to the internet gateway ($rt)" ;; esac
done
pub_a=$(q "$a" PublicIpAddress) pub_b=$(q "$b" PublicIpAddress) internal_ip=$(q "$internal" PrivateIpAddress)
in_pool "$pub_a" && in_pool "$pub_b" || fail "public addresses $pub_a $pub_b not in the pool"
echo "ok: bastion A $a ($az_a, $pub_a), bastion B $b ($az_b, $pub_b), both in public subnets"
# What the script printed is what the user types.
grep -qF "ssh -J ec2-user@$pub_b ec2-user@$internal_ip" "$work/az2.log" || fail "the script prints the jump through bastion B"

printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem" "$work/keys/NatKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
sshd_wait "$a" "$b" "$internal"
want="ip-${internal_ip//./-}"
jump() { # BASTION_IP: the internal instance's hostname through it
	"${SSH[@]}" -J "ec2-user@$1" "ec2-user@$internal_ip" hostname
}
wait_until 60 jump "$pub_a" || fail "ssh -J through bastion A"
[ "$(jump "$pub_a")" = "$want" ] || fail "the jump through A landed elsewhere"
echo "ok: ssh -J through bastion A ($az_a) reaches the internal instance"
wait_until 60 jump "$pub_b" || fail "ssh -J through bastion B"
[ "$(jump "$pub_b")" = "$want" ] || fail "the jump through B landed elsewhere"
echo "ok: ssh -J through bastion B ($az_b) reaches the internal instance"

# Bastion A (or its zone) goes.
ec2 stop-instances --instance-ids "$a" >/dev/null
ec2 wait instance-stopped --instance-ids "$a"
[ "$(q "$a" State.Name)" = stopped ] || fail "bastion A is not stopped"
[ "$(jump "$pub_b")" = "$want" ] || fail "with bastion A stopped, access through bastion B still works"
echo "ok: with bastion A stopped, ssh -J through bastion B still reaches the internal instance"
expect_denied "with bastion A stopped, nothing answers at its address" \
	host_probe "$pub_a" timeout 3 bash -c "exec 3<>/dev/tcp/$pub_a/22"
expect_denied "... and ssh -J through bastion A fails" jump "$pub_a"
echo "PASS"
