// SPDX-License-Identifier: MIT
/* `localvpc trace [--state-dir DIR | --from-aws-json DIR] FROM TO
 * [--proto tcp|udp|icmp] [--port N] [--src-port N] [--json]`: what happens to one packet from FROM to TO, hop
 * by hop, with the deciding rule at each hop and, when it does not get
 * through, AWS's explanation code and the smallest change that would let
 * it.  FROM/TO: an instance ID, ENI ID, IPv4 address, an instance's Name
 * tag, `internet` (203.0.113.10) or `internet:IP`.  Reads the state
 * database read-only (beside a running daemon: WAL), never the kernel.
 * --from-aws-json reads a real account's describe-… output instead
 * (import/aws_json.h).  Exit 0 reachable, 1 not, 2 usage, 3 no state.  --json: analyze/json.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "cli/cli.h"
#include "cli/snapshot_source.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/cidr.h"

static int usage(void)
{
	fprintf(stderr, "usage: localvpc trace [--state-dir DIR | --from-aws-json DIR] FROM TO [--proto tcp|udp|icmp] "
			"[--port N] [--src-port N] [--json]\n"
			"  FROM, TO: i-…, eni-…, an IPv4 address, an instance's Name tag,\n"
			"            internet (203.0.113.10) or internet:IP\n");
	return 2;
}

static int parse_num(const char *s, long lo, long hi, int *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

static void print_hops(const char *title, const struct hop *v, size_t n)
{
	if (!n)
		return;
	printf("%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		const struct hop *h = &v[i];
		printf("  %s %s", h->allowed ? "✓" : "✗", h->component_id);
		if (h->name && *h->name)
			printf(" (%s)", h->name);
		if (h->direction)
			printf(" %s", h->direction);
		printf(": %s\n", h->rule);
	}
}

static const char *endpoint_text(const struct endpoint *e, char *buf, size_t size)
{
	char ip[IP4_STR_MAX];
	if (e->kind == EP_INTERNET || e->kind == EP_IP)
		snprintf(buf, size, "%s%s", e->kind == EP_INTERNET ? "internet " : "",
			 ip4_format(e->ip, ip));
	else
		snprintf(buf, size, "%s", e->id);
	return buf;
}

int cli_trace(int argc, char **argv)
{
	struct snapshot_source src;
	snapshot_source_args(&argc, argv, &src);
	const char *ends[2] = { NULL, NULL }, *proto = "tcp";
	int port = -2, src_port = 0, n_ends = 0, rc = 2;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--proto") && i + 1 < argc) {
			proto = argv[++i];
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			if (parse_num(argv[++i], -1, 65535, &port) < 0)
				return usage();
		} else if (!strcmp(argv[i], "--src-port") && i + 1 < argc) {
			if (parse_num(argv[++i], 1, 65535, &src_port) < 0)
				return usage();
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return usage();
		} else if (n_ends < 2) {
			ends[n_ends++] = argv[i];
		} else {
			return usage();
		}
	}
	struct probe p;
	memset(&p, 0, sizeof(p));
	if (n_ends != 2)
		return usage();
	if (!strcmp(proto, "tcp") || !strcmp(proto, "6"))
		p.protocol = 6;
	else if (!strcmp(proto, "udp") || !strcmp(proto, "17"))
		p.protocol = 17;
	else if (!strcmp(proto, "icmp") || !strcmp(proto, "1"))
		p.protocol = 1;
	else
		return usage();
	if (port == -2)
		port = p.protocol == 1 ? -1 : 22;
	if (p.protocol != 1 && port < 0)
		return usage();
	p.port = port;
	p.src_port = src_port;

	struct arena *a = arena_new();
	struct snapshot s;
	int r = snapshot_source_load(&src, "trace", a, &s);
	if (r < 0) {
		rc = 3;
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		r = analyze_endpoint_parse(&s, ends[i], i ? &p.dst : &p.src);
		if (r < 0) {
			fprintf(stderr, "localvpc trace: %s: %s\n", ends[i],
				r == -ENOENT   ? "no such instance, interface, address or Name"
				: r == -EEXIST ? "several instances have that Name; use the ID"
					       : "not an ID, address, Name or internet[:IP]");
			goto out;
		}
	}
	struct analysis an;
	r = analyze_path(&s, &p, a, &an);
	if (r < 0) {
		fprintf(stderr, "localvpc trace: %s\n",
			r == -ENOENT ? "an endpoint does not exist"
				     : "FROM and TO must not both be on the internet");
		goto out;
	}
	if (json) {
		printf("%s\n", analyze_json(&an, &p, a));
	} else {
		char b1[ID_MAX + 16], b2[ID_MAX + 16];
		printf("trace %s → %s %s", endpoint_text(&p.src, b1, sizeof(b1)),
		       endpoint_text(&p.dst, b2, sizeof(b2)),
		       p.protocol == 6 ? "tcp" : p.protocol == 17 ? "udp" : "icmp");
		if (p.protocol != 1)
			printf("/%d", p.port);
		printf("\n");
		print_hops("forward", an.fwd, an.n_fwd);
		print_hops("return", an.ret, an.n_ret);
		printf("%s\n", an.found ? "reachable" : "NOT reachable");
		for (size_t i = 0; i < an.n_why; i++)
			printf("  %s%s: %s\n", an.why[i].code, an.why[i].is_return ? " (return)" : "",
			       an.why[i].text);
		if (an.suggestion)
			printf("fix: %s\n", an.suggestion);
		if (an.notes && *an.notes)
			printf("note: %s\n", an.notes);
	}
	rc = an.found ? 0 : 1;
out:
	arena_free(a);
	return rc;
}
