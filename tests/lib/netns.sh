# SPDX-License-Identifier: MIT
# Shared helpers for tests/net (STYLE §9): every object a test makes is
# registered for teardown the moment it exists; teardown runs last-in
# first-out on EXIT and ends with a leak audit of the test's prefix.
# Usage: source this file; `set -eu`; P=lt$$ is the prefix of everything.
set -eu
P=${P:-lt$$}
_TEARDOWN=()
_LEAK_PREFIXES=("$P")
_LEAK_PIDS=()

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

push_teardown() { _TEARDOWN+=("$1"); }

# Also audit these prefixes (a daemon's kernel-object prefix, for instance).
audit_prefix() { _LEAK_PREFIXES+=("$1"); }

# proc_start PID: the process's start time (field 22 of /proc/PID/stat),
# empty when it is gone or a zombie (a zombie has ended; its reaper may be
# slow, and may not be us).
proc_start() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	set -- $stat
	[ "$1" = Z ] || [ "$1" = X ] || echo "${20}"
}

# audit_pid PID: the process must be gone at the end of the teardown (a
# process that is not our child, such as an instance's init).
audit_pid() { _LEAK_PIDS+=("$1:$(proc_start "$1")"); }

# The audit: names start with a prefix when the next character cannot
# continue it (lt123 must not match lt1234-a of a parallel test).
_leaks() {
	local p pp leaks=""
	for p in "${_LEAK_PREFIXES[@]}"; do
		[ -n "$p" ] || continue
		ip netns list 2>/dev/null | grep -Eq "^$p([^0-9a-f]|$)" && leaks+=" netns:$p*"
		ip -br link 2>/dev/null | grep -Eq "^$p([^0-9a-f]|$)" && leaks+=" link:$p*"
		nft list tables 2>/dev/null | grep -qw "$p" && leaks+=" nft:$p"
		awk -v p="$p" '$5 ~ "/" p "([^0-9a-f/][^/]*)?(/|$)" { found = 1 } END { exit !found }' \
			/proc/self/mountinfo && leaks+=" mount:*/$p*"
	done
	for pp in "${_LEAK_PIDS[@]}"; do
		[ -n "${pp#*:}" ] && [ "$(proc_start "${pp%%:*}")" = "${pp#*:}" ] && leaks+=" pid:${pp%%:*}"
	done
	echo "$leaks"
}

_teardown() {
	local rc=$? i leaks
	set +e
	for ((i = ${#_TEARDOWN[@]} - 1; i >= 0; i--)); do
		eval "${_TEARDOWN[$i]}" >/dev/null 2>&1
	done
	leaks=$(_leaks)
	if [ -n "$leaks" ]; then
		echo "LEAK:$leaks" >&2
		[ $rc -eq 0 ] && rc=1
	fi
	exit $rc
}
trap _teardown EXIT

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

ns_add() {
	ip netns add "$1"
	push_teardown "ip netns del '$1'"
}

# veth_add NAME NS PEER PEER_NS
veth_add() {
	ip link add "$1" netns "$2" type veth peer name "$3" netns "$4"
	push_teardown "ip -n '$2' link del '$1'"
}

# bg CMD...: a background process, ended by its pid at teardown.
bg() {
	"$@" &
	local pid=$!
	push_teardown "kill $pid; wait $pid"
	BG_PID=$pid
}

# wait_until SECONDS CMD...: polls CMD until it succeeds or the deadline passes.
wait_until() {
	local deadline=$(($(date +%s%N) + $1 * 1000000000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

expect_ok() { # DESCRIPTION CMD...
	local what=$1
	shift
	"$@" >/dev/null 2>&1 || fail "expected to work: $what"
	echo "ok: $what"
}

expect_denied() { # DESCRIPTION CMD...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		fail "expected to be refused: $what"
	fi
	echo "ok (denied): $what"
}
