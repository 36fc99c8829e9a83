#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's main path: examples/bastion-nat/walkthrough.sh builds the
# first seed's architecture through the aws CLI against a fresh daemon, a
# second run reuses everything, and the ssh commands it prints work — the
# bastion from My IP, the internal instance only by jumping through it
# (the key stays in the agent, never on the bastion).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
walk() { ENDPOINT=$LV_ENDPOINT KEYDIR=$work/keys AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	bash "$(dirname "$0")/../../../examples/bastion-nat/walkthrough.sh"; }
walk >"$work/run1.log" 2>&1 || { cat "$work/run1.log"; fail "the walkthrough failed"; }
n1=$(ec2 describe-instances --query 'length(Reservations[].Instances[])')
walk >"$work/run2.log" 2>&1 || { cat "$work/run2.log"; fail "the second walkthrough run failed"; }
n2=$(ec2 describe-instances --query 'length(Reservations[].Instances[])')
[ "$n1" = 2 ] && [ "$n2" = 2 ] || fail "two instances after each run, not $n1 then $n2"
[ "$(ec2 describe-vpcs --filters 'Name=tag:Name,Values=My Test VPC' --query 'length(Vpcs)')" = 1 ] ||
	fail "the second run made another VPC"
echo "ok: the walkthrough is idempotent"

jump=$(grep -E '^ +ssh -J ' "$work/run2.log" | tail -1)
bastion=$(echo "$jump" | awk '{print $3}' | cut -d@ -f2)
internal=$(echo "$jump" | awk '{print $4}' | cut -d@ -f2)
in_pool "$bastion" || fail "the bastion's address $bastion is not in the emulated pool"
printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
bastion_up() { host_probe "$bastion" bash -c "exec 3<>/dev/tcp/$bastion/22 && head -c 7 <&3 | grep -q SSH-2.0"; }
wait_until 30 bastion_up || fail "the bastion's sshd did not answer"
expect_ok "ssh to the bastion, as the walkthrough prints it" "${SSH[@]}" "ec2-user@$bastion" true
wait_until 30 "${SSH[@]}" -J "ec2-user@$bastion" "ec2-user@$internal" true ||
	fail "ssh -J through the bastion to the internal instance"
echo "ok: ssh -J through the bastion to the internal instance"
expect_denied "from the bastion without the agent: no key there" \
	"${SSH[@]}" "ec2-user@$bastion" "ssh -o StrictHostKeyChecking=no -o BatchMode=yes -o ConnectTimeout=3 ec2-user@$internal true"
pub=$(ec2 describe-instances --filters "Name=tag:Name,Values=Internal Instance" \
	--query 'Reservations[0].Instances[0].PublicIpAddress')
[ "$pub" = None ] || fail "the internal instance must have no public address, not $pub"
echo "ok: the internal instance has no public address"
echo "PASS"
