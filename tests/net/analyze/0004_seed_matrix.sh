#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed topology's probe matrix (issue 10): examples/bastion-nat/
# walkthrough.sh builds the seed's VPC through the aws CLI; then every
# instance and internet host (My IP 192.0.2.1 through host_probe's rule,
# 198.51.100.7, 203.0.113.20) against every other, TCP 22/80/443 and a
# random port, UDP 53/123, ICMP — real packets and `localvpc trace` must
# both show exactly the flows seed_matrix.py writes down (only My IP
# reaches the bastion, on 22; only the bastion reaches the internal
# instance, on 22; the internal instance reaches the internet only through
# the NAT instance; ...) and nothing else.  SEED repeats the random port.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
# The internet hosts' listeners, should the Python side be killed first.
DIFF_PIDFILE=$(dirname "$LV_STATE")/listeners.pids
export DIFF_PIDFILE
push_teardown "while read -r pid; do kill \"\$pid\"; done <'$DIFF_PIDFILE'"
work=$(dirname "$LV_STATE")
ENDPOINT=$LV_ENDPOINT KEYDIR=$work/keys AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	bash "$(dirname "$0")/../../../examples/bastion-nat/walkthrough.sh" >"$work/walk.log" 2>&1 ||
	{ cat "$work/walk.log"; fail "the walkthrough failed"; }
id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
bastion=$(id_of Bastion) internal=$(id_of "Internal Instance") nat=$(id_of "NAT Instance")
sshd_wait "$bastion" "$internal" "$nat"
SEED_IDS="{\"bastion\": \"$bastion\", \"nat\": \"$nat\", \"internal\": \"$internal\"}" \
	LV_ENDPOINT=$LV_ENDPOINT LV_STATE=$LV_STATE LOCALVPC_BIN=$LOCALVPC_BIN LV_PREFIX=$LV_PREFIX \
	/usr/bin/python3 "$(dirname "$0")/seed_matrix.py" || fail "the seed's matrix does not hold"
echo "PASS"
