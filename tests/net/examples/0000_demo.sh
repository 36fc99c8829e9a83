#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's main command, scripts/demo, end to end on its own state dir
# and port: it installs what is missing (nothing, here), builds, starts the
# daemon, runs the walkthrough with its step display, draws the picture and
# prints what to type next — and the one ssh command it prints gives a
# shell on the private instance.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/lvdemo.XXXXXX)
state=$work/state
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
push_teardown "rm -rf '$work'"
push_teardown "'$LOCALVPC_BIN' reset --state-dir '$state' >/dev/null"
push_teardown "[ -s '$state/daemon.pid' ] && kill \$(cat '$state/daemon.pid') 2>/dev/null; sleep 0.5"
STATE_DIR=$state LISTEN=127.0.0.1:$port KEYDIR=$work/keys SERVE_ARGS="--public-pool $LV_POOL" "$root/scripts/demo" </dev/null >"$work/demo.log" 2>&1 ||
	{ cat "$work/demo.log"; fail "scripts/demo failed"; }
audit_prefix "$(grep -o 'prefix=lv[0-9a-f]*' "$state/daemon.log" | head -1 | cut -d= -f2)"
for n in $(seq 1 17); do
	grep -q "^\[$n/17\] " "$work/demo.log" || fail "the demo shows step $n of 17"
done
grep -q "^A picture of it (live state): $state/seed.svg" "$work/demo.log" || fail "the demo draws the picture"
/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$state/seed.svg" ||
	fail "the picture is not valid SVG"
grep -q "Stop the daemon:  kill" "$work/demo.log" || fail "the demo ends with what to type next"
one=$(grep -E '^ +ssh -F .* internal$' "$work/demo.log" | tail -1)
[ -n "$one" ] || fail "the demo prints the one ssh command"
wait_until 60 env -u SSH_AUTH_SOCK $one -o BatchMode=yes -o ConnectTimeout=5 true ||
	fail "the printed command ($one) gives a shell on the private instance"
got=$(env -u SSH_AUTH_SOCK $one -o BatchMode=yes 'hostname; id -un')
[[ "$(echo "$got" | head -1)" == ip-10-0-1-* ]] ||
	fail "the shell is not on the private instance: $got"
[ "$(echo "$got" | tail -1)" = ec2-user ] || fail "the shell is not ec2-user's: $got"
echo "ok: scripts/demo, then '$one' — a shell on the private instance as ec2-user"
echo "PASS"
