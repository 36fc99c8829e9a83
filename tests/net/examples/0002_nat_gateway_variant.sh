#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The second seed's NAT gateway variant: walkthrough.sh, then
# examples/bastion-nat/nat-gateway.sh (twice: idempotent).  The internal
# instance fetches from an internet web server, which sees the gateway's
# Elastic IP (not the NAT instance's address); the NAT instance is stopped;
# nothing on the internet reaches the internal instance.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ex=$(dirname "$0")/../../../examples/bastion-nat
run() { ENDPOINT=$LV_ENDPOINT KEYDIR=$work/keys AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null bash "$ex/$1"; }
run walkthrough.sh >"$work/walk.log" 2>&1 || { cat "$work/walk.log"; fail "the walkthrough failed"; }
id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
internal=$(id_of "Internal Instance") nat=$(id_of "NAT Instance")
nat_pub=$(ec2 describe-instances --instance-ids "$nat" --query 'Reservations[0].Instances[0].PublicIpAddress')
internal_ip=$(ec2 describe-instances --instance-ids "$internal" --query 'Reservations[0].Instances[0].PrivateIpAddress')
run nat-gateway.sh >"$work/gw1.log" 2>&1 || { cat "$work/gw1.log"; fail "nat-gateway.sh failed"; }
run nat-gateway.sh >"$work/gw2.log" 2>&1 || { cat "$work/gw2.log"; fail "the second nat-gateway.sh run failed"; }
[ "$(ec2 describe-nat-gateways --query 'length(NatGateways)')" = 1 ] || fail "the second run made another gateway"
[ "$(ec2 describe-addresses --query 'length(Addresses)')" = 1 ] || fail "the second run allocated another EIP"
eip=$(ec2 describe-nat-gateways --query 'NatGateways[0].NatGatewayAddresses[0].PublicIp')
gw=$(ec2 describe-nat-gateways --query 'NatGateways[0].NatGatewayId')
in_pool "$eip" || fail "the EIP $eip is not in the pool"
via=$(ec2 describe-route-tables --filters 'Name=tag:Name,Values=Private Route Table' \
	--query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].NatGatewayId")
[ "$via" = "$gw" ] || fail "the private 0.0.0.0/0 goes to $via, not $gw"
st=$(ec2 describe-instances --instance-ids "$nat" --query 'Reservations[0].Instances[0].State.Name')
[ "$st" = stopped ] || fail "the NAT instance is $st, not stopped"
echo "ok: 0.0.0.0/0 -> $gw ($eip), NAT instance stopped, idempotent"

sshd_wait "$internal"
web_server 203.0.113.20 8080 "$work/www.log"
got=$(lv_exec "$internal" curl -sf --max-time 5 http://203.0.113.20:8080/) ||
	fail "the internal instance reaches the internet through the NAT gateway"
[ "$got" = hello-internet ] || fail "unexpected answer: $got"
grep -q "^$eip " "$work/www.log" || fail "the web server should see the EIP $eip: $(cat "$work/www.log")"
grep -q "^$nat_pub " "$work/www.log" && fail "the stopped NAT instance's address $nat_pub was seen"
echo "ok: the web server saw the gateway's Elastic IP $eip"
expect_denied "the internet cannot reach the internal instance's private address" \
	lv_internet --from 203.0.113.20 -- timeout 3 bash -c "exec 3<>/dev/tcp/$internal_ip/22"
expect_denied "... nor open a connection to the gateway's EIP" \
	lv_internet --from 203.0.113.20 -- timeout 3 bash -c "exec 3<>/dev/tcp/$eip/22"
# Back to the stopped NAT instance: the way out is gone (the gateway did the work).
ec2 replace-route --route-table-id "$(ec2 describe-route-tables --filters 'Name=tag:Name,Values=Private Route Table' \
	--query 'RouteTables[0].RouteTableId')" --destination-cidr-block 0.0.0.0/0 --instance-id "$nat"
expect_denied "routed to the stopped NAT instance, the internal instance has no way out" \
	lv_exec "$internal" curl -sf --max-time 3 -o /dev/null http://203.0.113.20:8080/
echo "PASS"
