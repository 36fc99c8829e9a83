#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# EC2 Instance Connect end to end, as AWS does it: an instance launched with
# no key pair refuses a fresh key; `aws ec2-instance-connect
# send-ssh-public-key` makes it usable for ssh as ec2-user (sshd's
# AuthorizedKeysCommand, run as ec2-instance-connect, reads it from the
# metadata service) until it expires, and then no more; a key pushed for
# another user is that user's only; another instance cannot read the keys.
# The daemon runs with a shortened key life (--instance-connect-ttl).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

TTL=15 # long enough for a login, short enough to wait out
# A /24 of the pool of our own: its host route is more specific than the
# /15 of a daemon running beside this one, so "My IP" reaches our VPC.
POOL=198.18.$((32 + $$ % 96)).0/24
export LV_SERVE_ARGS="--instance-connect-ttl $TTL --public-pool $POOL"
daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")

vpc=$(ec2 create-vpc --cidr-block 10.7.0.0/16 --query Vpc.VpcId)
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.7.0.0/24 --query Subnet.SubnetId)
ec2 modify-subnet-attribute --subnet-id "$sn" --map-public-ip-on-launch
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$rt" --subnet-id "$sn" >/dev/null
sg=$(ec2 create-security-group --vpc-id "$vpc" --group-name eic --description "ssh from my IP" \
	--query GroupId)
ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 22 --cidr 192.0.2.1/32 >/dev/null

ami="ami-0de12b0000c0ffee1"
# No --key-name: no authorized_keys at all.
a=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --security-group-ids "$sg" \
	--query 'Instances[0].InstanceId')
b=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --query 'Instances[0].InstanceId')
# IMDSv2 only: the key command must get a token first.
c=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --security-group-ids "$sg" \
	--metadata-options HttpTokens=required --query 'Instances[0].InstanceId')
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_pub=$(q "$a" PublicIpAddress)
az=$(q "$a" Placement.AvailabilityZone)
in_pool "$a_pub" || fail "public IP $a_pub is not in the emulated pool"
[ "$(q "$a" KeyName)" = None ] || fail "the instance has a key pair"

ssh-keygen -q -t ed25519 -N '' -C eic-test -f "$work/k"
ssh-keygen -q -t ed25519 -N '' -C eic-other -f "$work/k2"

eic_push() { # KEYFILE USER [INSTANCE]
	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
	AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		"$AWS_BIN" --endpoint-url "$LV_ENDPOINT" --output text ec2-instance-connect \
		send-ssh-public-key --instance-id "${3:-$a}" --instance-os-user "$2" \
		--availability-zone "$az" --ssh-public-key "file://$1" --query Success
}
SSH=(ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes
	-o IdentitiesOnly=yes -o IdentityAgent=none -o ConnectTimeout=5 -o LogLevel=ERROR)
ssh_as() { # KEY USER [PUBLIC-IP]: runs `id -un` at A's (or that) public IP, prints it
	local ip=${3:-$a_pub}
	host_probe "$ip" "${SSH[@]}" -i "$1" "$2@$ip" id -un
}
ssh_ok() { [ "$(ssh_as "$@")" = "$2" ]; }
MD=http://169.254.169.254/latest/meta-data/managed-ssh-keys/active-keys
keys_of() { # INSTANCE USER: the metadata service's answer inside INSTANCE
	lv_exec "$1" curl -sf --max-time 3 "$MD/$2/"
}
serves() { keys_of "$1" "$2" | grep -qxF "$(cat "$3")"; } # INSTANCE USER PUBKEY
not_served() { ! keys_of "$1" "$2"; }

# Two daemons given the same /24 would still collide: then say so.
route_ours() { ip route show "$POOL" | grep -q "dev $LV_PREFIX-h"; }
wait_until 30 route_ours || skip "another localvpc daemon holds the host's route to $POOL"
sshd_up() { host_probe "$a_pub" bash -c "exec 3<>/dev/tcp/$a_pub/22 && head -c 7 <&3 | grep -q SSH-2.0"; }
wait_until 30 sshd_up || fail "sshd of $a did not answer at $a_pub:22"
sshd_wait "$b"

# The instance side is configured like Amazon Linux's.
lv_exec "$a" sshd -T >"$work/sshd-T"
grep -qx 'authorizedkeyscommand /opt/aws/bin/eic_run_authorized_keys %u %f' "$work/sshd-T" ||
	fail "sshd has no AuthorizedKeysCommand"
grep -qx 'authorizedkeyscommanduser ec2-instance-connect' "$work/sshd-T" ||
	fail "AuthorizedKeysCommandUser is not ec2-instance-connect"
[ "$(lv_exec "$a" id -u ec2-instance-connect)" != 0 ] || fail "the key command user is root"

expect_denied "a fresh key before any push" ssh_ok "$work/k" ec2-user
expect_denied "the metadata service has no keys yet (404)" keys_of "$a" ec2-user

[ "$(eic_push "$work/k.pub" ec2-user)" = True ] || fail "send-ssh-public-key did not succeed"
expect_ok "ssh as ec2-user with the pushed key" ssh_ok "$work/k" ec2-user
expect_ok "the instance reads its key from the metadata service" serves "$a" ec2-user "$work/k.pub"
expect_denied "another instance cannot read them (404 at the same path)" keys_of "$b" ec2-user
lv_exec "$b" curl -s -o /dev/null -w '%{http_code}' "$MD/ec2-user/" | grep -qx 404 ||
	fail "instance $b gets something other than 404"
echo "ok: instance $b gets 404 while $a's key is active"

# The key expires: the metadata service stops serving it, and ssh with the
# same key fails again.
wait_until $((TTL + 20)) not_served "$a" ec2-user || fail "the key was still served past its life"
expect_denied "the same key after it expired" ssh_ok "$work/k" ec2-user

# A key pushed for another user works for that user only.
lv_exec "$a" useradd -m -s /bin/bash alice
[ "$(eic_push "$work/k2.pub" alice)" = True ] || fail "push for alice"
expect_denied "alice's key does not log in as ec2-user" ssh_ok "$work/k2" ec2-user
expect_ok "alice's key logs in as alice" ssh_ok "$work/k2" alice
expect_ok "the metadata service lists it under alice" serves "$a" alice "$work/k2.pub"
expect_denied "and not under ec2-user" keys_of "$a" ec2-user

# An instance that requires IMDSv2 tokens: the key command takes one first.
c_pub=$(q "$c" PublicIpAddress)
wait_until 30 host_probe "$c_pub" bash -c "exec 3<>/dev/tcp/$c_pub/22 && head -c 7 <&3 | grep -q SSH-2.0" ||
	fail "sshd of $c did not answer at $c_pub:22"
expect_denied "HttpTokens=required: no key before a push" ssh_ok "$work/k" ec2-user "$c_pub"
[ "$(eic_push "$work/k.pub" ec2-user "$c")" = True ] || fail "push to $c"
expect_ok "HttpTokens=required: ssh with the pushed key" ssh_ok "$work/k" ec2-user "$c_pub"
echo "PASS"
