#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults lose nothing (issue 10 item 3, checklist 24 and 29): the daemon is
# killed -9 in the middle of a stream of mutating aws CLI calls (security
# group rules authorized and revoked, routes created and deleted, instances
# run and terminated) and restarted; the kernel state it then derives
# (tests/net/trust/kstate.py: links, addresses, routes, rules, neighbours,
# sysctls, nftables of every namespace of its prefix and its host side)
# must equal a fresh build from the same store: the daemon stopped, every
# namespace, its host link and host table deleted, started again.  Twice,
# each time at a random moment.  Neither the restart nor the fresh build
# has a reconcile error, and no periodic pass finds a table changed by hand.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
source "$(dirname "$0")/seed_topology.bash"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"
here=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-2}

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
log=$work/daemon.log
seed_topology 43
ami=ami-0de12b0000c0ffee1

kstate() { /usr/bin/python3 "$here/kstate.py" "$LV_PREFIX"; }

# call ARGS...: one aws CLI call, one attempt (a call cut by the kill fails
# at once), its outcome ignored; counted in $work/calls.
call() {
	echo "$1" >>"$work/calls"
	AWS_MAX_ATTEMPTS=1 ec2 "$@" >/dev/null 2>&1 || true
}

# stream N: mutating calls until $work/stop exists.
stream() {
	local i=$1 id
	while [ ! -e "$work/stop" ]; do
		i=$((i + 1))
		call authorize-security-group-ingress --group-id "$isg" --protocol tcp \
			--port $((1000 + i % 40)) --cidr 10.43.0.0/24
		call create-route --route-table-id "$privrt" \
			--destination-cidr-block "203.0.113.$((i % 200))/32" --nat-gateway-id "$nat"
		case $((i % 3)) in
		1)
			call run-instances --image-id $ami --count 1 --subnet-id "$priv" \
				--security-group-ids "$isg"
			;;
		2)
			id=$(ec2 describe-instances --filters Name=instance-state-name,Values=running \
				"Name=subnet-id,Values=$priv" --query 'Reservations[].Instances[].InstanceId' \
				2>/dev/null | tr '\t' '\n' | grep -vx "$internal" | head -1) || true
			[ -z "$id" ] || call terminate-instances --instance-ids "$id"
			;;
		esac
		call revoke-security-group-ingress --group-id "$isg" --protocol tcp \
			--port $((1000 + (i - 3) % 40)) --cidr 10.43.0.0/24
		call delete-route --route-table-id "$privrt" \
			--destination-cidr-block "203.0.113.$(((i - 2) % 200))/32"
	done
}

# Until every running instance has booted (its sshd listens once its boot
# script, which sets sysctls, is done); the daemon answers only after its
# first pass, so the rest of the kernel state is there already.
settled() {
	local ids
	ids=$(ec2 describe-instances --filters Name=instance-state-name,Values=running \
		--query 'Reservations[].Instances[].InstanceId') || return
	# shellcheck disable=SC2086 # one word per instance
	sshd_wait $ids
}

fresh_build() {
	local ns
	daemon_stop TERM
	for ns in $(ip netns list | awk '{print $1}'); do
		case $ns in "$LV_PREFIX"-x*) ;; "$LV_PREFIX"-*) ip netns del "$ns" ;; esac
	done
	ip link del "$LV_PREFIX-h" 2>/dev/null || true
	nft delete table inet "$LV_PREFIX" 2>/dev/null || true
	daemon_run
}

for round in $(seq "$ROUNDS"); do
	rm -f "$work/stop"
	stream $((round * 100)) &
	spid=$!
	push_teardown "touch '$work/stop'; wait $spid"
	sleep "$((10 + RANDOM % 20)).$((RANDOM % 10))" # a random moment of the stream
	daemon_stop KILL
	touch "$work/stop"
	wait "$spid"
	lines=$(wc -l <"$log")
	daemon_run
	settled || fail "round $round: the instances do not boot after kill -9"
	kstate >"$work/after-kill9.json"
	fresh_build
	settled || fail "round $round: the instances do not boot in the fresh build"
	kstate >"$work/fresh.json"
	if ! diff "$work/after-kill9.json" "$work/fresh.json"; then
		fail "round $round: after kill -9 (<) the kernel differs from a fresh build (>)"
	fi
	if tail -n +"$((lines + 1))" "$log" | grep 'level=warn mod=reconcile'; then
		fail "round $round: the restart or the fresh build had errors"
	fi
	n=$(grep -c '^ "PFX-' "$work/fresh.json")
	echo "ok: round $round: after kill -9 the kernel equals a fresh build ($n namespaces," \
		"$(wc -l <"$work/calls") mutating calls so far)"
done
# Nothing here touched a table by hand: a reload for that reason would be a
# listing that changes by itself (packets, counters), not a heal.
if grep 'table changed by hand' "$log"; then
	fail "the periodic pass reloaded a table nobody touched"
fi
echo "PASS"
