#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The second seed's hardened bastion (security checklist 14): walkthrough.sh,
# then examples/bastion-nat/hardened-bastion.sh (twice: idempotent).  Its
# user data really changes the running sshd, checked against the
# walkthrough's plain Bastion where the base image differs:
#   - `sshd -T` shows the bastion profile (the plain bastion's does not);
#   - a password attempt gets "Permission denied (publickey)";
#   - root with a valid key is refused;
#   - ssh -J to the internal instance's port 22 works; a forward out of the
#     VPC (ssh -W to an internet host) is refused, while the plain bastion
#     makes it; a forward to another port (-W private:80) and a remote
#     forward (-R) are refused;
#   - LogLevel VERBOSE: the console output shows "Connection from My IP"
#     and the key's fingerprint; the plain bastion's logs no such line.
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
run hardened-bastion.sh >"$work/hb1.log" 2>&1 || { cat "$work/hb1.log"; fail "hardened-bastion.sh failed"; }
run hardened-bastion.sh >"$work/hb2.log" 2>&1 || { cat "$work/hb2.log"; fail "the second hardened-bastion.sh run failed"; }
[ "$(ec2 describe-instances --query 'length(Reservations[].Instances[])')" = 4 ] ||
	fail "four instances (NAT, bastion, hardened bastion, internal) after two runs"
echo "ok: hardened-bastion.sh is idempotent"

id_of() { ec2 describe-instances --filters "Name=tag:Name,Values=$1" --query 'Reservations[0].Instances[0].InstanceId'; }
q() { ec2 describe-instances --instance-ids "$1" --query "Reservations[0].Instances[0].$2"; }
hb=$(id_of "Hardened Bastion") plain=$(id_of Bastion) internal=$(id_of "Internal Instance")
hb_ip=$(q "$hb" PublicIpAddress) plain_ip=$(q "$plain" PublicIpAddress) i_ip=$(q "$internal" PrivateIpAddress)
in_pool "$hb_ip" || fail "the hardened bastion's address $hb_ip is not in the pool"
console() { ec2 get-console-output --instance-id "$1" --query Output; }
# Done, and sshd re-read its configuration (SIGHUP: it re-executes itself).
hardened() { console "$hb" | grep -q 'bastion hardening: done' && console "$hb" | grep -q 'Received SIGHUP'; }
wait_until 60 hardened ||
	{ console "$hb"; fail "the hardening user data did not finish"; }
console "$hb" | grep -q 'sshd -t failed' && { console "$hb"; fail "the sshd drop-in does not pass sshd -t"; }
sshd_wait "$hb" "$plain" "$internal"

# The configuration sshd reads, for the admin coming from My IP.
conf() { lv_exec "$1" /usr/sbin/sshd -T -C "user=ec2-user,addr=192.0.2.1,host=admin,laddr=${2},lport=22"; }
hb_priv=$(q "$hb" PrivateIpAddress)
conf "$hb" "$hb_priv" >"$work/hb.conf" || fail "sshd -T on the hardened bastion"
for want in "permitrootlogin no" "passwordauthentication no" "kbdinteractiveauthentication no" \
	"authenticationmethods publickey" "allowusers ec2-user" "allowtcpforwarding local" "permitopen *:22" \
	"permitlisten none" "gatewayports no" "x11forwarding no" "allowstreamlocalforwarding no" \
	"permittunnel no" "maxauthtries 3" "logingracetime 30" "maxstartups 10:30:60" \
	"clientaliveinterval 300" "clientalivecountmax 2" "loglevel VERBOSE" "exposeauthinfo yes" \
	"permituserenvironment no" "allowagentforwarding yes" "channeltimeout session=30m"; do
	grep -qixF "$want" "$work/hb.conf" || { grep -i "^${want%% *} " "$work/hb.conf"; fail "sshd -T: $want"; }
done
conf "$plain" "$(q "$plain" PrivateIpAddress)" | grep -qixF "loglevel INFO" || fail "the plain bastion logs at INFO"
echo "ok: sshd -T shows the bastion profile (the plain bastion's is the image's default)"

printf 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n' >"$work/ssh_config"
eval "$(ssh-agent -s)" >/dev/null
push_teardown "kill $SSH_AGENT_PID"
ssh-add -q "$work/keys/BastionKeyPair.pem" "$work/keys/NatKeyPair.pem"
SSH=(ssh -F "$work/ssh_config")
wait_until 30 "${SSH[@]}" "ec2-user@$hb_ip" true || fail "ssh with the key to the hardened bastion"
echo "ok: ssh ec2-user@$hb_ip with the key"

# No passwords, even a right one: ec2-user gets a password first.
lv_exec "$hb" bash -c 'echo ec2-user:Passw0rd-seed | chpasswd'
out=$(SSH_ASKPASS=/bin/false "${SSH[@]}" -o BatchMode=no -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
	-o PreferredAuthentications=password,keyboard-interactive "ec2-user@$hb_ip" true 2>&1 </dev/null) &&
	fail "a password login worked"
case $out in *"Permission denied (publickey)"*) ;; *) fail "a password attempt: $out" ;; esac
echo "ok (denied): a password attempt gets 'Permission denied (publickey)'"

# No root, even with a valid key in root's authorized_keys.
lv_exec "$hb" bash -c 'install -d -m 700 /root/.ssh && cp /home/ec2-user/.ssh/authorized_keys /root/.ssh/'
expect_denied "root with a valid key is refused" "${SSH[@]}" "root@$hb_ip" true

# Forwarding: ssh -J to port 22 inside the VPC only.
got=$("${SSH[@]}" -J "ec2-user@$hb_ip" "ec2-user@$i_ip" hostname) || fail "ssh -J through the hardened bastion"
[ "$got" = "ip-${i_ip//./-}" ] || fail "the jump landed on $got"
echo "ok: ssh -J through the hardened bastion to $i_ip:22"
web_server 203.0.113.20 22 "$work/www.log"
fetch() { # BASTION_IP: an HTTP GET to 203.0.113.20:22 through ssh -W (what -J does)
	printf 'GET / HTTP/1.0\r\n\r\n' | "${SSH[@]}" -W 203.0.113.20:22 "ec2-user@$1" | grep -q hello-internet
}
expect_ok "the plain bastion forwards out of the VPC (ssh -W 203.0.113.20:22)" fetch "$plain_ip"
expect_denied "the hardened bastion forwards nothing out of the VPC (ssh -W 203.0.113.20:22)" fetch "$hb_ip"
out=$("${SSH[@]}" -o LogLevel=INFO -W "$i_ip:80" "ec2-user@$hb_ip" </dev/null 2>&1) && fail "-W $i_ip:80 worked"
case $out in *"administratively prohibited"*) ;; *) fail "-W $i_ip:80: $out" ;; esac
echo "ok (denied): ssh -W $i_ip:80 (PermitOpen *:22): administratively prohibited"
expect_denied "a remote forward (-R) is refused" \
	"${SSH[@]}" -o ExitOnForwardFailure=yes -R 2222:127.0.0.1:22 "ec2-user@$hb_ip" true

# LogLevel VERBOSE: every login's source and key fingerprint, in the console output.
fp=$(ssh-keygen -lf "$work/keys/NatKeyPair.pem" | awk '{print $2}')
console "$hb" >"$work/hb.console"
grep -q "Connection from 192.0.2.1 port" "$work/hb.console" || fail "the hardened bastion logs the connection (VERBOSE)"
grep -qF "Accepted publickey for ec2-user from 192.0.2.1" "$work/hb.console" || fail "the login is logged"
grep -qF "$fp" "$work/hb.console" || fail "the log names the key $fp"
grep -Eq "ROOT LOGIN REFUSED|User root .*not allowed" "$work/hb.console" || fail "the refused root login is logged"
console "$plain" | grep -q "Connection from 192.0.2.1 port" && fail "the plain bastion logs at VERBOSE too: not the hardening"
echo "ok: the console output logs each connection, login and key ($fp); the plain bastion's does not"
echo "PASS"
