#!/bin/sh
# SPDX-License-Identifier: MIT
# First thing an instance runs (as root, from localvpc-init, which starts
# sshd when this exits): host name, hardening sysctls, host keys, the sshd
# drop-in, ec2-user with the launch key, and user data once.  Written into
# the instance at /etc/localvpc/boot at every start; output goes to the
# console log.  Keeps going past a failed step: a half-booted instance that
# still answers ssh is easier to debug than one that does not.
set -u
L=/etc/localvpc
log() { echo "localvpc-boot: $*"; }

# The UTS name is set by the sandbox (sethostname needs CAP_SYS_ADMIN,
# which the instance lacks); the files follow it.
h=$(cat "$L/hostname" 2>/dev/null || hostname)
echo "$h" >/etc/hostname
cat >/etc/hosts <<EOH
127.0.0.1 localhost
127.0.1.1 $h
::1 localhost ip6-localhost ip6-loopback
EOH

# Checklist 31: no redirects, no source routes inside the instance (a
# fresh network namespace accepts ICMP redirects).
for k in accept_redirects secure_redirects accept_source_route; do
	sysctl -qw "net.ipv4.conf.all.$k=0" "net.ipv4.conf.default.$k=0" ||
		log "sysctl net.ipv4.conf.*.$k failed"
done

# Host keys once (ed25519 and ecdsa are fast; slow RSA generation is skipped).
for t in ed25519 ecdsa; do
	if [ ! -s "/etc/ssh/ssh_host_${t}_key" ]; then
		rm -f "/etc/ssh/ssh_host_${t}_key" "/etc/ssh/ssh_host_${t}_key.pub"
		ssh-keygen -q -t "$t" -N '' -f "/etc/ssh/ssh_host_${t}_key" ||
			log "ssh-keygen -t $t failed"
	fi
done
mkdir -p /run/sshd /etc/ssh/sshd_config.d
chmod 755 /run/sshd
# Debian's sshd_config includes sshd_config.d/*.conf first: first value wins.
cat >/etc/ssh/sshd_config.d/localvpc.conf <<'EOC'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UseDNS no
EOC

if ! id ec2-user >/dev/null 2>&1; then
	useradd -m -s /bin/bash ec2-user || log "useradd ec2-user failed"
fi
printf 'ec2-user ALL=(ALL) NOPASSWD:ALL\n' >/etc/sudoers.d/90-ec2-user
chmod 440 /etc/sudoers.d/90-ec2-user
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
mkdir -p /var/lib/localvpc
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
