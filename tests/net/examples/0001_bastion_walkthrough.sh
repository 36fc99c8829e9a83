#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed end to end (the README's main path): examples/bastion-nat/
# walkthrough.sh builds the first article's architecture through the aws
# CLI against a fresh daemon, a second run reuses everything, and every
# promise of the article holds with real packets and the OpenSSH client:
#   - the admin (My IP) reaches the bastion; another internet address does not;
#   - the private instance is reachable only through the bastion: ssh -A then
#     ssh on the bastion, ssh -J, ProxyCommand ssh -W and ProxyJump in
#     ~/.ssh/config — with no private key ever stored on the bastion;
#   - the private instance reaches an internet host through the NAT instance,
#     which sees the NAT's public address; nothing on the internet reaches
#     the private instance.
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
grep -q '^\[17/17\] The result' "$work/run1.log" || fail "the walkthrough shows its 17 steps"
n1=$(ec2 describe-instances --query 'length(Reservations[].Instances[])')
walk >"$work/run2.log" 2>&1 || { cat "$work/run2.log"; fail "the second walkthrough run failed"; }
n2=$(ec2 describe-instances --query 'length(Reservations[].Instances[])')
[ "$n1" = 3 ] && [ "$n2" = 3 ] || fail "three instances after each run, not $n1 then $n2"
[ "$(ec2 describe-vpcs --filters 'Name=tag:Name,Values=My Test VPC' --query 'length(Vpcs)')" = 1 ] ||
	fail "the second run made another VPC"
[ "$(ec2 describe-security-groups --filters 'Name=group-name,Values=NAT SG' --query 'length(SecurityGroups)')" = 1 ] ||
	fail "the second run made another NAT SG"
echo "ok: the walkthrough is idempotent"

# What the walkthrough printed is what the user types.
jump=$(grep -E '^ +ssh -J ' "$work/run2.log" | tail -1)
bastion=$(echo "$jump" | awk '{print $3}' | cut -d@ -f2)
internal=$(echo "$jump" | awk '{print $4}' | cut -d@ -f2)
in_pool "$bastion" || fail "the bastion's address $bastion is not in the emulated pool"
id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
bastion_id=$(id_of Bastion) internal_id=$(id_of "Internal Instance") nat_id=$(id_of "NAT Instance")
nat_pub=$(ec2 describe-instances --instance-ids "$nat_id" --query 'Reservations[0].Instances[0].PublicIpAddress')
[ "$(ec2 describe-instances --instance-ids "$nat_id" --query 'Reservations[0].Instances[0].SourceDestCheck')" = False ] ||
	fail "the NAT instance's source/dest check must be off"
pub=$(ec2 describe-instances --instance-ids "$internal_id" --query 'Reservations[0].Instances[0].PublicIpAddress')
[ "$pub" = None ] || fail "the internal instance must have no public address, not $pub"
echo "ok: the internal instance has no public address"

# The one command the walkthrough prints first: no agent, no options.
one=$(grep -E '^ +ssh -F .* internal$' "$work/run2.log" | tail -1)
[ -n "$one" ] || fail "the walkthrough prints the one-command ssh"
wait_until 60 env -u SSH_AUTH_SOCK $one -o BatchMode=yes -o ConnectTimeout=5 true ||
	fail "the printed command ($one) gives a shell on the internal instance"
got=$(env -u SSH_AUTH_SOCK $one -o BatchMode=yes hostname)
[ "$got" = "ip-${internal//./-}" ] || fail "the printed command landed on $got"
echo "ok: '$one' lands on the internal instance"

printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem" "$work/keys/NatKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
bastion_up() { host_probe "$bastion" bash -c "exec 3<>/dev/tcp/$bastion/22 && head -c 7 <&3 | grep -q SSH-2.0"; }
wait_until 30 bastion_up || fail "the bastion's sshd did not answer"
sshd_wait "$internal_id"

# The admin reaches the bastion from My IP; another internet address does not.
expect_ok "ssh to the bastion from My IP" "${SSH[@]}" "ec2-user@$bastion" true
expect_denied "another internet address (198.51.100.7) cannot reach the bastion's sshd" \
	lv_internet --from 198.51.100.7 -- timeout 3 bash -c "exec 3<>/dev/tcp/$bastion/22"

# The seed's first way: the agent forwarded with -A, then ssh on the bastion.
inner="ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR"
got=$("${SSH[@]}" -A "ec2-user@$bastion" "$inner ec2-user@$internal hostname") ||
	fail "ssh -A to the bastion, then ssh to the internal instance"
[ "$got" = "ip-${internal//./-}" ] || fail "the hop landed on $got, not the internal instance"
echo "ok: ssh -A to the bastion, then ssh $internal from there ($got)"
expect_denied "without -A the bastion holds no key for the internal instance" \
	"${SSH[@]}" "ec2-user@$bastion" "$inner ec2-user@$internal true"
keys=$(lv_exec "$bastion_id" bash -c 'grep -rlE "PRIVATE KEY" /home /root /tmp /etc 2>/dev/null | grep -v "^/etc/ssh/ssh_host_" || true')
[ -z "$keys" ] || fail "no private key may be stored on the bastion; found: $keys"
echo "ok: no private key stored on the bastion"

# ssh -J, and the two ~/.ssh/config forms of the seed.
expect_ok "ssh -J through the bastion" "${SSH[@]}" -J "ec2-user@$bastion" "ec2-user@$internal" true
# ssh uses the first value it reads: the Host block must come first.
{ printf 'Host %s\n  ProxyCommand ssh -F %s -A ec2-user@%s -W %%h:%%p\n' "$internal" "$work/ssh_config" "$bastion"
	cat "$work/ssh_config"; } >"$work/proxycommand_config"
expect_ok "ProxyCommand ssh -W %h:%p in ~/.ssh/config" ssh -F "$work/proxycommand_config" "ec2-user@$internal" true
{ printf 'Host %s\n  ProxyJump ec2-user@%s\n' "$internal" "$bastion"; cat "$work/ssh_config"; } >"$work/proxyjump_config"
expect_ok "ProxyJump in ~/.ssh/config" ssh -F "$work/proxyjump_config" "ec2-user@$internal" true

# Only through the bastion: not from the NAT instance (public subnet, not in
# the bastion's group), not from the internet.
expect_denied "the NAT instance (not in the bastion group) cannot reach the internal sshd" \
	lv_exec "$nat_id" timeout 3 bash -c "exec 3<>/dev/tcp/$internal/22"
expect_denied "the internet cannot reach the internal instance's private address" \
	lv_internet --from 203.0.113.20 -- timeout 3 bash -c "exec 3<>/dev/tcp/$internal/22"
expect_denied "... nor through the NAT instance's public address" \
	lv_internet --from 203.0.113.20 -- timeout 3 bash -c "exec 3<>/dev/tcp/$nat_pub/22"

# Out through the NAT instance: an internet web server sees the NAT's
# public address (the seed's "run yum update to confirm").
web_server 203.0.113.20 8080 "$work/www.log"
wait_until 30 lv_exec "$bastion_id" true
wait_until 20 lv_exec "$nat_id" bash -c "iptables -t nat -S | grep -q MASQUERADE" || fail "the NAT user data did not run"
got=$("${SSH[@]}" -J "ec2-user@$bastion" "ec2-user@$internal" curl -sf --max-time 5 http://203.0.113.20:8080/) ||
	fail "the internal instance reaches the internet through the NAT instance"
[ "$got" = hello-internet ] || fail "unexpected answer from the internet host: $got"
grep -q "^$nat_pub " "$work/www.log" || fail "the internet host should see the NAT's public address $nat_pub"
echo "ok: the internal instance reached 203.0.113.20 through the NAT, seen as $nat_pub"
echo "PASS"
