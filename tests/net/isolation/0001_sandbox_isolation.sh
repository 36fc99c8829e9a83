#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Least privilege inside (security checklist; issue 10): proven from inside
# an instance, as its root.  An instance sees only its own processes, files
# and network; it cannot see or touch the host's or another instance's, nor
# the daemon's API; it holds no capability to mount, load modules or reach
# the host's kernel knobs; it has no IPv6; a forged source address goes
# nowhere; and nothing it sends can reach an address outside the emulated
# ranges.
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
work=$(dirname "$LV_STATE")
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.9.0.0/16 --query Vpc.VpcId)
open_default_sg "$vpc" # what is refused below is isolation's, not a group's
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.9.0.0/24 --query Subnet.SubnetId)
read -r a b < <(ec2 run-instances --image-id $ami --count 2 --subnet-id "$sn" \
	--query 'Instances[].InstanceId' | tr '\t' ' ')
[ -n "$a" ] && [ -n "$b" ] || fail "two instances"
ip_of() { ec2 describe-instances --instance-ids "$1" --query 'Reservations[0].Instances[0].PrivateIpAddress'; }
a_ip=$(ip_of "$a") b_ip=$(ip_of "$b")
sshd_wait "$a" "$b"
in_a() { lv_exec "$a" bash -c "$1"; }

# Processes: only the instance's own.
lv_exec "$b" bash -c 'nohup sleep 1001 >/dev/null 2>&1 &'
marker=lv-isolation-$$-$RANDOM
touch "/tmp/$marker"
push_teardown "rm -f /tmp/$marker"
[ "$(in_a 'cat /proc/1/comm')" != systemd ] || fail "pid 1 in the instance is the host's"
in_a "grep -qa '[l]ocalvpc.serve' /proc/[0-9]*/cmdline" &&
	fail "the instance can see the daemon's process"
in_a "grep -qa '[s]leep.1001' /proc/[0-9]*/cmdline" && fail "the instance can see another instance's process"
n=$(in_a 'ls -d /proc/[0-9]* | wc -l')
[ "$n" -lt 40 ] || fail "the instance sees $n processes: more than its own"
echo "ok: the instance sees only its own $n processes"
kill -0 "$LV_PID" || fail "the daemon is gone"
expect_denied "the instance cannot signal the daemon's PID" in_a "kill -0 $LV_PID 2>/dev/null && grep -qa localvpc /proc/$LV_PID/cmdline"

# Files: the instance's root, not the host's, not another instance's.
expect_denied "a file made on the host is not in the instance" in_a "test -e /tmp/$marker"
expect_denied "the daemon's state dir is not in the instance" in_a "test -e '$LV_STATE'"
expect_denied "the project tree is not in the instance" in_a "test -e /work"
in_a 'echo a-secret > /root/secret-of-a'
expect_denied "another instance cannot see its files" lv_exec "$b" test -e /root/secret-of-a
expect_denied "the image stays untouched by an instance's writes" \
	test -e /var/cache/localvpc/images/debian-12/root/root/secret-of-a

# Privileges: no mount, no modules, no host kernel knobs, no raw devices.
expect_denied "root in the instance cannot mount" in_a 'mount -t tmpfs x /mnt'
expect_denied "... nor load a module" in_a 'modprobe dummy 2>/dev/null || insmod /dev/null'
expect_denied "... nor write the host's kernel knobs" in_a 'echo 1 > /proc/sys/kernel/panic'
expect_denied "... nor trigger sysrq" in_a 'echo h > /proc/sysrq-trigger'
expect_denied "... nor read kernel memory" in_a 'head -c1 /proc/kcore >/dev/null'
expect_denied "... nor write /sys" in_a 'echo 1 > /sys/kernel/mm/ksm/run'
expect_denied "... nor open a host disk" in_a 'ls /dev/sd* /dev/vd* /dev/nvme* 2>/dev/null | grep -q .'
expect_denied "... nor enter the host's namespaces" in_a 'nsenter -t 1 -n -m true'

# Network: its own interfaces, no IPv6, no way to the daemon or the host.
links=$(in_a "ip -o link | awk -F': ' '{print \$2}' | cut -d@ -f1 | sort | tr '\n' ' '")
[ "$links" = "eth0 lo " ] || fail "the instance's links are '$links', not eth0 and lo"
echo "ok: the instance has only lo and eth0"
[ "$(in_a 'cat /proc/sys/net/ipv6/conf/all/disable_ipv6')" = 1 ] || fail "IPv6 must be off in the instance"
expect_denied "no IPv6 between instances (link-local all-nodes ping)" in_a 'ping -6 -c1 -W1 ff02::1%eth0'
expect_denied "the daemon's API is not on the instance's loopback" \
	in_a "timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$LV_PORT'"
expect_denied "... nor reachable at the host's address" \
	in_a "timeout 2 bash -c 'exec 3<>/dev/tcp/192.0.2.1/$LV_PORT'"
expect_ok "the other instance answers from its real address" in_a "ping -c1 -W2 $b_ip"
# A forged source (ENI-4): the router drops it before it reaches b.
in_a "ip addr add 10.9.0.200/24 dev eth0"
expect_denied "a forged source address goes nowhere" in_a "ping -c1 -W2 -I 10.9.0.200 $b_ip"
# A forged MAC or ARP reply reaches only the instance's own router port:
# every instance has a veth of its own, there is no shared segment.
in_a "ip link set eth0 address 02:00:00:00:00:99"
expect_ok "a changed MAC still reaches only the router (and works)" in_a "ping -c1 -W2 $b_ip"
for dst in 8.8.8.8 1.1.1.1 10.255.255.1; do
	expect_denied "nothing reaches $dst (no route anywhere real)" in_a "ping -c1 -W1 $dst"
done
expect_denied "no route to a real address from the router either" \
	ip netns exec "$LV_PREFIX-inet" ip route get 8.8.8.8
echo "PASS"
