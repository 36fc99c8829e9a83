#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Session Manager without an inbound port (issue 7): a private subnet only,
# no internet gateway, an instance with no public IP in a group with no
# ingress rule at all — nothing reaches its sshd from the VPC — and yet
# `localvpc session` gives a real terminal to a login shell as ec2-user,
# records it (typescript + timing + record, 0600, written as it runs: a
# killed session keeps its transcript), lists, replays and verifies it
# (an edit is detected); a piped session works too; the idle timeout and the
# maximum duration end sessions; an unknown or stopped instance is
# TargetNotConnected (exit 254, as the aws CLI).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"
here=$(cd "$(dirname "$0")" && pwd)

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
session() { "$LOCALVPC_BIN" session --state-dir "$LV_STATE" "$@"; }
# What a terminal shows, as text: no CR, no escape sequences (bracketed
# paste mode, the xterm title).
plain() { tr -d '\r' | sed -E $'s/\e\\[[0-9;?]*[a-zA-Z]//g; s/\e\\][^\a]*\a//g'; }

vpc=$(ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId)
sg=$(ec2 create-security-group --vpc-id "$vpc" --group-name no-ingress --description "no ingress" \
	--query GroupId)
[ "$(ec2 describe-security-groups --group-ids "$sg" --query 'length(SecurityGroups[0].IpPermissions)')" = 0 ] ||
	fail "the group has ingress rules"
[ "$(ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpc" \
	--query 'length(InternetGateways)')" = 0 ] || fail "the VPC has an internet gateway"
ami=ami-0de12b0000c0ffee1
a=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --security-group-ids "$sg" \
	--query 'Instances[0].InstanceId')
# A second instance, in the VPC's default group (egress to anywhere), to
# knock on a's door from inside the VPC.
b=$(ec2 run-instances --image-id $ami --count 1 --subnet-id "$sn" --query 'Instances[0].InstanceId')
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
a_ip=$(q "$a" PrivateIpAddress)
[ "$(q "$a" PublicIpAddress)" = None ] || fail "the instance got a public IP"
sshd_wait "$a" "$b"
echo "target $a $a_ip (no public IP, $sg without ingress), prober $b"

# No inbound path: a's sshd listens, but nothing from the VPC gets to it.
expect_ok "a's sshd answers inside a" lv_exec "$a" bash -c "exec 3<>/dev/tcp/127.0.0.1/22"
expect_denied "tcp/22 from b to a (no ingress rule)" \
	lv_exec "$b" timeout 3 bash -c "exec 3<>/dev/tcp/$a_ip/22"
expect_denied "ping from b to a" lv_exec "$b" ping -c1 -W2 "$a_ip"
# The probe itself works: with a rule for it, the same knock gets in.
ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 22 \
	--cidr 10.0.0.0/16 >/dev/null
expect_ok "tcp/22 from b to a once a rule admits it" \
	lv_exec "$b" timeout 3 bash -c "exec 3<>/dev/tcp/$a_ip/22"
ec2 revoke-security-group-ingress --group-id "$sg" --protocol tcp --port 22 \
	--cidr 10.0.0.0/16 >/dev/null
expect_denied "tcp/22 from b to a, the rule revoked" \
	lv_exec "$b" timeout 3 bash -c "exec 3<>/dev/tcp/$a_ip/22"

# A session through a real pty: the prompt, a typed line, its output.
R=$RANDOM
/usr/bin/python3 "$here/session_pty.py" \
	"id -un; hostname; tty; echo term=\$TERM; stty size; echo marker-\$(($R * 2)); exit" \
	--resize 41 123 -- "$LOCALVPC_BIN" session --state-dir "$LV_STATE" "$a" >"$work/pty.out" ||
	{ cat "$work/pty.out"; fail "the pty session failed"; }
plain <"$work/pty.out" >"$work/pty.txt"
grep -qx ec2-user "$work/pty.txt" || { cat "$work/pty.txt"; fail "id -un is not ec2-user"; }
grep -qx "ip-${a_ip//./-}" "$work/pty.txt" || { cat "$work/pty.txt"; fail "hostname is not a's"; }
grep -qx "/dev/pts/[0-9]*" "$work/pty.txt" || { cat "$work/pty.txt"; fail "no tty of the instance"; }
grep -qx "marker-$((R * 2))" "$work/pty.txt" || { cat "$work/pty.txt"; fail "the marker did not run"; }
grep -qx "term=xterm" "$work/pty.txt" || { cat "$work/pty.txt"; fail "TERM is not the caller's"; }
grep -qx "41 123" "$work/pty.txt" || { cat "$work/pty.txt"; fail "the window size did not follow"; }
echo "ok: a pty session runs as ec2-user on ip-${a_ip//./-}"
sid=$(grep -o 'SessionId: [^ ]*' "$work/pty.txt" | head -1 | cut -d' ' -f2 | tr -d '\r')
[[ $sid =~ ^root-[0-9a-f]{17}$ ]] || fail "session id '$sid' is not <user>-<17 hex>"

# The record: listed, replayed (the typed command and its output), 0600.
session --list >"$work/list"
cat "$work/list"
grep -Eq "^$sid +$a +ec2-user +[0-9T:-]+Z +[0-9T:-]+Z +Terminated$" "$work/list" ||
	fail "--list does not show $sid as terminated"
session --list --json | /usr/bin/python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["Sessions"] if x["SessionId"] == sys.argv[1]]
assert len(s) == 1 and s[0]["Target"] == sys.argv[2] and s[0]["Status"] == "Terminated", s
assert s[0]["RunAsUser"] == "ec2-user" and s[0]["ExitStatus"] == 0 and s[0]["EndDate"], s
' "$sid" "$a" || fail "--list --json"
session --replay "$sid" | plain >"$work/replay"
grep -qF "echo marker-\$(($R * 2))" "$work/replay" || fail "--replay lacks the typed command"
grep -qx "marker-$((R * 2))" "$work/replay" || fail "--replay lacks the command's output"
grep -qx "ip-${a_ip//./-}" "$work/replay" || fail "--replay lacks the hostname"
echo "ok: --list and --replay show the session"
for f in "$LV_STATE/sessions/$sid".{log,timing,chain,json} "$LV_STATE/session.key"; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
done
# The timing file accounts for every byte after script's header line, so
# scriptreplay(1) plays it back.
total=$(awk '{ s += $2 } END { print s }' "$LV_STATE/sessions/$sid.timing")
body=$(($(wc -c <"$LV_STATE/sessions/$sid.log") - $(head -1 "$LV_STATE/sessions/$sid.log" | wc -c)))
[ "$total" -le "$body" ] && [ "$total" -gt 0 ] || fail "timing ($total) does not match the log ($body)"
scriptreplay -t "$LV_STATE/sessions/$sid.timing" -m 0.001 "$LV_STATE/sessions/$sid.log" |
	plain | grep -qx "marker-$((R * 2))" || fail "scriptreplay does not play the session"
echo "ok: the recording is 0600 and plays with scriptreplay"

# The recording verifies, and any edit shows.
expect_ok "--verify on an untouched recording" session --verify "$sid"
log=$LV_STATE/sessions/$sid.log
cp -p "$log" "$work/log.orig"
sed -i "s/marker-$((R * 2))/marker-$((R * 2 + 1))/" "$log"
cmp -s "$log" "$work/log.orig" && fail "the edit did not happen"
expect_denied "--verify after an edit of the output" session --verify "$sid"
session --verify "$sid" | grep -q TAMPERED || fail "--verify does not say TAMPERED"
cp -p "$work/log.orig" "$log"
expect_ok "--verify once restored" session --verify "$sid"
head -c -1 "$work/log.orig" >"$log"
expect_denied "--verify after the footer was cut" session --verify "$sid"
cp -p "$work/log.orig" "$log"
sed -i '1d' "$LV_STATE/sessions/$sid.timing"
expect_denied "--verify after a timing line was removed" session --verify "$sid"
echo "ok: the recording verifies and tampering is detected"

# Piped commands (no terminal), ended by EOF without an exit.
printf 'hostname\necho piped-$((%d + 1))\n' "$R" | session "$a" >"$work/pipe.out" 2>"$work/pipe.err" ||
	{ cat "$work/pipe.out" "$work/pipe.err"; fail "the piped session failed"; }
# Without line editing the output follows each prompt on its line.
plain <"$work/pipe.out" | grep -q '\$ '"piped-$((R + 1))$" ||
	{ cat "$work/pipe.out"; fail "piped commands did not run"; }
plain <"$work/pipe.out" | grep -q '\$ '"ip-${a_ip//./-}$" || fail "piped: hostname"
echo "ok: a piped session runs the commands and ends at EOF"

# A session killed mid-way keeps what it showed, and lists as Disconnected.
/usr/bin/python3 "$here/session_pty.py" "echo killed-\$(($R * 3))" --kill-after "killed-$((R * 3))" \
	-- "$LOCALVPC_BIN" session --state-dir "$LV_STATE" "$a" >"$work/kill.out" ||
	{ cat "$work/kill.out"; fail "the killed session's driver failed"; }
ksid=$(plain <"$work/kill.out" | grep -o 'SessionId: [^ ]*' | head -1 | cut -d' ' -f2)
session --list | grep -Eq "^$ksid +$a +ec2-user .* Disconnected$" || fail "a killed session is not Disconnected"
session --replay "$ksid" | plain | grep -qx "killed-$((R * 3))" || fail "a killed session lost its transcript"
session --verify "$ksid" | grep -q "no end recorded" || fail "a killed session's recording does not verify"
echo "ok: a killed session keeps its transcript and shows as Disconnected"

# AWS's idle timeout ends a session nobody uses (here 2 s instead of
# minutes), even one whose foreground job ignores the hang-up.
set +e
/usr/bin/python3 "$here/session_pty.py" "echo idle-\$(($R * 5)); trap '' HUP; sleep 1000$R" -- \
	"$LOCALVPC_BIN" session --state-dir "$LV_STATE" --idle-timeout 2s "$a" >"$work/idle.out"
rc=$?
set -e
plain <"$work/idle.out" | grep -q "ended: idle timeout" || { cat "$work/idle.out"; fail "no idle timeout"; }
[ $rc = 129 ] || fail "an idle-timed-out session exits $rc, not 129 (hung up)"
isid=$(plain <"$work/idle.out" | grep -o 'SessionId: [^ ]*' | head -1 | cut -d' ' -f2)
session --list | grep -Eq "^$isid +$a +ec2-user .* Terminated$" || fail "the idle session is not Terminated"
session --replay "$isid" | plain | grep -qx "idle-$((R * 5))" || fail "the idle session's transcript"
expect_ok "pgrep sees a's processes" lv_exec "$a" pgrep -x localvpc-init
expect_denied "the ignored hang-up's job is gone" lv_exec "$a" pgrep -f "sleep 1000$R"
expect_denied "an idle timeout of 61 minutes (AWS: 1-60)" session --idle-timeout 61 "$a" </dev/null
echo "ok: the idle timeout ends a session and records it"

# The maximum duration ends even a busy session.
set +e
/usr/bin/python3 "$here/session_pty.py" "while :; do echo tick; sleep 0.2; done" -- \
	"$LOCALVPC_BIN" session --state-dir "$LV_STATE" --idle-timeout 60 --max-duration 2s "$a" \
	>"$work/max.out"
rc=$?
set -e
plain <"$work/max.out" | grep -q "ended: maximum session duration reached" ||
	{ cat "$work/max.out"; fail "no maximum duration"; }
[ $rc = 129 ] || fail "a session past its maximum duration exits $rc, not 129"
[ "$(plain <"$work/max.out" | grep -cx tick)" -ge 2 ] || fail "the busy session was not busy"
echo "ok: the maximum duration ends a busy session"

# StartSession's errors: unknown and stopped targets.
set +e
session i-0123456789abcdef0 </dev/null >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc = 254 ] && grep -q "(TargetNotConnected) when calling the StartSession operation: i-0123456789abcdef0 is not connected" "$work/err" ||
	{ cat "$work/err"; fail "unknown instance: rc $rc"; }
echo "ok: an unknown instance is TargetNotConnected (254)"
session --replay root-0123456789abcdef0 >/dev/null 2>&1 && fail "replay of an unknown session"
session --replay ../../etc/passwd >/dev/null 2>&1 && fail "replay of a path"
ec2 stop-instances --instance-ids "$a" >/dev/null
set +e
session "$a" </dev/null >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc = 254 ] && grep -q "TargetNotConnected.*$a is not connected" "$work/err" ||
	{ cat "$work/err"; fail "stopped instance: rc $rc"; }
echo "ok: a stopped instance is TargetNotConnected (254)"
echo "PASS"
