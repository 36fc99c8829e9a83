// SPDX-License-Identifier: MIT
/* The exposure audit (issue 8): every (interface, protocol, port range)
 * that something on the internet can reach, with what admits it, and the
 * seed articles' anti-patterns as findings with stable codes.  Pure: a
 * snapshot in, a report out; no store, no kernel, no clock.
 *
 * How it stays fast (10,000 ENIs, 50,000 rules in well under a second):
 * the reachable port ranges of each ENI are computed as intervals from
 * semantics/ — its groups' flattened ingress entries (once per group),
 * cut by its subnet's ACL in rule order — and analyze_path() runs
 * only to confirm each range found and to give its hop-by-hop path, over
 * a snapshot cut down to what a flow from the internet to that ENI can
 * meet (see audit_exposure.c), so one confirmation costs microseconds. */
#ifndef ANALYZE_AUDIT_H
#define ANALYZE_AUDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/resource.h"

struct arena;
struct hop;
struct sg_rule;
struct snapshot;

/* What admits one source of an exposure. */
struct audit_admit {
	const char *source;     /* the internet CIDR, "a.b.c.d/n" */
	const char **except;    /* blocks of it the inbound ACL decides apart
				 * (see their own admits, if any) */
	size_t n_except;
	const char *group_id;   /* the group whose rule admits it */
	const char *rule_id;    /* sgr-…, "" when the rule has none (imported) */
	const char *rule;       /* the rule in words (sem_sg_rule_text) */
	int acl_rule_number;    /* the inbound ACL entry that allows it, -1 none */
	const struct sg_rule *sg_rule; /* borrowed from the snapshot */
};

struct audit_exposure {
	char instance_id[ID_MAX]; /* "" for an interface without an instance */
	char eni_id[ID_MAX];
	char vpc_id[ID_MAX];
	char igw_id[ID_MAX];      /* the internet gateway it is reached through */
	uint32_t public_ip, private_ip;
	int protocol;             /* 6, 17, 1, or another IANA number */
	int from_port, to_port;   /* tcp/udp ports; icmp: types; others 0..65535 */
	struct audit_admit *admits; /* one per source, in rule order */
	size_t n_admits;
	const struct hop *path;   /* analyze_path()'s forward hops for the
				   * first source at from_port */
	size_t n_path;
};

enum audit_severity { AUDIT_LOW, AUDIT_MEDIUM, AUDIT_HIGH };

/* Stable finding codes (never renamed; new ones are only added):
 *   SSH_OPEN_TO_WORLD       tcp/22 admitted from 0.0.0.0/0 on a reachable instance
 *   RDP_OPEN_TO_WORLD       tcp/3389 likewise
 *   PRIVATE_NOT_VIA_BASTION an instance without a public IP admits SSH (or RDP)
 *                           from a CIDR, or from a group with members that are
 *                           not bastions and face the internet or a peered VPC
 *   NAT_SOURCE_DEST_CHECK   a route points at an instance or interface whose
 *                           source/destination check is on (it drops what it
 *                           would forward)
 *   SINGLE_BASTION_AZ       private subnets in two or more AZs, bastions in one
 *   GROUP_SPOOFABLE         an instance with its source/destination check off
 *                           shares a VPC with a group that a rule admits over
 *                           anything but TCP: it can send from a member's
 *                           address and pass (checklist 34) */
struct audit_finding {
	const char *code;
	enum audit_severity severity;
	char resource_id[ID_MAX]; /* what to change: a group, an instance, a VPC */
	const char *text;         /* one sentence for people */
	const char *fix;          /* the change, with the aws CLI command */
};

struct audit_report {
	struct audit_exposure *exposures; /* by VPC, interface, protocol, port */
	size_t n_exposures;
	struct audit_finding *findings;   /* by severity (high first), code, resource */
	size_t n_findings;
};

/* Audits s (only VPC vpc_id when not NULL; -ENOENT when there is no such
 * VPC).  Returns 0 with *ret filled; everything lives on a. */
int audit_run(const struct snapshot *s, const char *vpc_id, struct arena *a,
	      struct audit_report *ret);

/* "high", "medium", "low". */
const char *audit_severity_name(enum audit_severity v);

#endif
