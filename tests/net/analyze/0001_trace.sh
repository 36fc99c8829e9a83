#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `localvpc trace` against real packets (issue 8): the seed's architecture
# built by examples/bastion-nat/walkthrough.sh through the aws CLI, then for
# each probe the analyzer's verdict (exit status and --json) and a real
# connection must agree, allowed and denied:
#   - My IP → the bastion's public IP :22 (allowed), another internet
#     address (denied: ENI_SG_RULES_MISMATCH);
#   - bastion → internal :22 (allowed); NAT instance → internal :22 (denied);
#   - internal → an internet host through the NAT instance (allowed), and
#     with the NAT's source/dest check on again (denied);
#   - the "hanging ssh": the internal group loses its bastion rule, trace
#     names that group and the exact rule, and running the suggested command
#     makes both trace and ssh work again;
#   - a custom ACL without ephemeral ports blocks the replies (return path);
#     the suggested entry opens them.
# trace reads the store read-only while the daemon runs.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ENDPOINT=$LV_ENDPOINT KEYDIR=$work/keys AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	bash "$(dirname "$0")/../../../examples/bastion-nat/walkthrough.sh" >"$work/walk.log" 2>&1 ||
	{ cat "$work/walk.log"; fail "the walkthrough failed"; }
id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
bastion=$(id_of Bastion) internal=$(id_of "Internal Instance") nat=$(id_of "NAT Instance")
b_pub=$(q "$bastion" PublicIpAddress)
i_ip=$(q "$internal" PrivateIpAddress)
sg_of() { ec2 describe-security-groups --filters "Name=group-name,Values=$1" --query 'SecurityGroups[0].GroupId'; }
bsg=$(sg_of "Bastion Security Group") isg=$(sg_of "Internal Instance")
in_pool "$b_pub" || fail "the bastion's public IP $b_pub is not in the emulated pool"
sshd_wait "$bastion" "$internal" "$nat"

trace() { "$LOCALVPC_BIN" trace --state-dir "$LV_STATE" "$@"; }
# predict WORD FROM TO [ARGS]: trace's exit status says reachable (0) or
# not (1), as WORD (ok|denied) expects.
predict() {
	local want=$1 rc=0
	shift
	trace "$@" >"$work/trace.out" 2>&1 || rc=$?
	case $want:$rc in
	ok:0 | denied:1) echo "ok: trace predicts $want for $*" ;;
	*) cat "$work/trace.out"; fail "trace $* exited $rc, expected $want" ;;
	esac
}
json() { trace "$@" --json || true; }
tcp() { lv_exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3"; }
inet_tcp() { lv_internet --from "$1" -- timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3"; }

# My IP and another internet address → the bastion.
predict ok internet:192.0.2.1 Bastion --port 22
expect_ok "My IP reaches the bastion's sshd" host_probe "$b_pub" timeout 3 bash -c "exec 3<>/dev/tcp/$b_pub/22"
predict denied internet:203.0.113.7 "$bastion" --port 22
[ "$(json internet:203.0.113.7 "$bastion" --port 22 | jq -r '.explanations[0].code + " " + .explanations[0].component_id')" = \
	"ENI_SG_RULES_MISMATCH $bsg" ] || fail "the stranger is stopped by the bastion's group"
lv_internet --from 203.0.113.7 -- true
expect_denied "another internet address does not reach it" inet_tcp 203.0.113.7 "$b_pub" 22

# Inside the VPC: the bastion group reference.
predict ok Bastion "Internal Instance" --port 22
expect_ok "bastion -> internal:22" tcp "$bastion" "$i_ip" 22
predict denied "NAT Instance" "$i_ip" --port 22
expect_denied "NAT instance -> internal:22" tcp "$nat" "$i_ip" 22
predict denied internet "$internal" --port 22

# Out through the NAT instance (its MASQUERADE comes from its user data).
web_server 203.0.113.10 8080 "$work/web.log"
predict ok "Internal Instance" internet --port 8080
json "$internal" internet --port 8080 | jq -e '.notes | test("assumed to translate")' >/dev/null ||
	fail "trace says it assumes the NAT instance translates"
expect_ok "internal -> internet through the NAT instance" \
	lv_exec "$internal" curl -sf --max-time 5 http://203.0.113.10:8080/
ec2 modify-instance-attribute --instance-id "$nat" --source-dest-check >/dev/null
predict denied "$internal" internet:203.0.113.10 --port 8080
[ "$(json "$internal" internet --port 8080 | jq -r '.explanations[0].code')" = ENI_SOURCE_DEST_CHECK_RESTRICTION ] ||
	fail "the NAT's source/dest check is named"
expect_denied "with the NAT's check on, nothing gets out" \
	lv_exec "$internal" curl -sf --max-time 3 http://203.0.113.10:8080/
ec2 modify-instance-attribute --instance-id "$nat" --no-source-dest-check >/dev/null

# The hanging ssh: the internal group loses its rule.
ec2 revoke-security-group-ingress --group-id "$isg" --protocol tcp --port 22 --source-group "$bsg" >/dev/null
predict denied Bastion "Internal Instance" --port 22
out=$(json Bastion "Internal Instance" --port 22)
[ "$(echo "$out" | jq -r '.explanations[0].code + " " + .explanations[0].component_id')" = \
	"ENI_SG_RULES_MISMATCH $isg" ] || { echo "$out"; fail "trace names the internal group"; }
fix=$(echo "$out" | jq -r .suggestion)
case $fix in "add ingress tcp/22 from $bsg to $isg"*) ;; *) fail "suggestion: $fix" ;; esac
echo "ok: trace says: $fix"
trace Bastion "Internal Instance" --port 22 | grep -q "✗ $isg (Internal Instance) ingress: no rule admits tcp/22" ||
	fail "the human output marks the internal group"
expect_denied "... and ssh from the bastion hangs" tcp "$bastion" "$i_ip" 22
cmd=$(echo "$fix" | sed -n 's/.*(aws ec2 \(.*\))$/\1/p')
[ -n "$cmd" ] || fail "the suggestion carries the aws command"
# shellcheck disable=SC2086 # the suggested command's words
ec2 $cmd >/dev/null
predict ok Bastion "Internal Instance" --port 22
expect_ok "the suggested rule lets ssh through again" tcp "$bastion" "$i_ip" 22

# A custom ACL on the private subnet: ssh in, but no ephemeral ports out.
priv=$(q "$internal" SubnetId)
vpc=$(q "$internal" VpcId)
acl=$(ec2 create-network-acl --vpc-id "$vpc" --query NetworkAcl.NetworkAclId)
ec2 create-network-acl-entry --network-acl-id "$acl" --ingress --rule-number 100 --protocol tcp \
	--port-range From=22,To=22 --cidr-block 10.0.0.0/24 --rule-action allow
ec2 create-network-acl-entry --network-acl-id "$acl" --egress --rule-number 100 --protocol tcp \
	--port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action allow
assoc=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$priv" \
	--query "NetworkAcls[0].Associations[?SubnetId=='$priv'].NetworkAclAssociationId | [0]")
ec2 replace-network-acl-association --association-id "$assoc" --network-acl-id "$acl" >/dev/null
predict denied Bastion "Internal Instance" --port 22
[ "$(json Bastion "Internal Instance" --port 22 | jq -r '.explanations[0] | "\(.code) \(.is_return) \(.direction)"')" = \
	"SUBNET_ACL_RESTRICTION true egress" ] || fail "trace blames the ACL on the return path"
expect_denied "the replies are dropped: no ssh" tcp "$bastion" "$i_ip" 22
fix=$(json Bastion "Internal Instance" --port 22 | jq -r .suggestion)
case $fix in "add to $acl an outbound allow rule "*" for tcp 1024-65535 to "*) ;; *) fail "suggestion: $fix" ;; esac
echo "ok: trace says: $fix"
cmd=$(echo "$fix" | sed -n 's/.*(aws ec2 \(.*\))$/\1/p')
# shellcheck disable=SC2086 # the suggested command's words
ec2 $cmd >/dev/null
predict ok Bastion "Internal Instance" --port 22
expect_ok "with ephemeral ports out, ssh works" tcp "$bastion" "$i_ip" 22

# Usage errors exit 2.
rc=0
trace Bastion >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "trace with one endpoint exits 2, not $rc"
rc=0
trace Bastion Nobody >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "trace to an unknown name exits 2, not $rc"
echo "PASS"
