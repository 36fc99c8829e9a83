#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Group-reference spoofing (security checklist 34).  A rule that admits a
# group admits by source address, and an ENI with its source/destination
# check off may send from any address: from it, a UDP datagram carrying a
# group member's address reaches a service that admits only that group.
# The security checklist records this outcome as AWS-like.  `localvpc audit`
# names the ENI (GROUP_SPOOFABLE).  Controls: the spoofer's own address is
# refused, the member itself is admitted, and with the check on the forged
# datagram is dropped.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1

vpc=$(ec2 create-vpc --cidr-block 10.9.0.0/16 --query Vpc.VpcId)
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.9.0.0/24 --query Subnet.SubnetId)
sg() { ec2 create-security-group --vpc-id "$vpc" --group-name "$1" --description "$1" --query GroupId; }
member_sg=$(sg member)
service_sg=$(sg service)
spoofer_sg=$(sg spoofer)
ec2 authorize-security-group-ingress --group-id "$service_sg" \
	--ip-permissions "IpProtocol=udp,FromPort=9000,ToPort=9000,UserIdGroupPairs=[{GroupId=$member_sg}]" >/dev/null
run() { ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --security-group-ids "$1" \
	--query 'Instances[0].InstanceId'; }
m=$(run "$member_sg")
svc=$(run "$service_sg")
x=$(run "$spoofer_sg")
ip_of() { ec2 describe-instances --instance-ids "$1" --query 'Reservations[0].Instances[0].PrivateIpAddress'; }
m_ip=$(ip_of "$m")
svc_ip=$(ip_of "$svc")
x_ip=$(ip_of "$x")
for i in "$m" "$svc" "$x"; do
	wait_until 30 lv_exec "$i" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $i"
done

# A UDP datagram with a chosen source (tests/lib/spoof_udp.py).
for i in "$m" "$x"; do
	lv_exec "$i" bash -c "mkdir -p /var/tmp/t && cat > /var/tmp/t/spoof.py" <"$(dirname "$0")/../../lib/spoof_udp.py"
done
got=$work/got
"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$svc" -- timeout 60 nc -u -l -k -p 9000 >"$got" &
push_teardown "kill $!"
wait_until 5 lv_exec "$svc" bash -c "ss -uln | grep -q :9000" || fail "listener"
send() { lv_exec "$1" python3 /var/tmp/t/spoof.py "$2" "$svc_ip" 9000 "$3"; }
arrives() { wait_until 5 grep -q "$1" "$got"; }
not_arrives() { sleep 1; ! grep -q "$1" "$got"; }

send "$m" "$m_ip" from-member
arrives from-member || fail "the member's own datagram must be admitted"
echo "ok: the member is admitted by the group reference"
send "$x" "$x_ip" from-spoofer
not_arrives from-spoofer || fail "the spoofer's own address must be refused"
echo "ok (denied): the spoofer from its own address"
send "$x" "$m_ip" forged-check-on
not_arrives forged-check-on || fail "a forged source passed the source/destination check"
echo "ok (denied): the member's address forged while the check is on"
audit_codes() { # "CODE:resource …" of `localvpc audit` (exit 1 means findings)
	"$LOCALVPC_BIN" audit --state-dir "$LV_STATE" --json >"$work/audit.json" || [ $? -eq 1 ] ||
		fail "audit failed"
	/usr/bin/python3 -c 'import json, sys; print(" ".join(f["code"] + ":" + f["resource_id"] for f in json.load(open(sys.argv[1]))["findings"]))' "$work/audit.json"
}
case " $(audit_codes) " in *" GROUP_SPOOFABLE:"*) fail "GROUP_SPOOFABLE with every check on" ;; esac
echo "ok: no GROUP_SPOOFABLE while every check is on"

ec2 modify-instance-attribute --instance-id "$x" --no-source-dest-check
send "$x" "$m_ip" forged-check-off
arrives forged-check-off || fail "with the check off the forged member address should pass (AWS-like)"
echo "ok: with the spoofer's check off, the member's address passes the group reference"
case " $(audit_codes) " in *" GROUP_SPOOFABLE:$x "*) ;; *) fail "audit: no GROUP_SPOOFABLE for $x: $(audit_codes)" ;; esac
echo "ok: the audit reports $x as GROUP_SPOOFABLE"
echo "PASS"
