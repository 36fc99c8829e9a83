#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# VPC Flow Logs fed from the data plane (issue 8), on real packets:
#   - the "hanging ssh": the private instance's group has no rule for the
#     bastion; with a REJECT flow log (cloud-watch-logs) on the private
#     subnet, the bastion's connection to :22 times out and a REJECT record
#     names the private ENI, the bastion's address, dstport 22, protocol 6;
#   - the rule authorized, an ALL flow log (s3) on the private ENI records
#     ACCEPT both ways, in a file named as AWS names it, with its header;
#   - deleted flow logs write nothing more (proven against a flow log on the
#     bastion's subnet that does record the same new traffic);
#   - a network ACL's deny is a REJECT for the ENI on the denying side.
# The daemon's capture window is shortened to 2 s (--flow-log-interval).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

LV_SERVE_ARGS="--flow-log-interval 2"
daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
ROLE=arn:aws:iam::123456789012:role/flow-logs
FL=$LV_STATE/flow-logs

vpc=$(ec2 create-vpc --cidr-block 10.7.0.0/16 --query Vpc.VpcId)
pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.7.0.0/24 --query Subnet.SubnetId)
priv=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.7.1.0/24 --query Subnet.SubnetId)
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$rt" --subnet-id "$pub" >/dev/null
bsg=$(ec2 create-security-group --vpc-id "$vpc" --group-name bastion --description b --query GroupId)
isg=$(ec2 create-security-group --vpc-id "$vpc" --group-name internal --description i --query GroupId)
run() { # SUBNET GROUP
	ec2 run-instances --image-id $ami --count 1 --subnet-id "$1" --security-group-ids "$2" \
		--query 'Instances[0].InstanceId'
}
bastion=$(run "$pub" "$bsg")
internal=$(run "$priv" "$isg")
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
b_ip=$(q "$bastion" PrivateIpAddress)
i_ip=$(q "$internal" PrivateIpAddress)
i_eni=$(q "$internal" 'NetworkInterfaces[0].NetworkInterfaceId')
b_eni=$(q "$bastion" 'NetworkInterfaces[0].NetworkInterfaceId')
sshd_wait "$bastion" "$internal"
tcp() { lv_exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3"; }

# records FILE|DIR: every record line (S3 headers left out).
records() {
	if [ -d "$1" ]; then
		find "$1" -type f -name '*.log' -exec cat {} + | grep -v '^version ' || true
	elif [ -f "$1" ]; then cat "$1"; fi
}
# has_record WHERE ENI ACTION SRC DST DSTPORT [SRCPORT]: a well-formed v2
# TCP record with those fields.
has_record() {
	records "$1" | awk -v e="$2" -v a="$3" -v s="$4" -v d="$5" -v dp="$6" -v sp="${7:-}" '
		NF == 14 && $1 == "2" && $2 == "123456789012" && $3 == e && $4 == s && $5 == d &&
		(dp == "" || $7 == dp) && (sp == "" || $6 == sp) && $8 == "6" && $9 >= 1 && $10 >= 40 &&
		$11 <= $12 && $13 == a && $14 == "OK" { found = 1 }
		END { exit !found }'
}

# 1. The hanging ssh, with a REJECT flow log on the private subnet.
fl_rej=$(ec2 create-flow-logs --resource-type Subnet --resource-ids "$priv" --traffic-type REJECT \
	--log-group-name vpc/rejects --deliver-logs-permission-arn "$ROLE" --query 'FlowLogIds[0]')
cw=$FL/cloudwatch/vpc/rejects/$i_eni-all
expect_denied "bastion -> internal:22 hangs (no rule for the bastion)" tcp "$bastion" "$i_ip" 22
wait_until 20 has_record "$cw" "$i_eni" REJECT "$b_ip" "$i_ip" 22 ||
	{ cat "$cw" 2>/dev/null; tail -20 "$work/daemon.log"; fail "no REJECT record for $i_eni"; }
echo "ok: REJECT record: $(grep -m1 REJECT "$cw")"
if grep -q ACCEPT "$cw"; then fail "a REJECT flow log recorded ACCEPT"; fi
echo "ok: the REJECT flow log records no ACCEPT"

# 2. The rule authorized; an ALL flow log to S3 on the private ENI, and an
# ACCEPT one on the bastion's subnet.
ec2 authorize-security-group-ingress --group-id "$isg" --protocol tcp --port 22 --source-group "$bsg" >/dev/null
fl_all=$(ec2 create-flow-logs --resource-type NetworkInterface --resource-ids "$i_eni" \
	--traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::flow-bucket/test \
	--query 'FlowLogIds[0]')
fl_pub=$(ec2 create-flow-logs --resource-type Subnet --resource-ids "$pub" --traffic-type ACCEPT \
	--log-group-name vpc/public --deliver-logs-permission-arn "$ROLE" --query 'FlowLogIds[0]')
expect_ok "bastion -> internal:22 once the rule exists" tcp "$bastion" "$i_ip" 22
s3=$FL/s3/flow-bucket/test/AWSLogs/123456789012/vpcflowlogs/us-east-1
wait_until 20 has_record "$s3" "$i_eni" ACCEPT "$b_ip" "$i_ip" 22 ||
	{ find "$FL" -type f; fail "no ACCEPT record bastion -> internal"; }
echo "ok: S3 ACCEPT record bastion -> internal:22"
wait_until 20 has_record "$s3" "$i_eni" ACCEPT "$i_ip" "$b_ip" "" 22 ||
	fail "no ACCEPT record of the reply internal:22 -> bastion"
echo "ok: S3 ACCEPT record of the reply (srcport 22)"
obj=$(find "$s3" -type f -name '*.log' | head -1)
case "$obj" in
"$s3"/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/123456789012_vpcflowlogs_us-east-1_${fl_all}_[0-9]*T[0-9]*Z_[0-9a-f]*.log) ;;
*) fail "S3 object not named as AWS names it: $obj" ;;
esac
[ "$(head -1 "$obj")" = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status" ] ||
	fail "S3 object lacks the header line: $(head -1 "$obj")"
echo "ok: S3 object name and header line"
wait_until 20 has_record "$FL/cloudwatch/vpc/public/$b_eni-all" "$b_eni" ACCEPT "$b_ip" "$i_ip" 22 ||
	fail "no ACCEPT record for the bastion's ENI"
echo "ok: the bastion's ENI records its connection (cloud-watch-logs)"
[ ! -e "$FL/cloudwatch/vpc/rejects/$b_eni-all" ] || fail "a private-subnet flow log recorded the bastion"

# 3. Deleted flow logs write nothing more: new traffic (:22 accepted, :23
# refused by the internal group, which the deleted REJECT log would have
# recorded) that the public-subnet flow log does record adds nothing to
# theirs.
ec2 delete-flow-logs --flow-log-ids "$fl_rej" "$fl_all" >/dev/null
[ "$(ec2 describe-flow-logs --query 'length(FlowLogs)')" = 1 ] || fail "describe after delete"
before=$(cat "$cw"; records "$s3")
tcp "$bastion" "$i_ip" 22 || fail "bastion -> internal:22 after the delete"
tcp "$bastion" "$i_ip" 23 && fail "internal:23 should be refused by its group"
wait_until 20 has_record "$FL/cloudwatch/vpc/public/$b_eni-all" "$b_eni" ACCEPT "$b_ip" "$i_ip" 23 ||
	fail "the control flow log did not record bastion -> internal:23"
[ "$(cat "$cw"; records "$s3")" = "$before" ] || fail "a deleted flow log wrote records"
echo "ok: deleted flow logs write nothing (the control one recorded the same traffic)"

# 4. A network ACL's deny: a custom ACL on the private subnet denies all;
# the REJECT is the private ENI's (its subnet's inbound list dropped it).
fl_acl=$(ec2 create-flow-logs --resource-type NetworkInterface --resource-ids "$i_eni" \
	--traffic-type REJECT --log-group-name acl --deliver-logs-permission-arn "$ROLE" \
	--query 'FlowLogIds[0]')
assoc=$(ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$priv" \
	--query "NetworkAcls[0].Associations[?SubnetId=='$priv'].NetworkAclAssociationId | [0]")
acl=$(ec2 create-network-acl --vpc-id "$vpc" --query NetworkAcl.NetworkAclId)
ec2 replace-network-acl-association --association-id "$assoc" --network-acl-id "$acl" >/dev/null
expect_denied "the custom ACL denies bastion -> internal:22" tcp "$bastion" "$i_ip" 22
wait_until 20 has_record "$FL/cloudwatch/acl/$i_eni-all" "$i_eni" REJECT "$b_ip" "$i_ip" 22 ||
	fail "no REJECT record for the ACL deny"
echo "ok: ACL deny recorded as REJECT for $i_eni"
ec2 delete-flow-logs --flow-log-ids "$fl_acl" "$fl_pub" >/dev/null
echo "all flow-log checks passed"
