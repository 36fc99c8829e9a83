#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The second seed's three peered VPCs: examples/peering-three-vpcs/
# walkthrough.sh (twice: idempotent) against a fresh daemon.  A-B and B-C
# are requested and accepted (active); D, whose block overlaps A's, is
# refused with AWS's status and message, and cannot be accepted.  With real
# packets: A reaches B, B reaches C; A does not reach C — not with C's group
# open to A (so the denial is routing), and not with routes to each other's
# block through B's peerings either (peering is not transitive).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
run() { ENDPOINT=$LV_ENDPOINT KEYDIR=$work/keys AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	bash "$(dirname "$0")/../../../examples/peering-three-vpcs/walkthrough.sh"; }
run >"$work/run1.log" 2>&1 || { cat "$work/run1.log"; fail "the peering walkthrough failed"; }
run >"$work/run2.log" 2>&1 || { cat "$work/run2.log"; fail "the second peering walkthrough run failed"; }
[ "$(ec2 describe-instances --query 'length(Reservations[].Instances[])')" = 3 ] || fail "three instances after two runs"
[ "$(ec2 describe-vpc-peering-connections --query 'length(VpcPeeringConnections)')" = 3 ] ||
	fail "three peerings (A-B, B-C, the refused D-A) after two runs"
echo "ok: the peering walkthrough is idempotent"

pcx() { ec2 describe-vpc-peering-connections --filters "Name=tag:Name,Values=$1" \
	--query "VpcPeeringConnections[0].$2"; }
for p in A-B B-C; do
	[ "$(pcx $p Status.Code)" = active ] || fail "peering $p is $(pcx $p Status.Code), not active"
done
ab=$(pcx A-B VpcPeeringConnectionId) bc=$(pcx B-C VpcPeeringConnectionId) da=$(pcx D-A VpcPeeringConnectionId)
echo "ok: A-B $ab and B-C $bc are active"

# Overlapping blocks: AWS creates the connection and fails it.
[ "$(pcx D-A Status.Code)" = failed ] || fail "the overlapping D-A peering is $(pcx D-A Status.Code), not failed"
msg=$(pcx D-A Status.Message)
[ "$msg" = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range" ] ||
	fail "the D-A status message: $msg"
err=$(ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$da" 2>&1) && fail "a failed peering was accepted"
case $err in *InvalidStateTransition*) ;; *) fail "accepting the failed peering: $err" ;; esac
echo "ok (denied): the overlapping D-A peering is failed ($msg); accepting it: InvalidStateTransition"

declare -A INST IP VPC RT CIDR=([A]=10.1.0.0/16 [B]=10.2.0.0/16 [C]=10.3.0.0/16)
for v in A B C; do
	INST[$v]=$(ec2 describe-instances --filters "Name=tag:Name,Values=Instance $v" \
		--query 'Reservations[0].Instances[0].InstanceId')
	IP[$v]=$(ec2 describe-instances --instance-ids "${INST[$v]}" --query 'Reservations[0].Instances[0].PrivateIpAddress')
	VPC[$v]=$(ec2 describe-instances --instance-ids "${INST[$v]}" --query 'Reservations[0].Instances[0].VpcId')
	RT[$v]=$(ec2 describe-route-tables --filters "Name=vpc-id,Values=${VPC[$v]}" Name=association.main,Values=true \
		--query 'RouteTables[0].RouteTableId')
done
sshd_wait "${INST[A]}" "${INST[B]}" "${INST[C]}"
reach() { lv_exec "${INST[$1]}" timeout 3 bash -c "exec 3<>/dev/tcp/${IP[$2]}/22"; }
ping_() { lv_exec "${INST[$1]}" ping -c1 -W2 "${IP[$2]}"; }

# Peers talk, both ways, ssh and ICMP; ssh with the walkthrough's key.
for pair in A:B B:A B:C C:B; do
	expect_ok "${pair%:*} reaches ${pair#*:} (tcp/22)" wait_until 10 reach "${pair%:*}" "${pair#*:}"
	expect_ok "${pair%:*} pings ${pair#*:}" ping_ "${pair%:*}" "${pair#*:}"
done
lv_exec "${INST[A]}" bash -c 'install -d -m 700 -o ec2-user -g ec2-user /home/ec2-user/.ssh'
lv_exec "${INST[A]}" bash -c "cat > /home/ec2-user/.ssh/id; chown ec2-user /home/ec2-user/.ssh/id; chmod 600 /home/ec2-user/.ssh/id" \
	<"$work/keys/PeeringKeyPair.pem"
got=$(lv_exec "${INST[A]}" su - ec2-user -c "ssh -i ~/.ssh/id -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR ec2-user@${IP[B]} hostname") || fail "ssh from A to B"
[ "$got" = "ip-${IP[B]//./-}" ] || fail "ssh from A landed on $got"
echo "ok: ssh from instance A to instance B ($got)"
lv_exec "${INST[A]}" rm -f /home/ec2-user/.ssh/id

# A and C: not transitive.  First C's group (and A's) wide open to the
# other, so no group can be the reason.
sg() { ec2 describe-instances --instance-ids "${INST[$1]}" --query 'Reservations[0].Instances[0].SecurityGroups[0].GroupId'; }
ec2 authorize-security-group-ingress --group-id "$(sg C)" --protocol -1 --cidr "${CIDR[A]}" >/dev/null
ec2 authorize-security-group-ingress --group-id "$(sg A)" --protocol -1 --cidr "${CIDR[C]}" >/dev/null
expect_denied "A does not reach C (tcp/22), C's group open to A" reach A C
expect_denied "... nor ping it" ping_ A C
expect_denied "... nor C reach A" reach C A
# Then routes that send A's packets for C into the A-B peering, and C's
# for A into B-C: B does not forward between its peerings.
ec2 create-route --route-table-id "${RT[A]}" --destination-cidr-block "${CIDR[C]}" --vpc-peering-connection-id "$ab" >/dev/null
ec2 create-route --route-table-id "${RT[C]}" --destination-cidr-block "${CIDR[A]}" --vpc-peering-connection-id "$bc" >/dev/null
expect_denied "A does not reach C through the A-B peering, even routed there" reach A C
expect_denied "... nor ping it" ping_ A C
expect_denied "... nor C reach A through B-C" reach C A
rc=0
"$LOCALVPC_BIN" trace --state-dir "$LV_STATE" "${INST[A]}" "${INST[C]}" --port 22 >"$work/trace.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$work/trace.out"; fail "trace A -> C exited $rc, expected 1 (unreachable)"; }
echo "ok: trace agrees: A -> C unreachable"
expect_ok "A still reaches B" reach A B
expect_ok "B still reaches C" reach B C
echo "PASS"
