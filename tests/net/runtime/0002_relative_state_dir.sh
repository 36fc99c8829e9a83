#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `serve --state-dir state`, relative to where it is started: instances
# start and answer ssh.  The sandboxes mount and chdir by paths below the
# state dir; given relative, every instance's start failed with EINVAL.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
daemon_stop TERM
work=$(dirname "$LV_STATE")
cd "$work"
"$LOCALVPC_BIN" serve --listen "127.0.0.1:$LV_PORT" --state-dir state --public-pool "$LV_POOL" \
	>>daemon.log 2>&1 </dev/null &
LV_PID=$!
push_teardown "kill $LV_PID; wait $LV_PID"
wait_until 20 curl -s -o /dev/null "$LV_ENDPOINT/" || { cat daemon.log; fail "daemon did not start"; }

id=$(ec2 run-instances --image-id ami-0de12b0000c0ffee1 --query 'Instances[0].InstanceId')
wait_until 20 lv_exec "$id" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" ||
	fail "no sshd in $id with a relative state dir: $(grep 'op=start' daemon.log | tail -1)"
grep -q "instance=$id op=start err=" daemon.log && fail "a start failed: $(grep "instance=$id op=start err=" daemon.log | head -1)"
echo "ok: $id runs and answers on port 22 under --state-dir state"
echo "PASS"
