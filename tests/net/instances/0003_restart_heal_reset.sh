#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The reconciler: a live TCP connection between two instances survives the
# daemon being killed -9 and restarted; a namespace deleted by hand is
# recreated; `localvpc reset` leaves namespaces, links, nft tables and
# processes as they were before the daemon started.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

snapshot() {
	{
		ip netns list | sort
		ip -br link | awk '{print $1}' | sort
		nft list tables | sort
		ip route show table main
	} | grep -v "^$P" || true
}
before=$(snapshot)

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
vpc=$(ec2 create-vpc --cidr-block 10.2.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # this test is about routing, not groups
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.2.0.0/24 --query Subnet.SubnetId)
ids=$(ec2 run-instances --image-id ami-0de12b0000c0ffee1 --count 2 --subnet-id "$sn" \
	--query 'Instances[].InstanceId')
a=${ids%%[[:space:]]*}
b=${ids##*[[:space:]]}
b_ip=$(ec2 describe-instances --instance-ids "$b" --query 'Reservations[0].Instances[0].PrivateIpAddress')
wait_until 20 lv_exec "$b" bash -c "exec 3<>/dev/tcp/127.0.0.1/22"

# A long TCP stream a → b: a server on b echoes lines; a client on a sends
# one line now and one after the restart through the same connection.
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$b" -- timeout 120 nc -l -p 7000 -k >"$work/got" &
push_teardown "kill $!"
wait_until 10 lv_exec "$b" bash -c "ss -tln | grep -q :7000"
mkfifo "$work/feed"
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$a" -- timeout 120 nc "$b_ip" 7000 <"$work/feed" &
push_teardown "kill $!"
exec 9>"$work/feed"
push_teardown "exec 9>&-"
echo before-restart >&9
wait_until 10 grep -q before-restart "$work/got" || fail "stream did not start"

daemon_stop KILL
daemon_run
echo after-restart >&9
wait_until 10 grep -q after-restart "$work/got" || fail "the connection did not survive a restart"
echo "ok: a live TCP connection survived kill -9 and restart"

router="$LV_PREFIX-v${vpc: -8}"
ip netns del "$router"
ec2 create-tags --resources "$vpc" --tags Key=poke,Value=1 # any call reconciles at once
wait_until 15 lv_exec "$a" ping -c1 -W1 "$b_ip" || fail "a deleted router namespace was not healed"
echo "ok: a namespace deleted by hand was healed"

daemon_stop TERM
"$LOCALVPC_BIN" reset --state-dir "$LV_STATE" >/dev/null
after=$(snapshot)
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); fail "reset left something behind"; }
pgrep -f "$LV_STATE" && fail "processes of the daemon remain"
echo "ok: reset left the machine as it was"
echo "PASS"
