#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The analyzer against real packets (issue 8): random topologies (VPCs,
# subnets, internet gateways, route tables, NAT instances and gateways,
# peerings, groups, ACLs, public and private instances) and random probes
# from instances and internet hosts; every verdict of `localvpc trace`
# must match what the packets do (differential.py).  DIFF_TOPOLOGIES and
# DIFF_PROBES size it (50 and 10000); arguments go to differential.py:
# `--seed N` repeats a run, `--replay /tmp/lvdiff-SEED/tK` re-runs the
# probes that disagreed in one saved topology.
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
LV_ENDPOINT=$LV_ENDPOINT LV_STATE=$LV_STATE LOCALVPC_BIN=$LOCALVPC_BIN \
	/usr/bin/python3 "$(dirname "$0")/differential.py" "$@" || fail "the analyzer and the packets disagree"
echo "PASS"
