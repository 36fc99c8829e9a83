#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bastion under scan (security checklist 35): one internet address
# (203.0.113.50, admitted to port 22 by the Bastion Security Group for the
# test, as a group open to the world would) opens TCP connections to the
# bastion's sshd and holds every one it gets, never authenticating, until
# it holds 100 (or has tried 5,000 times).  Meanwhile the admin (My IP)
# logs in.
#   - Hardened Bastion (examples/bastion-nat/hardened-bastion.sh:
#     MaxStartups 10:30:60, PerSourceMaxStartups 5): the scanner holds only
#     5 slots, every further attempt gets "Exceeded MaxStartups", and the
#     admin logs in and jumps to the internal instance.  With that one
#     line removed (root on the bastion, sshd restarted) the scanner holds
#     all 60 slots and the admin is turned away; with it back, the admin
#     gets in under the same scan.
#   - The walkthrough's plain Bastion (the image's stock sshd: MaxStartups
#     10:30:100, no per-source limit), the control: the scanner holds 100
#     and the admin is turned away with "Exceeded MaxStartups"; once the
#     scan stops, the admin is in again.
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
run hardened-bastion.sh >"$work/hb.log" 2>&1 || { cat "$work/hb.log"; fail "hardened-bastion.sh failed"; }

id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
hb=$(id_of "Hardened Bastion") plain=$(id_of Bastion) internal=$(id_of "Internal Instance")
hb_ip=$(q "$hb" PublicIpAddress) plain_ip=$(q "$plain" PublicIpAddress) i_ip=$(q "$internal" PrivateIpAddress)
in_pool "$hb_ip" && in_pool "$plain_ip" || fail "the bastions' addresses are not in the pool"
console() { ec2 get-console-output --instance-id "$1" --query Output; }
hardened() { console "$hb" >"$work/hb.console" && grep -q 'bastion hardening: done' "$work/hb.console" &&
	grep -q 'Received SIGHUP' "$work/hb.console"; }
wait_until 60 hardened || { console "$hb"; fail "the hardening user data did not finish"; }
sshd_wait "$hb" "$plain" "$internal"

scanner=203.0.113.50
ec2 authorize-security-group-ingress --group-id "$(ec2 describe-security-groups \
	--filters 'Name=group-name,Values=Bastion Security Group' --query 'SecurityGroups[0].GroupId')" \
	--protocol tcp --port 22 --cidr "$scanner/32" >/dev/null

# The limits sshd applies to a connection from the scanner.
limits() { # INSTANCE: "maxstartups X persourcemaxstartups Y"
	lv_exec "$1" /usr/sbin/sshd -T -C "user=ec2-user,addr=$scanner,host=scan,laddr=$(q "$1" PrivateIpAddress),lport=22" |
		grep -iE '^(maxstartups|persourcemaxstartups) ' | sort | tr '\n' ' '
}
got=$(limits "$hb")
[ "$got" = "maxstartups 10:30:60 persourcemaxstartups 5 " ] || fail "hardened bastion's sshd -T: $got"
got=$(limits "$plain")
[ "$got" = "maxstartups 10:30:100 persourcemaxstartups none " ] || fail "plain bastion's sshd -T: $got"
echo "ok: sshd -T: hardened MaxStartups 10:30:60 + PerSourceMaxStartups 5; plain 10:30:100, no per-source limit"

# The scanner: prints "held H dropped D silent S attempts A" once it holds
# WANT connections (an SSH banner read, nothing sent back) or has made CAP
# attempts (a drop: sshd's "Exceeded MaxStartups" line, or the connection
# closed or reset before a banner); then holds them until a line or EOF on
# stdin.
cat >"$work/scan.py" <<'EOP'
import socket, sys
target, want, cap = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held, dropped, silent, attempts = [], 0, 0, 0
while len(held) < want and attempts < cap:
    attempts += 1
    s = socket.create_connection((target, 22), timeout=10)
    try:
        line = s.recv(256)
    except socket.timeout:
        silent += 1
        held.append(s)
        continue
    except ConnectionResetError:
        line = b""
    if line.startswith(b"SSH-"):
        held.append(s)
    else:
        dropped += 1
        s.close()
print(f"held {len(held)} dropped {dropped} silent {silent} attempts {attempts}", flush=True)
sys.stdin.readline()
EOP
scan_fifo=$work/scan.fifo
mkfifo "$scan_fifo"
exec 8<>"$scan_fifo"
# scan IP [WANT]: starts the scanner at IP (100 connections wanted unless
# WANT); its report in SCAN_REPORT, its pid in SCAN_PID.
scan() {
	: >"$work/scan.out"
	# Not lv_internet: a function run with & is a subshell, and its pid
	# is not the scanner's; localvpc execs the command, keeping its pid.
	"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from "$scanner" -- \
		/usr/bin/python3 "$work/scan.py" "$1" "${2:-100}" 5000 <&8 >"$work/scan.out" 2>&1 &
	SCAN_PID=$!
	audit_pid "$SCAN_PID"
	push_teardown "kill $SCAN_PID"
	wait_until 300 grep -q '^held ' "$work/scan.out" || { cat "$work/scan.out"; fail "the scan of $1 did not finish"; }
	SCAN_REPORT=$(cat "$work/scan.out")
	kill -0 "$SCAN_PID" 2>/dev/null || { echo "$SCAN_REPORT"; fail "the scanner died"; }
}
unscan() {
	echo stop >&8
	wait "$SCAN_PID" || fail "the scanner failed: $(cat "$work/scan.out")"
}

printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem" "$work/keys/NatKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
wait_until 30 "${SSH[@]}" "ec2-user@$hb_ip" true || fail "ssh to the hardened bastion before the scan"
wait_until 30 "${SSH[@]}" "ec2-user@$plain_ip" true || fail "ssh to the plain bastion before the scan"

# 1. The hardened bastion: one address gets 5 slots, the admin still gets in.
scan "$hb_ip"
case $SCAN_REPORT in "held 5 dropped 4995 silent 0 attempts 5000") ;; *) fail "hardened bastion: $SCAN_REPORT" ;; esac
echo "ok: the scanner ($scanner) holds 5 unauthenticated connections to the hardened bastion; 4995 more were dropped"
got=$("${SSH[@]}" "ec2-user@$hb_ip" hostname) || fail "the admin could not log into the hardened bastion under the scan"
hb_priv=$(q "$hb" PrivateIpAddress)
[ "$got" = "ip-${hb_priv//./-}" ] || fail "landed on $got"
got=$("${SSH[@]}" -J "ec2-user@$hb_ip" "ec2-user@$i_ip" hostname) || fail "ssh -J through the hardened bastion under the scan"
[ "$got" = "ip-${i_ip//./-}" ] || fail "the jump landed on $got"
echo "ok: under the scan the admin logs into the hardened bastion and jumps to $i_ip"
unscan
console "$hb" >"$work/hb.console"
grep -q "drop connection #[0-9]* from \[$scanner\]" "$work/hb.console" || fail "the hardened bastion does not log the drops (VERBOSE)"
echo "ok: the hardened bastion logs the dropped connections from $scanner"

# 2. The control for PerSourceMaxStartups alone: root on the hardened
# bastion removes that line and restarts sshd; the scanner fills all 60
# slots of MaxStartups 10:30:60 and the admin is turned away; with the line
# back, the admin gets in under the same scan.
per_source_is() { # INSTANCE VALUE
	[ "$(lv_exec "$1" /usr/sbin/sshd -T -C "user=ec2-user,addr=$scanner,host=scan,laddr=$hb_priv,lport=22" |
		grep -i '^persourcemaxstartups ')" = "persourcemaxstartups $2" ]
}
hups() { console "$hb" | grep -c 'Received SIGHUP' || true; }
more_hups() { [ "$(hups)" -gt "$1" ]; }
# hup VALUE: restarts the hardened bastion's sshd (SIGHUP: it closes its
# listener and re-executes itself) and waits until sshd -T shows VALUE and
# the new sshd listens.
hup() {
	local n
	n=$(hups)
	lv_exec "$hb" bash -c 'kill -HUP "$(cat /run/sshd.pid)"'
	wait_until 30 more_hups "$n" && per_source_is "$hb" "$1" && sshd_wait "$hb"
}
hbconf=/etc/ssh/sshd_config.d/00-bastion.conf
lv_exec "$hb" bash -c "cp $hbconf /root/00-bastion.conf && sed -i /^PerSourceMaxStartups/d $hbconf"
hup none || fail "sshd did not restart without PerSourceMaxStartups"
scan "$hb_ip" 60
case $SCAN_REPORT in "held 60 dropped "*" silent 0 attempts "*) ;; *) fail "hardened bastion without PerSourceMaxStartups: $SCAN_REPORT" ;; esac
out=$("${SSH[@]}" "ec2-user@$hb_ip" true 2>&1) && fail "the admin got in with all 60 slots held"
case $out in *"kex_exchange_identification: "*) ;; *) fail "the admin under the scan, no per-source limit: $out" ;; esac
echo "ok (denied): without PerSourceMaxStartups the scanner holds all 60 slots ($SCAN_REPORT) and the admin is turned away"
unscan
lv_exec "$hb" cp /root/00-bastion.conf "$hbconf"
hup 5 || fail "sshd did not restart with PerSourceMaxStartups 5"
scan "$hb_ip"
case $SCAN_REPORT in "held 5 dropped 4995 silent 0 attempts 5000") ;; *) fail "hardened bastion, line back: $SCAN_REPORT" ;; esac
expect_ok "with PerSourceMaxStartups 5 back, the admin logs in under the same scan" "${SSH[@]}" "ec2-user@$hb_ip" true
unscan

# 3. The control: the plain bastion's stock sshd lets the one address lock the admin out.
scan "$plain_ip"
case $SCAN_REPORT in "held 100 dropped "*" silent 0 attempts "*) ;; *) fail "plain bastion: $SCAN_REPORT" ;; esac
echo "ok: the scanner holds 100 unauthenticated connections to the plain bastion ($SCAN_REPORT)"
out=$("${SSH[@]}" -o LogLevel=INFO "ec2-user@$plain_ip" true 2>&1) && fail "the admin got in under the scan: the scan does not bite"
# sshd closes the connection before its banner ("Exceeded MaxStartups" is
# written best-effort; the client may see only the close).
case $out in *"kex_exchange_identification: "*) ;; *) fail "the admin under the scan of the plain bastion: $out" ;; esac
echo "ok (denied): under the scan the plain bastion closes the admin's connection before its banner (${out%%$'\n'*})"
console "$plain" >"$work/plain.console"
grep -q "beginning MaxStartups throttling" "$work/plain.console" || fail "the plain bastion logs no throttling"
unscan
wait_until 30 "${SSH[@]}" "ec2-user@$plain_ip" true || fail "the admin could not log in once the scan stopped"
echo "ok: once the scan stops the admin logs into the plain bastion again"
echo "PASS"
