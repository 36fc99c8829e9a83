#!/bin/sh
# SPDX-License-Identifier: MIT
# First thing an instance runs (as root, from localvpc-init, which starts
# sshd when this exits): host name, hardening sysctls, host keys, the sshd
# drop-in, EC2 Instance Connect's AuthorizedKeysCommand, ec2-user with the
# launch key, and user data once.  Written into the instance at
# /etc/localvpc/boot at every start; output goes to the console log.  Keeps going past a failed step: a half-booted instance that
# still answers ssh is easier to debug than one that does not.
set -u
L=/etc/localvpc
log() { echo "localvpc-boot: $*"; }

# Every process started here delays sshd (about 1.5 ms each): shell
# builtins where they do the job.

# The UTS name is set by the sandbox (sethostname needs CAP_SYS_ADMIN,
# which the instance lacks); the files follow it.
h=
read -r h 2>/dev/null <"$L/hostname"
[ -n "$h" ] || h=$(hostname)
echo "$h" >/etc/hostname
printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost ip6-localhost ip6-loopback\n' "$h" >/etc/hosts

has_user() {
	while IFS=: read -r name _; do
		[ "$name" = "$1" ] && return 0
	done </etc/passwd
	return 1
}

# Checklist 31: no redirects, no source routes inside the instance (a
# fresh network namespace accepts ICMP redirects).
for k in accept_redirects secure_redirects accept_source_route; do
	{ echo 0 >"/proc/sys/net/ipv4/conf/all/$k" && echo 0 >"/proc/sys/net/ipv4/conf/default/$k"; } ||
		log "sysctl net.ipv4.conf.*.$k failed"
done

# Host keys once (ed25519 and ecdsa are fast; slow RSA generation is
# skipped), both at once.
for t in ed25519 ecdsa; do
	if [ ! -s "/etc/ssh/ssh_host_${t}_key" ]; then
		rm -f "/etc/ssh/ssh_host_${t}_key" "/etc/ssh/ssh_host_${t}_key.pub"
		{ ssh-keygen -q -t "$t" -N '' -f "/etc/ssh/ssh_host_${t}_key" ||
			log "ssh-keygen -t $t failed"; } &
	fi
done
wait
mkdir -p /run/sshd /etc/ssh/sshd_config.d /var/lib/localvpc
chmod 755 /run/sshd
# Debian's sshd_config includes sshd_config.d/*.conf first: first value wins.
printf '%s\n' 'PasswordAuthentication no' 'KbdInteractiveAuthentication no' \
	'PermitRootLogin no' 'UseDNS no' \
	'AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f' \
	'AuthorizedKeysCommandUser ec2-instance-connect' >/etc/ssh/sshd_config.d/localvpc.conf

# EC2 Instance Connect, as Amazon Linux sets it up: sshd asks
# eic_run_authorized_keys, run as the unprivileged ec2-instance-connect
# user, for the keys SendSSHPublicKey pushed; it reads them from the
# metadata service, which serves only this instance's unexpired keys.  sshd
# wants the script and every directory above it owned by root and writable
# by nobody else.
if ! has_user ec2-instance-connect; then
	useradd -r -M -d /nonexistent -s /usr/sbin/nologin ec2-instance-connect ||
		log "useradd ec2-instance-connect failed"
fi
install -d -m 755 -o root -g root /opt/aws /opt/aws/bin
cat >/opt/aws/bin/eic_run_authorized_keys.new <<'EOS'
#!/bin/sh
# AuthorizedKeysCommand (written by localvpc at boot): prints the keys EC2
# Instance Connect pushed for user $1 that have not expired, read from the
# metadata service: without a token first (one request per login), with an
# IMDSv2 token when the instance requires one (401).
set -u
user=${1:-}
case $user in '' | *[!A-Za-z0-9@._\$-]*) exit 0 ;; esac
md=http://169.254.169.254/latest
url=$md/meta-data/managed-ssh-keys/active-keys/$user/
get() { curl -s -m 2 --noproxy '*' -w '%{http_code}' "$@"; }
out=$(get "$url") || exit 0
if [ "${out#"${out%???}"}" = 401 ]; then
	tok=$(curl -s -f -m 2 --noproxy '*' -X PUT \
		-H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$md/api/token") || exit 0
	out=$(get -H "X-aws-ec2-metadata-token: $tok" "$url") || exit 0
fi
[ "${out#"${out%???}"}" = 200 ] || exit 0 # 404: no keys for this user
# Each key follows its "#Timestamp=<expiry>" line; an expired one is
# dropped here too, as AWS's script does.
now=$(date +%s)
printf '%s\n' "${out%???}" | {
	expires=0
	while IFS= read -r line; do
		case $line in
		'#Timestamp='*) expires=${line#'#Timestamp='} ;;
		'#'* | '') ;;
		*)
			if [ "$expires" -gt "$now" ] 2>/dev/null; then
				printf '%s\n' "$line"
			fi
			expires=0
			;;
		esac
	done
}
exit 0
EOS
if ! { chown root:root /opt/aws/bin/eic_run_authorized_keys.new &&
	chmod 755 /opt/aws/bin/eic_run_authorized_keys.new &&
	mv -f /opt/aws/bin/eic_run_authorized_keys.new /opt/aws/bin/eic_run_authorized_keys; }; then
	log "installing eic_run_authorized_keys failed"
fi

if ! has_user ec2-user; then
	useradd -m -s /bin/bash ec2-user || log "useradd ec2-user failed"
fi
# Made 0440 by the umask at the first boot; chmod'ed only when it exists.
if [ -e /etc/sudoers.d/90-ec2-user ]; then
	printf 'ec2-user ALL=(ALL) NOPASSWD:ALL\n' >/etc/sudoers.d/90-ec2-user
	chmod 440 /etc/sudoers.d/90-ec2-user
else
	(umask 337 && printf 'ec2-user ALL=(ALL) NOPASSWD:ALL\n' >/etc/sudoers.d/90-ec2-user)
fi
if [ -s "$L/authorized_key" ]; then
	install -d -m 700 -o ec2-user -g ec2-user /home/ec2-user/.ssh
	install -m 600 -o ec2-user -g ec2-user "$L/authorized_key" \
		/home/ec2-user/.ssh/authorized_keys
fi

# User data once, at the first boot, cloud-init's rule: a script starting
# with "#!" runs as root; anything else (#cloud-config …) is not run.  It
# runs in the background, as cloud-init's final stage does, so a script
# that never ends does not keep sshd from starting; its output goes to the
# console log.  The marker is made first: a crash mid-script is no re-run.
if [ -s "$L/user-data" ] && [ ! -e /var/lib/localvpc/user-data-ran ]; then
	: >/var/lib/localvpc/user-data-ran
	if [ "$(head -c 2 "$L/user-data")" = '#!' ]; then
		install -m 700 "$L/user-data" /var/lib/localvpc/user-data.sh
		log "running user data"
		(
			cd /
			/var/lib/localvpc/user-data.sh </dev/null 2>&1
			log "user data exited with status $?"
		) &
	else
		log "user data is not a script (no #!): not run"
	fi
fi
exit 0
