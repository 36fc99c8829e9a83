#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults lose nothing (issue 10 item 3): what a hand breaks in the kernel
# behind the daemon's back is healed by its periodic pass alone (no API
# call pokes it; tests/net/instances/0003 covers a deleted namespace healed
# by the pass after a call).  The seed topology — bastion, internal
# instance behind a NAT gateway, the seed's groups — and for each fault:
# the VPC router's namespace deleted, the bastion's veth deleted (router
# side), the host's link to the emulated internet deleted, the router's nft
# table deleted, one element of a set deleted, a rogue element added, a
# chain flushed (the last three leave the table's lvhash marker intact),
# the host route to the public pool deleted, and the bastion's init killed
# (the executor starts again what must run).  Healed means: the kernel
# state (tests/net/trust/kstate.py) is again what it was before the fault,
# the daemon's log shows that it changed something, the allowed flows work
# (ssh to the bastion from My IP, ssh -J to the internal instance, the
# internal instance out through the NAT gateway) and the denied ones stay
# denied (ssh to the bastion from another internet address, ping bastion →
# internal).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
source "$(dirname "$0")/seed_topology.bash"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"
here=$(cd "$(dirname "$0")" && pwd)

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
log=$work/daemon.log
seed_topology 42
router="$LV_PREFIX-v${vpc: -8}"
b_eni=$(seed_q "$bastion" 'NetworkInterfaces[0].NetworkInterfaceId')
b_link="e${b_eni: -8}"
web_server 203.0.113.40 8080 "$work/www.log"
lv_internet --from 203.0.113.7 -- true

printf '%s\n' "Host *" "  IdentityFile $work/key" "  StrictHostKeyChecking no" \
	"  UserKnownHostsFile /dev/null" "  BatchMode yes" "  ConnectTimeout 5" "  LogLevel ERROR" \
	>"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/key"
SSH=(ssh -F "$work/ssh_config")

kstate() { /usr/bin/python3 "$here/kstate.py" "$LV_PREFIX"; }

allowed() {
	[ "$("${SSH[@]}" "ec2-user@$b_pub" hostname)" = "ip-${b_ip//./-}" ] &&
		[ "$("${SSH[@]}" -J "ec2-user@$b_pub" "ec2-user@$i_ip" hostname)" = "ip-${i_ip//./-}" ] &&
		lv_exec "$internal" curl -sf --max-time 5 -o /dev/null http://203.0.113.40:8080/
}

denied() {
	expect_denied "  ssh to the bastion from 203.0.113.7" \
		lv_internet --from 203.0.113.7 -- timeout 2 bash -c "exec 3<>/dev/tcp/$b_pub/22"
	expect_denied "  ping bastion -> internal" lv_exec "$bastion" ping -c1 -W1 "$i_ip"
}

expect_ok "the seed topology works before any fault" allowed
denied
# The instances have booted (sshd listens once their boot script is done):
# this is the state to come back to.
baseline=$(kstate)

healed() { [ "$(kstate)" = "$baseline" ] && allowed; }

# heal FAULT PATTERN CMD...: injects the fault with CMD, waits (at most 60
# s, no API call) until it is healed, and checks that the daemon's log,
# after the fault, has a line matching PATTERN.
heal() {
	local what=$1 pattern=$2 lines
	shift 2
	lines=$(wc -l <"$log")
	"$@" || fail "could not inject: $what"
	if ! wait_until 60 healed; then
		diff <(echo "$baseline") <(kstate) | head -40
		fail "not healed within 60 s: $what"
	fi
	tail -n +"$((lines + 1))" "$log" | grep -Eq "$pattern" ||
		fail "healed, but the daemon logged no repair of: $what"
	echo "ok: healed: $what"
	denied
}
repaired="op=reconcile changes=[1-9]"

heal "the VPC router's namespace deleted" "$repaired" ip netns del "$router"
heal "the bastion's veth deleted (router side $b_link)" "$repaired" \
	ip -n "$router" link del "$b_link"
heal "the host's link $LV_PREFIX-h deleted" "$repaired" ip link del "$LV_PREFIX-h"
heal "the router's nft table deleted" "$repaired" \
	ip netns exec "$router" nft delete table inet "$LV_PREFIX"

# Changes under an intact lvhash marker: the periodic pass must not trust
# the marker alone.
nftr() { ip netns exec "$router" nft "$@"; }
handmade="table changed by hand"
heal "the bastion's SSH element deleted from sg_in" "$handmade" \
	nftr delete element inet "$LV_PREFIX" sg_in "{ 192.0.2.1 . \"$b_link\" . tcp . 22 }"
# A hole: SSH to the bastion from an address its group does not admit.
rogue() {
	nftr add element inet "$LV_PREFIX" sg_in "{ 203.0.113.7 . \"$b_link\" . tcp . 22 }" || return
	# Shows the hole is real, unless the periodic pass was quicker.
	lv_internet --from 203.0.113.7 -- timeout 5 bash -c "exec 3<>/dev/tcp/$b_pub/22" &&
		echo "  (the rogue element let 203.0.113.7 in)" || true
}
heal "a rogue element in sg_in (203.0.113.7 -> bastion:22 opened)" "$handmade" rogue
heal "the router's forward chain flushed" "$handmade" nftr flush chain inet "$LV_PREFIX" forward
nftr list table inet "$LV_PREFIX" | grep -q lvhash || fail "the marker set is gone"

heal "the host route to the public pool deleted" "$repaired" \
	ip route del "$LV_POOL" dev "$LV_PREFIX-h"

# The bastion's init dies (kill -9): the instance is still running in the
# store, so the executor starts it again; its sshd comes back.  sshd dying
# alone is the instance's own business: localvpc-init restarts nothing
# (src/runtime/init/main.c), and nothing here promises otherwise.
read -r init_pid _ <"$LV_STATE/instances/$bastion/init.pid"
audit_pid "$init_pid"
heal "the bastion's init killed" "instance=$bastion op=start" kill -9 "$init_pid"
[ "$(seed_q "$bastion" State.Name)" = running ] || fail "the bastion is no longer running"
read -r new_pid _ <"$LV_STATE/instances/$bastion/init.pid"
[ "$new_pid" != "$init_pid" ] || fail "the bastion's init was not restarted"
echo "PASS"
