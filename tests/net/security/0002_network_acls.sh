#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Network ACLs on real packets, through the aws CLI (spec §8): stateless,
# numbered, first match wins, a final deny; return traffic needs its own
# ephemeral-port rule; applied where traffic crosses a subnet's boundary and
# never inside one; a deny cuts an established connection at once.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.7.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # this test is about ACLs: groups let everything in
s1=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.7.0.0/24 --query Subnet.SubnetId)
s2=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.7.1.0/24 --query Subnet.SubnetId)
run() { ec2 run-instances --image-id $ami --count 1 --subnet-id "$1" --query 'Instances[0].InstanceId'; }
a=$(run "$s1")
b=$(run "$s1")
c=$(run "$s2")
ip_of() { ec2 describe-instances --instance-ids "$1" --query 'Reservations[0].Instances[0].PrivateIpAddress'; }
a_ip=$(ip_of "$a")
b_ip=$(ip_of "$b")
c_ip=$(ip_of "$c")
for x in "$a" "$b" "$c"; do
	wait_until 30 lv_exec "$x" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $x"
done
tcp() { lv_exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3"; }
# Client connections from a fixed source port, so the ephemeral-port rules
# below are exact (Linux picks 32768-60999, NACL-15).
tcp_from() { # FROM IP PORT SRCPORT
	lv_exec "$1" timeout 2 nc -z -p "$4" -w 1 "$2" "$3"
}

expect_ok "the default ACL lets everything through" tcp "$a" "$c_ip" 22
assoc_of() {
	ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$1" \
		--query "NetworkAcls[0].Associations[?SubnetId=='$1'].NetworkAclAssociationId | [0]"
}
default_acl=$(ec2 describe-network-acls --filters "Name=vpc-id,Values=$vpc" Name=default,Values=true \
	--query 'NetworkAcls[0].NetworkAclId')

# A custom ACL denies everything (NACL-9) — across the boundary only.
acl=$(ec2 create-network-acl --vpc-id "$vpc" --query NetworkAcl.NetworkAclId)
ec2 replace-network-acl-association --association-id "$(assoc_of "$s2")" --network-acl-id "$acl" >/dev/null
expect_denied "a new custom ACL denies all" tcp "$a" "$c_ip" 22
expect_denied "... both ways" tcp "$c" "$a_ip" 22
ec2 replace-network-acl-association --association-id "$(assoc_of "$s1")" --network-acl-id "$acl" >/dev/null
expect_ok "never inside a subnet: a and b still talk" tcp "$a" "$b_ip" 22
expect_ok "... ping too" lv_exec "$b" ping -c1 -W2 "$a_ip"
ec2 replace-network-acl-association --association-id "$(assoc_of "$s1")" --network-acl-id "$default_acl" >/dev/null

# Inbound ssh to subnet 2 is allowed, but the replies leave subnet 2 and
# need an outbound rule for the client's port: stateless (NACL-1, -15).
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 100 --protocol tcp \
	--port-range From=22,To=22 --cidr-block 10.7.0.0/24 --rule-action allow
expect_denied "inbound allowed, no outbound rule: the replies are dropped" tcp_from "$a" "$c_ip" 22 40001
ec2 create-network-acl-entry --network-acl-id "$acl" --egress --rule-number 100 --protocol tcp \
	--port-range From=32768,To=61000 --cidr-block 10.7.0.0/24 --rule-action allow
expect_ok "an ephemeral-port outbound rule lets the replies out" tcp_from "$a" "$c_ip" 22 40002
expect_denied "a client port outside it gets no reply" tcp_from "$a" "$c_ip" 22 20003

# First match wins: a lower-numbered deny beats the allow; a higher one does not.
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 200 --protocol tcp \
	--port-range From=22,To=22 --cidr-block "$a_ip/32" --rule-action deny
expect_ok "a deny numbered after the allow changes nothing" tcp_from "$a" "$c_ip" 22 40004
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 50 --protocol tcp \
	--port-range From=22,To=22 --cidr-block "$a_ip/32" --rule-action deny
expect_denied "a deny numbered before the allow wins" tcp_from "$a" "$c_ip" 22 40005
expect_ok "... for that address only" tcp_from "$b" "$c_ip" 22 40006
ec2 replace-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 50 --protocol tcp \
	--port-range From=23,To=23 --cidr-block "$a_ip/32" --rule-action deny
expect_ok "replaced with another port: a gets in again" tcp_from "$a" "$c_ip" 22 40007
ec2 delete-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 50

# ICMP by type: echo in, echo-reply out.
expect_denied "no icmp rule: ping refused" lv_exec "$a" ping -c1 -W1 "$c_ip"
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 110 --protocol icmp \
	--icmp-type-code Type=8,Code=-1 --cidr-block 10.7.0.0/24 --rule-action allow
ec2 create-network-acl-entry --network-acl-id "$acl" --egress --rule-number 110 --protocol icmp \
	--icmp-type-code Type=0,Code=0 --cidr-block 10.7.0.0/24 --rule-action allow
expect_ok "icmp echo in and echo-reply out" lv_exec "$a" ping -c1 -W2 "$c_ip"

# Stateless: a deny cuts an established connection at once (SG-23's advice).
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$c" -- timeout 60 nc -l -p 22022 >"$work/got" &
push_teardown "kill $!"
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 120 --protocol tcp \
	--port-range From=22022,To=22022 --cidr-block 10.7.0.0/24 --rule-action allow
wait_until 10 lv_exec "$c" bash -c "ss -tln | grep -q :22022"
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$a" -- \
	bash -c "while sleep 0.1; do echo line; done | timeout 60 nc -p 40100 $c_ip 22022" &
push_teardown "kill $!"
wait_until 10 grep -q line "$work/got" || fail "stream did not start"
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 10 --protocol -1 \
	--cidr-block "$a_ip/32" --rule-action deny
sleep 0.5
n1=$(wc -l <"$work/got")
sleep 1.5
n2=$(wc -l <"$work/got")
[ "$n2" -eq "$n1" ] || fail "a deny must cut the established stream ($n1 -> $n2 lines)"
echo "ok: a deny entry cuts an established connection"

# Back to the default ACL: open again.
ec2 replace-network-acl-association --association-id "$(assoc_of "$s2")" --network-acl-id "$default_acl" >/dev/null
expect_ok "back on the default ACL" tcp "$a" "$c_ip" 22
echo "PASS"
