#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The second seed's network ACLs on both subnets: walkthrough.sh, then
# examples/bastion-nat/hardened-nacls.sh (twice: idempotent).  With real
# packets, what the ACLs allow still works (ssh from My IP to the bastion,
# ssh -J on to the internal instance, the internal instance's HTTP out
# through the NAT instance) and what they deny is dropped:
#   - another internet address → the bastion :22 (the Public Subnet ACL
#     admits ssh from My IP only);
#   - the NAT instance (public subnet) → the internal instance :80 (the
#     Private Subnet ACL admits only ssh and replies);
#   - an instance of a third subnet (10.0.5.0/24, default ACL) → the
#     internal instance :22 (the Private Subnet ACL admits ssh only from
#     the public subnet);
#   - the internal instance → the internet :8080 (the Private Subnet ACL
#     lets out only 80/443 and replies).
# For each denied probe the security groups are opened wide first, so only
# the ACL can be the reason; `localvpc trace` names the ACL
# (SUBNET_ACL_RESTRICTION); and with the default ACL back on both subnets
# the same probes get through.
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
run hardened-nacls.sh >"$work/acl1.log" 2>&1 || { cat "$work/acl1.log"; fail "hardened-nacls.sh failed"; }
run hardened-nacls.sh >"$work/acl2.log" 2>&1 || { cat "$work/acl2.log"; fail "the second hardened-nacls.sh run failed"; }

id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
acl_of() { ec2 describe-network-acls --filters "Name=tag:Name,Values=$1" --query 'NetworkAcls[0].NetworkAclId'; }
sg_of() { ec2 describe-security-groups --filters "Name=group-name,Values=$1" --query 'SecurityGroups[0].GroupId'; }
bastion=$(id_of Bastion) internal=$(id_of "Internal Instance") nat=$(id_of "NAT Instance")
b_pub=$(q "$bastion" PublicIpAddress) i_ip=$(q "$internal" PrivateIpAddress)
pub=$(q "$bastion" SubnetId) priv=$(q "$internal" SubnetId) vpc=$(q "$internal" VpcId)
pubacl=$(acl_of "Public Subnet ACL") privacl=$(acl_of "Private Subnet ACL")
[ "$(ec2 describe-network-acls --filters "Name=vpc-id,Values=$vpc" --query 'length(NetworkAcls)')" = 3 ] ||
	fail "the default ACL and two more after two runs"
for pair in "$pub:$pubacl" "$priv:$privacl"; do
	got=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=${pair%:*}" --query 'NetworkAcls[0].NetworkAclId')
	[ "$got" = "${pair#*:}" ] || fail "subnet ${pair%:*} is on $got, not ${pair#*:}"
done
n=$(ec2 describe-network-acls --network-acl-ids "$pubacl" --query 'length(NetworkAcls[0].Entries)')
[ "$n" = 10 ] || fail "the Public Subnet ACL has 8 entries and the two defaults, not $n (a rerun duplicated?)"
echo "ok: $pubacl on the public subnet, $privacl on the private subnet; idempotent"

trace() { "$LOCALVPC_BIN" trace --state-dir "$LV_STATE" "$@"; }
# acl_blamed ACL FROM TO ARGS: trace says unreachable, because of ACL.
acl_blamed() {
	local acl=$1 out rc=0
	shift
	out=$(trace "$@" --json) || rc=$?
	[ "$rc" = 1 ] || { echo "$out"; fail "trace $* exited $rc, expected 1 (unreachable)"; }
	[ "$(echo "$out" | jq -r '.explanations[0].code + " " + .explanations[0].component_id')" = \
		"SUBNET_ACL_RESTRICTION $acl" ] || { echo "$out"; fail "trace $* does not name $acl"; }
	echo "ok: trace names $acl (SUBNET_ACL_RESTRICTION) for $*"
}
tcp() { lv_exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3"; }
inet_tcp() { lv_internet --from "$1" -- timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3"; }

printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem" "$work/keys/NatKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
sshd_wait "$bastion" "$internal" "$nat"
wait_until 20 lv_exec "$nat" bash -c "iptables -t nat -S | grep -q MASQUERADE" || fail "the NAT user data did not run"

# Allowed: every flow has its rule both ways.
wait_until 30 "${SSH[@]}" "ec2-user@$b_pub" true || fail "ssh from My IP to the bastion through the Public Subnet ACL"
echo "ok: ssh from My IP to the bastion"
got=$("${SSH[@]}" -J "ec2-user@$b_pub" "ec2-user@$i_ip" hostname) || fail "ssh -J through both ACLs"
[ "$got" = "ip-${i_ip//./-}" ] || fail "the jump landed on $got"
echo "ok: ssh -J through the bastion to the internal instance"
web_server 203.0.113.20 80 "$work/www80.log"
web_server 203.0.113.20 8080 "$work/www8080.log"
expect_ok "the internal instance fetches http://203.0.113.20/ through the NAT instance" \
	lv_exec "$internal" curl -sf --max-time 5 -o /dev/null http://203.0.113.20/

# Denied, with the security groups wide open: only the ACL stops them.
bsg=$(sg_of "Bastion Security Group") isg=$(sg_of "Internal Instance")
ec2 authorize-security-group-ingress --group-id "$bsg" --protocol tcp --port 22 --cidr 0.0.0.0/0 >/dev/null
ec2 authorize-security-group-ingress --group-id "$isg" --protocol -1 --cidr 10.0.0.0/16 >/dev/null
[ "$(ec2 describe-security-groups --group-ids "$isg" \
	--query "SecurityGroups[0].IpPermissionsEgress[?IpProtocol=='-1'].IpRanges[].CidrIp|[0]")" = 0.0.0.0/0 ] ||
	fail "the internal group lets everything out"
ami=$(ec2 describe-images --filters Name=name,Values=debian-12-localvpc --query 'Images[0].ImageId')
third=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.5.0/24 --query Subnet.SubnetId)
probe=$(ec2 run-instances --image-id "$ami" --count 1 --subnet-id "$third" --query 'Instances[0].InstanceId')
sshd_wait "$probe"
lv_exec "$internal" bash -c 'nohup python3 -m http.server 80 >/dev/null 2>&1 </dev/null &'
wait_until 10 tcp "$internal" 127.0.0.1 80 || fail "a web server on the internal instance"
lv_internet --from 198.51.100.7 -- true

expect_denied "198.51.100.7 -> the bastion :22 (Public Subnet ACL: ssh from My IP only)" \
	inet_tcp 198.51.100.7 "$b_pub" 22
acl_blamed "$pubacl" internet:198.51.100.7 "$bastion" --port 22
expect_denied "the NAT instance -> the internal instance :80 (Private Subnet ACL: ssh and replies only)" \
	tcp "$nat" "$i_ip" 80
acl_blamed "$privacl" "$nat" "$internal" --port 80
expect_denied "an instance of 10.0.5.0/24 -> the internal instance :22 (Private Subnet ACL: ssh from 10.0.0.0/24 only)" \
	tcp "$probe" "$i_ip" 22
acl_blamed "$privacl" "$probe" "$internal" --port 22
expect_denied "the internal instance -> the internet :8080 (Private Subnet ACL: out 80/443 only)" \
	lv_exec "$internal" curl -sf --max-time 3 -o /dev/null http://203.0.113.20:8080/
acl_blamed "$privacl" "$internal" internet:203.0.113.20 --port 8080

# The control: on the default ACL again, the same probes get through.
default_acl=$(ec2 describe-network-acls --filters "Name=vpc-id,Values=$vpc" Name=default,Values=true \
	--query 'NetworkAcls[0].NetworkAclId')
for s in "$pub" "$priv"; do
	assoc=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$s" \
		--query "NetworkAcls[0].Associations[?SubnetId=='$s'].NetworkAclAssociationId | [0]")
	ec2 replace-network-acl-association --association-id "$assoc" --network-acl-id "$default_acl" >/dev/null
done
expect_ok "on the default ACL, 198.51.100.7 reaches the bastion :22" inet_tcp 198.51.100.7 "$b_pub" 22
expect_ok "... the NAT instance reaches the internal instance :80" tcp "$nat" "$i_ip" 80
expect_ok "... the instance of 10.0.5.0/24 reaches the internal instance :22" tcp "$probe" "$i_ip" 22
expect_ok "... the internal instance reaches the internet :8080" \
	lv_exec "$internal" curl -sf --max-time 5 -o /dev/null http://203.0.113.20:8080/
echo "PASS"
