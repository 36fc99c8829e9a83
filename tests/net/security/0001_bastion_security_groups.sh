#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Security groups on real packets, through the aws CLI (spec §7): the seed's
# bastion pattern — SSH to the bastion only from "My IP" (192.0.2.1, this
# host), the internal instance only from members of the bastion's group —
# then the default group, egress rules, statefulness, ICMP types, and that a
# change holds when the call returns: new connections see it, a tracked
# connection survives a revoke, an untracked one (SG-21) stops at once.
# A call that changes rules alone is applied as element edits of the
# router's table (executor.c rules_pass; -v logs each pass): every probe
# after such a call here checks that pass, and the end checks it ran.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

LV_SERVE_ARGS=-v daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.6.0.0/16 --query Vpc.VpcId)
pub=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.6.0.0/24 --query Subnet.SubnetId)
priv=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.6.1.0/24 --query Subnet.SubnetId)
ec2 modify-subnet-attribute --subnet-id "$pub" --map-public-ip-on-launch
igw=$(ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rt=$(ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
ec2 create-route --route-table-id "$rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 associate-route-table --route-table-id "$rt" --subnet-id "$pub" >/dev/null

# The seed's groups, in the aws CLI's flat form.
bsg=$(ec2 create-security-group --vpc-id "$vpc" --group-name "Bastion Security Group" \
	--description "SSH from my IP" --query GroupId)
ec2 authorize-security-group-ingress --group-id "$bsg" --protocol tcp --port 22 --cidr 192.0.2.1/32 >/dev/null
isg=$(ec2 create-security-group --vpc-id "$vpc" --group-name "Internal Instance" \
	--description "SSH from the bastion" --query GroupId)
ec2 authorize-security-group-ingress --group-id "$isg" --protocol tcp --port 22 --source-group "$bsg" >/dev/null

ec2 create-key-pair --key-name BastionKeyPair --query KeyMaterial >"$work/key"
chmod 600 "$work/key"
run() { # SUBNET [GROUP]
	ec2 run-instances --image-id $ami --count 1 --subnet-id "$1" --key-name BastionKeyPair \
		${2:+--security-group-ids "$2"} --query 'Instances[0].InstanceId'
}
bastion=$(run "$pub" "$bsg")
internal=$(run "$priv" "$isg")
outsider=$(run "$priv")   # the same subnet as internal, default group
pubother=$(run "$pub")    # the bastion's subnet, default group
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
b_pub=$(q "$bastion" PublicIpAddress)
b_ip=$(q "$bastion" PrivateIpAddress)
i_ip=$(q "$internal" PrivateIpAddress)
o_ip=$(q "$outsider" PrivateIpAddress)
p_ip=$(q "$pubother" PrivateIpAddress)
in_pool "$b_pub" || fail "public IP $b_pub is not in the emulated pool"
for x in "$bastion" "$internal" "$outsider" "$pubother"; do
	wait_until 30 lv_exec "$x" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $x"
done

tcp() { # FROM-INSTANCE IP PORT: one connection attempt
	lv_exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3"
}
host_tcp() { host_probe "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2"; }
inet_tcp() { lv_internet --from 203.0.113.7 -- timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2"; }

# The bastion: SSH from My IP only.
SSH=(ssh -i "$work/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR)
expect_ok "ssh to the bastion from My IP (192.0.2.1)" \
	bash -c "[ \"\$(${SSH[*]} ec2-user@$b_pub hostname)\" = ip-${b_ip//./-} ]"
lv_internet --from 203.0.113.7 -- true
expect_denied "the bastion refuses SSH from another internet address" inet_tcp "$b_pub" 22
expect_denied "the bastion admits nothing else from My IP (tcp/80)" host_tcp "$b_pub" 80
expect_denied "... nor ping" host_probe "$b_pub" ping -c1 -W1 "$b_pub"

# The internal instance: SSH only from members of the bastion's group.
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/key"
printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
expect_ok "ssh -J through the bastion to the internal instance" \
	bash -c "[ \"\$(ssh -F $work/ssh_config -J ec2-user@$b_pub ec2-user@$i_ip hostname)\" = ip-${i_ip//./-} ]"
expect_ok "bastion -> internal:22" tcp "$bastion" "$i_ip" 22
expect_denied "an instance of the same subnet outside the group is refused" tcp "$outsider" "$i_ip" 22
expect_denied "an instance of the bastion's subnet outside the group is refused" tcp "$pubother" "$i_ip" 22
expect_denied "the internal group admits nothing but ssh from the bastion" lv_exec "$bastion" ping -c1 -W1 "$i_ip"

# The default group: members reach each other (SG-3), others do not.
expect_ok "default group members talk across subnets" lv_exec "$outsider" ping -c1 -W2 "$p_ip"
expect_ok "... and back" tcp "$pubother" "$o_ip" 22
expect_denied "a non-member cannot reach a default-group instance" lv_exec "$internal" ping -c1 -W1 "$o_ip"

# A group reference follows membership: putting the outsider into the
# bastion's group lets it in, taking it out again shuts it out.
ec2 modify-instance-attribute --instance-id "$outsider" --groups "$bsg" >/dev/null
expect_ok "joining the bastion group opens the internal instance" tcp "$outsider" "$i_ip" 22
ec2 modify-instance-attribute --instance-id "$outsider" --groups "$(default_sg "$vpc")" >/dev/null
expect_denied "leaving it closes it again" tcp "$outsider" "$i_ip" 22

# ICMP by type: echo requests from the public subnet, nothing else.
ec2 authorize-security-group-ingress --group-id "$isg" \
	--ip-permissions 'IpProtocol=icmp,FromPort=13,ToPort=-1,IpRanges=[{CidrIp=10.6.0.0/24}]' >/dev/null
expect_denied "icmp type 13 allowed: echo still refused" lv_exec "$pubother" ping -c1 -W1 "$i_ip"
ec2 authorize-security-group-ingress --group-id "$isg" \
	--ip-permissions 'IpProtocol=icmp,FromPort=8,ToPort=-1,IpRanges=[{CidrIp=10.6.0.0/24}]' >/dev/null
expect_ok "icmp echo allowed from the public subnet" lv_exec "$pubother" ping -c1 -W2 "$i_ip"
expect_denied "... but not from the private subnet" lv_exec "$outsider" ping -c1 -W1 "$i_ip"

# ICMP errors of an allowed flow pass as related (SG-19), though no rule
# admits ICMP from there: UDP to a closed port comes back "refused".
ec2 authorize-security-group-ingress --group-id "$isg" --protocol udp --port 5353 --cidr 10.6.0.0/24 >/dev/null
udp_probe() { # FROM IP PORT: prints refused or timeout
	lv_exec "$1" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2); s.connect((sys.argv[1], int(sys.argv[2])))
s.send(b"x")
try:
    s.recv(1); print("answer")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")' "$2" "$3"
}
[ "$(udp_probe "$pubother" "$i_ip" 5353)" = refused ] ||
	fail "the port-unreachable of an allowed UDP flow must come back (related)"
echo "ok: the ICMP error of an allowed flow passes as related"
[ "$(udp_probe "$pubother" "$i_ip" 5354)" = timeout ] || fail "a UDP port no rule allows must be dropped silently"
echo "ok (denied): UDP to a port no rule allows is dropped, no error comes back"

# Egress rules: without the all-outbound rule the bastion cannot open
# anything, yet replies to allowed inbound SSH still flow (stateful).
mkdir -p "$work/www" && echo hello >"$work/www/index.html"
lv_internet --from 203.0.113.10 -- true
"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from 203.0.113.10 -- \
	/usr/bin/python3 -m http.server 8080 --bind 203.0.113.10 --directory "$work/www" 2>/dev/null &
push_teardown "kill $!"
wait_until 10 lv_internet --from 203.0.113.10 -- bash -c "exec 3<>/dev/tcp/203.0.113.10/8080"
expect_ok "bastion reaches the internet with all outbound allowed" \
	lv_exec "$bastion" curl -sf --max-time 3 http://203.0.113.10:8080/
ec2 revoke-security-group-egress --group-id "$bsg" \
	--ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' >/dev/null
expect_denied "no egress rule: the bastion cannot reach the internet" \
	lv_exec "$bastion" curl -sf --max-time 2 http://203.0.113.10:8080/
expect_denied "... nor the internal instance" tcp "$bastion" "$i_ip" 22
expect_ok "replies to inbound ssh still pass (stateful)" \
	bash -c "[ \"\$(${SSH[*]} ec2-user@$b_pub hostname)\" = ip-${b_ip//./-} ]"
ec2 authorize-security-group-egress --group-id "$bsg" \
	--ip-permissions "IpProtocol=tcp,FromPort=22,ToPort=22,UserIdGroupPairs=[{GroupId=$isg}]" >/dev/null
expect_ok "egress tcp/22 to the internal group: the bastion reaches it again" tcp "$bastion" "$i_ip" 22
expect_denied "... and still nothing else" lv_exec "$bastion" curl -sf --max-time 2 http://203.0.113.10:8080/

# A change holds when the call returns.  A tracked connection (ssh from one
# address, SG-21) survives the revoke; a new one is refused at once.
"${SSH[@]}" ec2-user@"$b_pub" 'while sleep 0.2; do echo tick; done' >"$work/ticks" 2>/dev/null &
push_teardown "kill $!"
wait_until 10 grep -q tick "$work/ticks" || fail "ssh stream did not start"
ec2 revoke-security-group-ingress --group-id "$bsg" --protocol tcp --port 22 --cidr 192.0.2.1/32 >/dev/null
expect_denied "revoked: a new ssh from My IP is refused at once" host_tcp "$b_pub" 22
n1=$(wc -l <"$work/ticks")
sleep 1.5
n2=$(wc -l <"$work/ticks")
[ "$n2" -gt "$n1" ] || fail "a tracked connection must survive the revoke ($n1 -> $n2 lines)"
echo "ok: the established (tracked) ssh stream survives the revoke ($n1 -> $n2 lines)"
ec2 authorize-security-group-ingress --group-id "$bsg" --protocol tcp --port 22 --cidr 203.0.113.7/32 >/dev/null
expect_ok "authorized: the other internet address gets in at once" inet_tcp "$b_pub" 22

# Untracked (SG-21): inbound tcp/7000 from anywhere plus all outbound.  Each
# packet is judged alone, so a revoke stops the flow at once (SG-23).
wsg=$(ec2 create-security-group --vpc-id "$vpc" --group-name web --description "open port" --query GroupId)
ec2 authorize-security-group-ingress --group-id "$wsg" --protocol tcp --port 7000 --cidr 0.0.0.0/0 >/dev/null
web=$(run "$pub" "$wsg")
w_pub=$(q "$web" PublicIpAddress)
wait_until 30 lv_exec "$web" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $web"
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$web" -- timeout 60 nc -l -p 7000 >"$work/got" &
push_teardown "kill $!"
wait_until 10 lv_exec "$web" bash -c "ss -tln | grep -q :7000"
"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from 203.0.113.7 -- \
	bash -c "while sleep 0.1; do echo line; done | timeout 60 nc $w_pub 7000" &
push_teardown "kill $!"
wait_until 10 grep -q line "$work/got" || fail "untracked stream did not start"
ec2 revoke-security-group-ingress --group-id "$wsg" --protocol tcp --port 7000 --cidr 0.0.0.0/0 >/dev/null
sleep 0.5
n1=$(wc -l <"$work/got")
sleep 1.5
n2=$(wc -l <"$work/got")
[ "$n2" -eq "$n1" ] || fail "an untracked flow must stop when its rule goes ($n1 -> $n2 lines)"
echo "ok: the untracked flow stopped at the revoke"

# The rule-only calls above went the short way, and none fell back.
edits=$(grep -c 'op=pass kind=rules' "$work/daemon.log" || true)
[ "$edits" -ge 5 ] || fail "rule changes must be applied as element edits (saw $edits such passes)"
! grep -q 'op=nft_edit' "$work/daemon.log" || fail "an element edit failed: $(grep op=nft_edit "$work/daemon.log")"
echo "ok: $edits rule-only calls were applied as element edits"
echo "PASS"
