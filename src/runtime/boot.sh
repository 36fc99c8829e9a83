#!/bin/sh
# SPDX-License-Identifier: MIT
# First thing an instance runs (as root, from localvpc-init): host keys,
# ec2-user with its key, hardening sysctls, user data once.  Written into
# the instance at /etc/localvpc/boot at every start.
set -u
L=/etc/localvpc
log() { echo "localvpc-boot: $*"; }

hostname -F "$L/hostname" 2>/dev/null || true
h=$(hostname)
printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$h" >/etc/hosts

# Checklist 31: no redirects, no source routes inside the instance.
for k in accept_redirects secure_redirects accept_source_route; do
	sysctl -qw "net.ipv4.conf.all.$k=0" "net.ipv4.conf.default.$k=0" 2>/dev/null || true
done

# Host keys once (ed25519 and ecdsa are fast; RSA generation is skipped).
for t in ed25519 ecdsa; do
	[ -f "/etc/ssh/ssh_host_${t}_key" ] || ssh-keygen -q -t "$t" -N '' -f "/etc/ssh/ssh_host_${t}_key"
done
mkdir -p /run/sshd /etc/ssh/sshd_config.d
cat >/etc/ssh/sshd_config.d/localvpc.conf <<'EOC'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UseDNS no
EOC

if ! id ec2-user >/dev/null 2>&1; then
	useradd -m -s /bin/bash ec2-user
	echo 'ec2-user ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/90-ec2-user
	chmod 440 /etc/sudoers.d/90-ec2-user
fi
if [ -s "$L/authorized_key" ]; then
	install -d -m 700 -o ec2-user -g ec2-user /home/ec2-user/.ssh
	install -m 600 -o ec2-user -g ec2-user "$L/authorized_key" /home/ec2-user/.ssh/authorized_keys
fi

# User data once, at first boot, cloud-init's rule: a script starting with
# "#!" runs as root; its output goes to the console log.
mkdir -p /var/lib/localvpc
if [ -s "$L/user-data" ] && [ ! -e /var/lib/localvpc/user-data-ran ]; then
	touch /var/lib/localvpc/user-data-ran
	if head -c 2 "$L/user-data" | grep -q '^#!'; then
		cp "$L/user-data" /var/lib/localvpc/user-data.sh
		chmod 700 /var/lib/localvpc/user-data.sh
		log "running user data"
		/var/lib/localvpc/user-data.sh 2>&1
		log "user data exited with $?"
	fi
fi
exit 0
