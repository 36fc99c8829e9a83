#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The metadata service against a browser inside the instance (security
# checklist 33; issue 10).  AWS's service does not check Host — a DNS
# rebinding page reaches it under a foreign name, on EC2 as here — and the
# defence is IMDSv2: a token needs a PUT with a TTL header, which a page
# cannot send cross-origin without a CORS preflight, and the service
# answers no preflight.  So: an OPTIONS preflight gets 405 and no
# Access-Control-* header; no answer carries one; with HttpTokens=required
# a GET under a foreign Host gets 401; under a foreign Host a tokenless GET
# is answered only where IMDSv1 is allowed (AWS's behaviour, kept).
source "$(dirname "$0")/../../lib/netns.sh"
source "$(dirname "$0")/../../lib/daemon.sh"
require_root
[ -d /var/cache/localvpc/images/debian-12/root ] || fail "image missing: run scripts/build-image"

daemon_start
audit_prefix "$LV_PREFIX"
ami=ami-0de12b0000c0ffee1
vpc=$(ec2 create-vpc --cidr-block 10.16.0.0/16 --query Vpc.VpcId)
sn=$(ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.16.0.0/24 --query Subnet.SubnetId)
a=$(ec2 run-instances --image-id $ami --subnet-id "$sn" --query 'Instances[0].InstanceId')
b=$(ec2 run-instances --image-id $ami --subnet-id "$sn" --metadata-options HttpTokens=required \
	--query 'Instances[0].InstanceId')
sshd_wait "$a" "$b"
MD=http://169.254.169.254/latest
evil=(-H "Host: rebind.attacker.example" -H "Origin: http://rebind.attacker.example")
# hdrs INSTANCE CURL-ARGS...: the status line and headers of the answer.
hdrs() {
	local x=$1
	shift
	lv_exec "$x" curl -s -o /dev/null -D - --max-time 5 "$@"
}
status() { awk 'NR == 1 {print $2}' <<<"$1"; }

for x in "$a" "$b"; do
	h=$(hdrs "$x" -X OPTIONS "${evil[@]}" -H "Access-Control-Request-Method: PUT" \
		-H "Access-Control-Request-Headers: x-aws-ec2-metadata-token-ttl-seconds" "$MD/api/token")
	[ "$(status "$h")" = 405 ] || fail "a preflight to $x's metadata service got: $h"
	grep -qi '^access-control-' <<<"$h" && fail "the preflight answer carries CORS headers: $h"
done
echo "ok (denied): a CORS preflight for the token PUT gets 405 and no Access-Control-* header"
h=$(hdrs "$a" -X PUT "${evil[@]}" -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "$MD/api/token")
[ "$(status "$h")" = 200 ] || fail "the token PUT itself (not a browser: no preflight) got: $h"
grep -qi '^access-control-' <<<"$h" && fail "the token answer carries CORS headers: $h"
h=$(hdrs "$a" "${evil[@]}" "$MD/meta-data/instance-id")
[ "$(status "$h")" = 200 ] || fail "IMDSv1 under a foreign Host (AWS answers): $h"
grep -qi '^access-control-' <<<"$h" && fail "a metadata answer carries CORS headers: $h"
echo "ok: as on AWS, Host is not checked (IMDSv1 answers), and no answer carries CORS headers"
h=$(hdrs "$b" "${evil[@]}" "$MD/meta-data/instance-id")
[ "$(status "$h")" = 401 ] || fail "HttpTokens=required: a tokenless GET under a foreign Host got: $h"
echo "ok (denied): with HttpTokens=required a rebinding GET without a token gets 401"
echo "PASS"
