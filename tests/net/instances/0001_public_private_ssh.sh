#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real-network issue end to end, through the aws CLI alone: a VPC with a
# public and a private subnet, an internet gateway and route tables; one
# instance in each; SSH from the host to the public one at its public IP with
# the key from CreateKeyPair and on to the private one (ProxyCommand and -J);
# user data ran; the private instance has no way out; route changes take
# effect at once; TCP, UDP and ICMP between the instances.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")

vpc=$(ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # this test is about routing, not groups
pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.0.0/24 --query Subnet.SubnetId)
priv=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId)
ec2 modify-subnet-attribute --subnet-id "$pub" --map-public-ip-on-launch
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
pubrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$pubrt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$pubrt" --subnet-id "$pub" >/dev/null
privrt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 associate-route-table --route-table-id "$privrt" --subnet-id "$priv" >/dev/null

ec2 create-key-pair --key-name netkey --query KeyMaterial >"$work/key"
chmod 600 "$work/key"
printf '#!/bin/sh\necho user-data-ran > /var/tmp/ud\n' >"$work/ud.sh"
ami=ami-0de12b0000c0ffee1
a=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$pub" --key-name netkey \
	--user-data "file://$work/ud.sh" --query 'Instances[0].InstanceId')
b=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$priv" --key-name netkey \
	--query 'Instances[0].InstanceId')
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_pub=$(q "$a" PublicIpAddress)
a_ip=$(q "$a" PrivateIpAddress)
b_ip=$(q "$b" PrivateIpAddress)
[ "$(q "$b" PublicIpAddress)" = "None" ] || fail "the private instance got a public IP"
in_pool "$a_pub" || fail "public IP $a_pub is not in the emulated pool"
echo "public instance $a $a_ip/$a_pub, private instance $b $b_ip"

SSH=(ssh -i "$work/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR)
sshd_up() { host_probe "$a_pub" bash -c "exec 3<>/dev/tcp/$a_pub/22 && head -c 7 <&3 | grep -q SSH-2.0"; }
wait_until 30 sshd_up || fail "sshd of $a did not answer at $a_pub:22"

expect_ok "ssh to the public instance at its public IP" \
	bash -c "[ \"\$(${SSH[*]} ec2-user@$a_pub hostname)\" = ip-${a_ip//./-} ]"
wait_until 30 lv_exec "$b" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $b"
expect_ok "ssh through the bastion with ProxyCommand" \
	bash -c "[ \"\$(${SSH[*]} -o ProxyCommand='ssh -i $work/key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -W %h:%p ec2-user@$a_pub' ec2-user@$b_ip hostname)\" = ip-${b_ip//./-} ]"
# ProxyJump starts its own ssh for the jump, which takes no -i: the key
# comes from an agent, as the seed article does it (ssh-add, then jump).
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/key"
printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
JUMP=(ssh -F "$work/ssh_config")
expect_ok "ssh -J through the bastion with the key in ssh-agent" \
	bash -c "[ \"\$(${JUMP[*]} -J ec2-user@$a_pub ec2-user@$b_ip hostname)\" = ip-${b_ip//./-} ]"
expect_ok "user data ran as root at first boot" \
	bash -c "[ \"\$('$LOCALVPC_BIN' exec --state-dir '$LV_STATE' $a -- cat /var/tmp/ud)\" = user-data-ran ]"
ec2 get-console-output --instance-id "$a" --query Output | grep -q "running user data" ||
	fail "GetConsoleOutput shows the boot and the user data"
echo "ok: GetConsoleOutput shows the user data running"

# Instance to instance, across subnets: ICMP, TCP, UDP.
expect_ok "ping public -> private" lv_exec "$a" ping -c1 -W2 "$b_ip"
expect_ok "ping private -> public" lv_exec "$b" ping -c1 -W2 "$a_ip"
expect_ok "tcp public -> private:22" lv_exec "$a" bash -c "exec 3<>/dev/tcp/$b_ip/22"
bg "$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$b" -- timeout 20 nc -u -l -p 9999 -W 1 >"$work/udp.out"
wait_until 5 lv_exec "$b" bash -c "ss -uln | grep -q :9999"
lv_exec "$a" bash -c "echo udp-hello | nc -u -w1 $b_ip 9999" || true
wait_until 5 grep -q udp-hello "$work/udp.out" || fail "udp public -> private"
echo "ok: udp public -> private"

# The emulated internet: a web server at 203.0.113.10.
mkdir -p "$work/www" && echo hello-internet >"$work/www/index.html"
lv_internet --from 203.0.113.10 -- true # builds the host before two calls race for it
"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from 203.0.113.10 -- \
	/usr/bin/python3 -m http.server 8080 --bind 203.0.113.10 --directory "$work/www" \
	2>"$work/www.log" &
push_teardown "kill $!"
wait_until 10 lv_internet --from 203.0.113.10 -- bash -c "exec 3<>/dev/tcp/203.0.113.10/8080"
expect_ok "public instance reaches an internet host" \
	lv_exec "$a" curl -sf --max-time 5 http://203.0.113.10:8080/
expect_ok "the internet host sees the public IP as the source" grep -q "^$a_pub " "$work/www.log"
grep -q "^$a_ip " "$work/www.log" && fail "the private address leaked to the internet"
expect_denied "private instance has no way out" \
	lv_exec "$b" curl -sf --max-time 3 http://203.0.113.10:8080/
expect_ok "an internet host reaches the public instance" \
	lv_internet --from 203.0.113.10 -- bash -c "exec 3<>/dev/tcp/$a_pub/22"

# Route changes take effect when the call returns.
ec2 delete-route --route-table-id "$pubrt" --destination-cidr-block 0.0.0.0/0
expect_denied "no default route: the public instance is cut off" \
	lv_exec "$a" curl -sf --max-time 3 http://203.0.113.10:8080/
ec2 create-route --route-table-id "$pubrt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
expect_ok "route restored" lv_exec "$a" curl -sf --max-time 5 http://203.0.113.10:8080/
# Moving the private subnet onto the public table gives it a path — but no
# public IP, so the gateway still drops it (IGW-8).
ec2 replace-route-table-association --association-id \
	"$(ec2 describe-route-tables --route-table-ids "$privrt" --query 'RouteTables[0].Associations[0].RouteTableAssociationId')" \
	--route-table-id "$pubrt" >/dev/null
expect_denied "a private source without a public IP is dropped at the gateway" \
	lv_exec "$b" curl -sf --max-time 3 http://203.0.113.10:8080/
echo "PASS"
