# SPDX-License-Identifier: MIT
# Starting a localvpc daemon for a net test, and driving it with the aws CLI.
# Source after netns.sh (it provides push_teardown).  Every daemon gets its
# own state dir (whose hash is its kernel-object prefix) and port, and its
# teardown runs `localvpc reset`, which removes every namespace, link, nft
# table and process it made.
LOCALVPC_BIN=${LOCALVPC_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/localvpc}
AWS_BIN=${AWS_BIN:-/usr/bin/aws}
POOL_NET=198.18.0.0/15

# daemon_start: sets LV_STATE, LV_PORT, LV_ENDPOINT, LV_PID, LV_PREFIX.
daemon_start() {
	LV_STATE=$(mktemp -d /tmp/lvnet.XXXXXX)/state
	mkdir -p "$LV_STATE"
	LV_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	LV_ENDPOINT=http://127.0.0.1:$LV_PORT
	push_teardown "rm -rf '$(dirname "$LV_STATE")'"
	push_teardown "'$LOCALVPC_BIN' reset --state-dir '$LV_STATE' >/dev/null"
	daemon_run
	LV_PREFIX=$(grep -o 'prefix=lv[0-9a-f]*' "$LV_STATE/../daemon.log" | head -1 | cut -d= -f2)
}

# Each test daemon takes its own /24 of the public pool, so that daemons of
# tests run side by side (developers do) never route the host's probes into
# each other's internet; the host's route is per daemon and per pool.
LV_POOL=${LV_POOL:-198.$((18 + RANDOM % 2)).$((RANDOM % 256)).0/24}

# daemon_run: (re)starts the daemon on the same state dir and port.
daemon_run() {
	# shellcheck disable=SC2086 # LV_SERVE_ARGS: extra words on purpose
	"$LOCALVPC_BIN" serve --listen "127.0.0.1:$LV_PORT" --state-dir "$LV_STATE" \
		--public-pool "$LV_POOL" ${LV_SERVE_ARGS:-} \
		>>"$LV_STATE/../daemon.log" 2>&1 </dev/null &
	LV_PID=$!
	wait_until 20 curl -s -o /dev/null "$LV_ENDPOINT/" ||
		{ cat "$LV_STATE/../daemon.log"; fail "daemon did not start"; }
}

daemon_stop() { # [signal]
	kill -"${1:-TERM}" "$LV_PID" 2>/dev/null || true
	wait "$LV_PID" 2>/dev/null || true
	# Its API child dies just after it (parent-death signal): a restart
	# must not reach the old one's socket.
	wait_until 10 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$LV_PORT) 2>/dev/null" || true
}

ec2() {
	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
	AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		"$AWS_BIN" --endpoint-url "$LV_ENDPOINT" --output text ec2 "$@"
}

# in_pool IP: the safety rule for probes sent from the host.
in_pool() {
	/usr/bin/python3 -c 'import ipaddress,sys; sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]) else 1)' "$1" "$POOL_NET"
}

# host_probe IP CMD...: runs CMD from the host only if IP is in the pool.
host_probe() {
	local ip=$1
	shift
	in_pool "$ip" || fail "refusing to probe $ip from the host: not in $POOL_NET"
	"$@"
}

lv_exec() { # INSTANCE CMD...
	local id=$1
	shift
	"$LOCALVPC_BIN" exec --state-dir "$LV_STATE" "$id" -- "$@"
}

lv_internet() { # [--from IP] CMD...
	"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" "$@"
}

# default_sg VPC: the ID of the VPC's default security group.
default_sg() {
	ec2 describe-security-groups --filters "Name=vpc-id,Values=$1" Name=group-name,Values=default \
		--query 'SecurityGroups[0].GroupId'
}

# open_default_sg VPC: lets everything in to the VPC's default group, for
# tests about routing rather than security groups (SG-3 admits only the
# group itself).
open_default_sg() {
	ec2 authorize-security-group-ingress --group-id "$(default_sg "$1")" \
		--ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' >/dev/null
}

# web_server IP PORT LOG: a host of the emulated internet serving $work/www
# over HTTP; its log names every client (address first).
web_server() {
	mkdir -p "$work/www" && echo hello-internet >"$work/www/index.html"
	lv_internet --from "$1" -- true
	"$LOCALVPC_BIN" internet exec --state-dir "$LV_STATE" --from "$1" -- \
		/usr/bin/python3 -m http.server "$2" --bind "$1" --directory "$work/www" 2>"$3" &
	push_teardown "kill $!"
	wait_until 10 lv_internet --from "$1" -- bash -c "exec 3<>/dev/tcp/$1/$2"
}

# sshd_wait INSTANCE...: until each instance's sshd listens.
sshd_wait() {
	local x
	for x in "$@"; do
		wait_until 30 lv_exec "$x" bash -c "exec 3<>/dev/tcp/127.0.0.1/22" || fail "sshd of $x"
	done
}
