#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The instance metadata service (spec §15, checklist 12): IMDSv2 tokens,
# the values an instance sees about itself, HttpTokens=required refusing a
# tokenless call, bad TTLs and X-Forwarded-For refused, a token of one
# instance useless on another, and no answer from outside the instance.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
vpc=$(ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # this test is about routing, not groups
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.1.2.0/24 --query Subnet.SubnetId)
printf 'hello from user data\n' >"$work/ud"
ami=ami-0de12b0000c0ffee1
a=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --instance-type t3.micro \
	--user-data "file://$work/ud" --query 'Instances[0].InstanceId')
b=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" \
	--metadata-options HttpTokens=required --query 'Instances[0].InstanceId')
a_ip=$(ec2 describe-instances --instance-ids "$a" --query 'Reservations[0].Instances[0].PrivateIpAddress')
a_mac=$(ec2 describe-instances --instance-ids "$a" --query 'Reservations[0].Instances[0].NetworkInterfaces[0].MacAddress')

MD=http://169.254.169.254/latest
tok() { lv_exec "$1" curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: ${2:-60}" "$MD/api/token"; }
get() { lv_exec "$1" curl -sf -H "X-aws-ec2-metadata-token: $2" "$MD/$3"; }
code() { lv_exec "$1" curl -s -o /dev/null -w '%{http_code}' "${@:2}"; }

wait_until 20 tok "$a" || fail "no token from the metadata service"
ta=$(tok "$a")
[ "$(get "$a" "$ta" meta-data/instance-id)" = "$a" ] || fail "instance-id"
[ "$(get "$a" "$ta" meta-data/local-ipv4)" = "$a_ip" ] || fail "local-ipv4"
[ "$(get "$a" "$ta" meta-data/mac)" = "$a_mac" ] || fail "mac"
[ "$(get "$a" "$ta" meta-data/instance-type)" = t3.micro ] || fail "instance-type"
[ "$(get "$a" "$ta" meta-data/ami-id)" = $ami ] || fail "ami-id"
[ "$(get "$a" "$ta" meta-data/hostname)" = "ip-${a_ip//./-}.ec2.internal" ] || fail "hostname"
[ "$(get "$a" "$ta" meta-data/placement/availability-zone)" = \
	"$(ec2 describe-subnets --subnet-ids "$sn" --query 'Subnets[0].AvailabilityZone')" ] || fail "az"
[ "$(get "$a" "$ta" user-data)" = "hello from user data" ] || fail "user-data"
[ "$(get "$a" "$ta" "meta-data/network/interfaces/macs/$a_mac/vpc-id")" = "$vpc" ] || fail "vpc-id"
[ "$(lv_exec "$a" ip -br link show eth0 | awk '{print $3}')" = "$a_mac" ] || fail "eth0 has the ENI's MAC"
echo "ok: metadata values"
[ "$(code "$a" "$MD/meta-data/instance-id")" = 200 ] || fail "IMDSv1 allowed by default"
[ "$(code "$b" "$MD/meta-data/instance-id")" = 401 ] || fail "HttpTokens=required refuses a tokenless GET"
tb=$(tok "$b")
[ "$(get "$b" "$tb" meta-data/instance-id)" = "$b" ] || fail "a token works on b"
[ "$(code "$b" -H "X-aws-ec2-metadata-token: $ta" "$MD/meta-data/instance-id")" = 401 ] ||
	fail "a's token must not work on b"
for ttl in 0 21601 abc; do
	[ "$(code "$a" -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: $ttl" "$MD/api/token")" = 400 ] ||
		fail "TTL $ttl must be refused"
done
[ "$(code "$a" -X PUT "$MD/api/token")" = 400 ] || fail "PUT without TTL"
[ "$(code "$a" -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" -H "X-Forwarded-For: 1.2.3.4" \
	"$MD/api/token")" = 403 ] || fail "X-Forwarded-For refused"
echo "ok: tokens and refusals"
# Only from inside an instance: the host and the internet get nothing.
expect_denied "the host cannot reach the metadata service" \
	curl -sf --max-time 2 --interface lo "$MD/meta-data/instance-id"
expect_denied "an internet host cannot reach it" \
	lv_internet --from 203.0.113.9 -- curl -sf --max-time 2 "$MD/meta-data/instance-id"
echo "PASS"
