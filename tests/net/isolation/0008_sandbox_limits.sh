#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Resource limits (security checklist 18; issue 10): each instance lives in a
# cgroup of its own with pids.max and a memory limit.  A fork bomb inside one
# instance stops at the limit, with EAGAIN, while another instance forks as
# usual and the first one's sshd answers again once the bomb is gone; a
# memory hog is OOM-killed inside its instance, which stays reachable.  The
# cgroup goes with the instance (terminate) and with `localvpc reset`.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.9.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc"
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.9.0.0/24 --query Subnet.SubnetId)
read -r a b < <(ec2 run-instances --image-id $ami --count 2 --subnet-id "$sn" \
	--query 'Instances[].InstanceId' | tr '\t' ' ')
[ -n "$a" ] && [ -n "$b" ] || fail "two instances"
a_ip=$(ec2 describe-instances --instance-ids "$a" --query 'Reservations[0].Instances[0].PrivateIpAddress')
sshd_wait "$a" "$b"

# Where the limits live: one dir (v2) or one per controller (v1).
cg_dirs() { # INSTANCE → "pids-dir memory-dir memory-limit-file oom-events-file"
	local g=localvpc-$LV_PREFIX/$1
	if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		echo "/sys/fs/cgroup/$g /sys/fs/cgroup/$g memory.max memory.events"
	else
		echo "/sys/fs/cgroup/pids/$g /sys/fs/cgroup/memory/$g memory.limit_in_bytes memory.oom_control"
	fi
}
read -r a_pids a_mem mem_file oom_file < <(cg_dirs "$a")
read -r b_pids b_mem _ _ < <(cg_dirs "$b")
[ -d "$a_pids" ] && [ -d "$a_mem" ] || fail "no cgroup for $a ($a_pids, $a_mem)"
[ "$(cat "$a_pids/pids.max")" = 4096 ] || fail "pids.max of $a is $(cat "$a_pids/pids.max")"
[ "$(cat "$a_mem/$mem_file")" = $((1 << 30)) ] || fail "$mem_file of $a is $(cat "$a_mem/$mem_file")"
echo "ok: $a has pids.max 4096 and a 1 GiB memory limit"
read -r init_pid _ <"$LV_STATE/instances/$a/init.pid"
grep -q "localvpc-$LV_PREFIX/$a\$" "/proc/$init_pid/cgroup" || fail "the init of $a is not in its cgroup"
echo "ok: the instance's init runs in its cgroup"

# A fork bomb: forks sleepers until fork fails, reports how many and why,
# holds them until its stdin closes, then kills them itself (the instance
# cannot fork anything else meanwhile, not even a pkill).
bomb='
import os, sys
kids, err = [], 0
while len(kids) < 5000:
    try:
        pid = os.fork()
    except OSError as e:
        err = e.errno
        break
    if pid == 0:
        try:
            os.execv("/bin/sleep", ["sleep", "600"])
        finally:
            os._exit(127)
    kids.append(pid)
print(len(kids), err, flush=True)
sys.stdin.read()
for k in kids:
    os.kill(k, 9)
for k in kids:
    os.waitpid(k, 0)
'
coproc BOMB { lv_exec "$a" python3 -c "$bomb" 2>&1; }
bomb_out=${BOMB[0]} bomb_in=${BOMB[1]}
read -t 300 -r forked errno <&"$bomb_out" || fail "the fork bomb did not report"
[ "$errno" = 11 ] || fail "fork in the bomb ended with errno '$errno' after $forked, not EAGAIN"
[ "$forked" -lt 5000 ] || fail "the bomb forked $forked processes: no pids limit"
echo "ok: the fork bomb stopped at $forked processes (EAGAIN)"
[ "$(cat "$a_pids/pids.current")" -ge "$forked" ] || fail "pids.current does not count the bomb"
expect_denied "the full instance cannot fork more" lv_exec "$a" true
expect_ok "another instance forks as usual" \
	lv_exec "$b" bash -c 'for i in $(seq 50); do true & done; wait'
eval "exec $bomb_in>&-" # EOF: the bomb kills its sleepers and exits
wait "$BOMB_PID" || fail "the fork bomb did not clean up"
sshd_wait "$a"
banner=$(lv_exec "$b" timeout 10 bash -c "exec 3<>/dev/tcp/$a_ip/22 && head -c4 <&3")
[ "$banner" = SSH- ] || fail "sshd of $a does not answer after the bomb ('$banner')"
echo "ok: sshd of $a answers after the bomb"

# A memory hog: up to 3 GiB, 64 MiB at a time, every page written.
hog='
chunks = []
for i in range(48):
    chunks.append(b"x" * (64 << 20))
print("survived")
'
rc=0
out=$(lv_exec "$a" python3 -c "$hog" 2>&1) || rc=$?
[ "$rc" = 137 ] || fail "the memory hog ended with $rc ('$out'), not SIGKILL"
oom=$(awk '$1 == "oom_kill" { print $2 }' "$a_mem/$oom_file")
[ "${oom:-0}" -ge 1 ] || fail "no OOM kill counted in $a_mem/$oom_file"
echo "ok: the memory hog was OOM-killed inside its cgroup"
sshd_wait "$a"
banner=$(lv_exec "$b" timeout 10 bash -c "exec 3<>/dev/tcp/$a_ip/22 && head -c4 <&3")
[ "$banner" = SSH- ] || fail "sshd of $a does not answer after the hog ('$banner')"
echo "ok: $a stays reachable after the OOM kill"

# The cgroup goes with the instance; the other's stays until reset.
ec2 terminate-instances --instance-ids "$a" >/dev/null
wait_until 60 test ! -e "$a_pids" -a ! -e "$a_mem" || fail "the cgroup of $a outlives it"
echo "ok: terminate-instances removes the instance's cgroup"
[ -d "$b_pids" ] || fail "terminating $a removed $b's cgroup"
"$LOCALVPC_BIN" reset --state-dir "$LV_STATE" >/dev/null || fail "reset"
for d in "$(dirname "$b_pids")" "$(dirname "$b_mem")"; do
	[ ! -e "$d" ] || fail "$d outlives localvpc reset"
done
echo "ok: localvpc reset removes every cgroup of the daemon"
echo "PASS"
