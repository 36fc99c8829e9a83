#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Property test: random security groups, network ACLs and group membership
# on four instances in two subnets; every probe (TCP to a listening and a
# closed port, ICMP echo, each way between every pair) must get the verdict
# a plain evaluator of AWS's rules predicts (random_rules.py).  SEED and
# ROUNDS replay a run.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
LV_ENDPOINT=$LV_ENDPOINT LV_STATE=$LV_STATE LOCALVPC_BIN=$LOCALVPC_BIN \
	/usr/bin/python3 "$(dirname "$0")/random_rules.py" || fail "the data plane and the evaluator disagree"
echo "PASS"
