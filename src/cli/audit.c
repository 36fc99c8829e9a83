// SPDX-License-Identifier: MIT
/* `localvpc audit [--state-dir DIR | --from-aws-json DIR] [--vpc ID]
 * [--json]`: what the internet can reach (analyze/audit.h) and the seed's
 * anti-patterns, one line each.  Reads the state database read-only
 * (beside a running daemon), or a real account's describe-… output;
 * never the kernel.  Exit 0 no finding, 1 findings, 2 usage (or no such
 * VPC), 3 no state.
 *
 * --json prints (version 1; fields are only ever added):
 *   { "version": 1,
 *     "exposures": [ { "instance_id": string|null, "eni_id", "vpc_id",
 *                      "public_ip", "private_ip", "igw_id",
 *                      "protocol": "tcp"|"udp"|"icmp"|"<number>",
 *                      "from_port", "to_port",   tcp/udp ports; icmp: types;
 *                                                -1, -1 for other protocols
 *                      "sources": [ "a.b.c.d/n" … ],
 *                      "admitted_by": [ { "source", "except": [ CIDR … ],
 *                                         "group_id", "rule_id", "rule",
 *                                         "acl_rule_number": N|null } … ],
 *                                        (except: blocks of the source that
 *                                        the ACL decides otherwise, inbound
 *                                        or for the replies outbound)
 *                      "path": [ { "component_type", "component_id", "name",
 *                                  "direction": null|"ingress"|"egress",
 *                                  "allowed", "rule", "rule_id": null|"sgr-…",
 *                                  "acl_rule_number": null|N } … ] } … ],
 *     "findings": [ { "code", "severity": "high"|"medium"|"low",
 *                     "resource_id", "text", "fix" } … ] }
 * "path" is the forward path of a probe from the first source at
 * from_port, as `localvpc trace internet:IP ENI` shows it. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/audit.h"
#include "cli/cli.h"
#include "cli/snapshot_source.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/cidr.h"

static int usage(void)
{
	fprintf(stderr, "usage: localvpc audit [--state-dir DIR | --from-aws-json DIR] [--vpc ID] "
			"[--json]\n");
	return 2;
}

static const char *proto_name(int p, char out[8])
{
	if (p == 6)
		return "tcp";
	if (p == 17)
		return "udp";
	if (p == 1)
		return "icmp";
	snprintf(out, 8, "%d", p);
	return out;
}

static bool has_ports(int p)
{
	return p == 6 || p == 17 || p == 1;
}

/* The JSON is written as it goes, not built as a json-c tree: the audit
 * of a large VPC lists thousands of exposures, and building then freeing
 * the tree cost more than the audit (Measured: 0.7 s of 1.4 s for 8,000
 * exposures). */
static void js(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", stdout);
		else if (*c == '\t')
			fputs("\\t", stdout);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c); /* UTF-8 passes through */
	}
	putchar('"');
}

static void jkey(const char *k, bool first)
{
	printf("%s\"%s\": ", first ? "" : ", ", k);
}

static void jstr(const char *k, const char *v, bool first)
{
	jkey(k, first);
	js(v);
}

static void jint(const char *k, int v, bool is_null)
{
	jkey(k, false);
	if (is_null)
		fputs("null", stdout);
	else
		printf("%d", v);
}

static void jip(const char *k, uint32_t ip)
{
	char b[IP4_STR_MAX];
	jstr(k, ip4_format(ip, b), false);
}

static void print_exposure(const struct audit_exposure *x)
{
	char pb[8];
	printf("  {");
	jstr("instance_id", x->instance_id[0] ? x->instance_id : NULL, true);
	jstr("eni_id", x->eni_id, false);
	jstr("vpc_id", x->vpc_id, false);
	jip("public_ip", x->public_ip);
	jip("private_ip", x->private_ip);
	jstr("igw_id", x->igw_id, false);
	jstr("protocol", proto_name(x->protocol, pb), false);
	jint("from_port", has_ports(x->protocol) ? x->from_port : -1, false);
	jint("to_port", has_ports(x->protocol) ? x->to_port : -1, false);
	jkey("sources", false);
	putchar('[');
	for (size_t i = 0, n = 0; i < x->n_admits; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(x->admits[j].source, x->admits[i].source);
		if (seen)
			continue;
		fputs(n++ ? ", " : "", stdout);
		js(x->admits[i].source);
	}
	putchar(']');
	jkey("admitted_by", false);
	putchar('[');
	for (size_t i = 0; i < x->n_admits; i++) {
		const struct audit_admit *m = &x->admits[i];
		printf("%s{", i ? ", " : "");
		jstr("source", m->source, true);
		jkey("except", false);
		putchar('[');
		for (size_t j = 0; j < m->n_except; j++) {
			fputs(j ? ", " : "", stdout);
			js(m->except[j]);
		}
		putchar(']');
		jstr("group_id", m->group_id, false);
		jstr("rule_id", *m->rule_id ? m->rule_id : NULL, false);
		jstr("rule", m->rule, false);
		jint("acl_rule_number", m->acl_rule_number, m->acl_rule_number < 0);
		putchar('}');
	}
	putchar(']');
	jkey("path", false);
	putchar('[');
	for (size_t i = 0; i < x->n_path; i++) {
		const struct hop *h = &x->path[i];
		printf("%s{", i ? ", " : "");
		jstr("component_type", h->component_type, true);
		jstr("component_id", h->component_id, false);
		jstr("name", h->name ? h->name : "", false);
		jstr("direction", h->direction, false);
		jkey("allowed", false);
		fputs(h->allowed ? "true" : "false", stdout);
		jstr("rule", h->rule, false);
		jstr("rule_id", h->rule_id[0] ? h->rule_id : NULL, false);
		jint("acl_rule_number", h->acl_rule_number, h->acl_rule_number < 0);
		putchar('}');
	}
	printf("]}");
}

static void print_json(const struct audit_report *r)
{
	printf("{\"version\": 1,\n \"exposures\": [%s", r->n_exposures ? "\n" : "");
	for (size_t i = 0; i < r->n_exposures; i++) {
		print_exposure(&r->exposures[i]);
		printf("%s\n", i + 1 < r->n_exposures ? "," : "");
	}
	printf("%s],\n \"findings\": [%s", r->n_exposures ? " " : "", r->n_findings ? "\n" : "");
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct audit_finding *f = &r->findings[i];
		printf("  {");
		jstr("code", f->code, true);
		jstr("severity", audit_severity_name(f->severity), false);
		jstr("resource_id", f->resource_id, false);
		jstr("text", f->text, false);
		jstr("fix", f->fix, false);
		printf("}%s\n", i + 1 < r->n_findings ? "," : "");
	}
	printf("%s]}\n", r->n_findings ? " " : "");
}

/* "exposed i-… eni-… 198.18.0.5 tcp/22 from 192.0.2.1/32 (sg-… sgr-…, acl-… rule 100) via igw-…" */
static void print_text(const struct audit_report *r)
{
	char pb[8], ip[IP4_STR_MAX];
	for (size_t i = 0; i < r->n_exposures; i++) {
		const struct audit_exposure *x = &r->exposures[i];
		const char *acl = "";
		for (size_t h = 0; h < x->n_path && !*acl; h++)
			if (!strcmp(x->path[h].component_type, "AWS::EC2::NetworkAcl"))
				acl = x->path[h].component_id;
		printf("exposed %s %s %s ", x->instance_id[0] ? x->instance_id : "-", x->eni_id,
		       ip4_format(x->public_ip, ip));
		if (x->protocol == 1)
			printf(x->from_port == x->to_port ? "icmp type %d" : "icmp types %d-%d",
			       x->from_port, x->to_port);
		else if (has_ports(x->protocol))
			printf(x->from_port == x->to_port ? "%s/%d" : "%s/%d-%d",
			       proto_name(x->protocol, pb), x->from_port, x->to_port);
		else
			printf("protocol %d", x->protocol);
		printf(" from");
		for (size_t j = 0; j < x->n_admits; j++) {
			const struct audit_admit *m = &x->admits[j];
			printf("%s %s", j ? "," : "", m->source);
			for (size_t e = 0; e < m->n_except; e++)
				printf("%s%s", e ? ", " : " except ", m->except[e]);
			printf(" (%s %s", m->group_id, *m->rule_id ? m->rule_id : m->rule);
			if (m->acl_rule_number >= 0)
				printf(", %s rule %d", acl, m->acl_rule_number);
			printf(")");
		}
		printf(" via %s\n", x->igw_id);
	}
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct audit_finding *f = &r->findings[i];
		printf("finding %s %s %s: %s fix: %s\n", audit_severity_name(f->severity), f->code,
		       f->resource_id, f->text, f->fix);
	}
	printf("%zu exposure%s, %zu finding%s\n", r->n_exposures, r->n_exposures == 1 ? "" : "s",
	       r->n_findings, r->n_findings == 1 ? "" : "s");
}

int cli_audit(int argc, char **argv)
{
	struct snapshot_source src;
	snapshot_source_args(&argc, argv, &src);
	const char *vpc = NULL;
	bool json = false;
	int rc = 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--vpc") && i + 1 < argc)
			vpc = argv[++i];
		else
			return usage();
	}
	struct arena *a = arena_new();
	struct snapshot s;
	struct audit_report rep;
	if (snapshot_source_load(&src, "audit", a, &s) < 0) {
		rc = 3;
		goto out;
	}
	int r = audit_run(&s, vpc, a, &rep);
	if (r == -ENOENT) {
		fprintf(stderr, "localvpc audit: %s: no such VPC\n", vpc);
		goto out;
	}
	if (json)
		print_json(&rep);
	else
		print_text(&rep);
	rc = rep.n_findings ? 1 : 0;
out:
	arena_free(a);
	return rc;
}
