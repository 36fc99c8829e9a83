// SPDX-License-Identifier: MIT
/* Reachability analysis (issue 8): what happens to one packet from A to B,
 * hop by hop, derived from semantics/ — the same module the nftables
 * compiler derives its rules from.  Pure: a snapshot in, a verdict out; no
 * store, no kernel, no clock.  Used by the CLI (trace, audit), by the API
 * (Network Insights) and by the offline importer (--from-aws-json). */
#ifndef ANALYZE_ANALYZE_H
#define ANALYZE_ANALYZE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/resource.h"

struct arena;
struct snapshot;

enum endpoint_kind {
	EP_INSTANCE, /* id: "i-…" (its primary ENI) */
	EP_ENI,      /* id: "eni-…" */
	EP_IP,       /* ip: an address; inside a VPC it names that ENI */
	EP_INTERNET, /* ip: the internet host (0 = 203.0.113.10) */
	EP_IGW,      /* id: "igw-…" — a Network Insights source/destination */
};

struct endpoint {
	enum endpoint_kind kind;
	char id[ID_MAX];
	uint32_t ip; /* host byte order */
};

struct probe {
	struct endpoint src, dst;
	int protocol;  /* 6, 17, 1 */
	int port;      /* destination port; for ICMP the type (-1 = echo) */
	int src_port;  /* 0 = an ephemeral port (49152) */
};

/* One component a packet meets.  component_type is AWS's resource type
 * name ("AWS::EC2::SecurityGroup", "AWS::EC2::NetworkAcl",
 * "AWS::EC2::RouteTable", "AWS::EC2::InternetGateway",
 * "AWS::EC2::NatGateway", "AWS::EC2::Instance",
 * "AWS::EC2::NetworkInterface", "AWS::EC2::VpcPeeringConnection",
 * "AWS::EC2::Subnet"). */
struct hop {
	const char *component_type;
	char component_id[ID_MAX];
	bool allowed;          /* false: the packet stops here */
	const char *rule;      /* the deciding rule in words ("rule 100 allow",
				* "ingress tcp 22 from sg-…", "0.0.0.0/0 → igw-…"),
				* never NULL */
	char rule_id[ID_MAX];  /* sgr-… when a security-group rule decided */
	int acl_rule_number;   /* the ACL entry that decided, -1 if none */
	/* The packet as it leaves this hop (NAT changes it). */
	uint32_t src_ip, dst_ip;
	int src_port, dst_port;
	/* Added by analyze.c: */
	const char *name;      /* the component's Name tag or group name, "" if none */
	const char *direction; /* "ingress" | "egress" | NULL (SGs and ACLs) */
	int protocol;          /* of the packet (6, 17, 1) */
};

/* Why not (AWS's Explanation): code is AWS's ExplanationCode, e.g.
 * "ENI_SG_RULES_MISMATCH", "SUBNET_ACL_RESTRICTION", "NO_ROUTE_TO_DESTINATION",
 * "BAD_STATE_ROUTE", "IGW_NOT_ATTACHED", "NO_PUBLIC_IP" … */
struct explanation {
	const char *code;
	const char *component_type;
	char component_id[ID_MAX];
	const char *direction; /* "ingress" | "egress" | NULL */
	char eni_id[ID_MAX];   /* the interface whose groups decided, or "" */
	const char *text;      /* one sentence for people */
	bool is_return;        /* found on the return path (replies) */
	const char *suggestion; /* the smallest change that clears this one, or NULL */
};

struct analysis {
	bool found;                  /* NetworkPathFound */
	struct hop *fwd;             /* ForwardPathComponents */
	size_t n_fwd;
	struct hop *ret;             /* ReturnPathComponents (when the forward path
				      * got through: the replies' path, also
				      * when a return hop stops them) */
	size_t n_ret;
	struct explanation *why;     /* Explanations (only when not found) */
	size_t n_why;
	const char *suggestion;      /* the smallest change that would allow it, or NULL */
	/* Added by analyze.c: assumptions the verdict rests on (e.g. that a NAT
	 * instance translates), "" separated by "; ", never NULL. */
	const char *notes;
};

/* Analyses p over s.  Returns 0, or -ENOENT when an endpoint does not
 * exist, -EINVAL when the probe makes no sense; everything on a. */
int analyze_path(const struct snapshot *s, const struct probe *p, struct arena *a,
		 struct analysis *ret);

/* The emulated internet host used when a probe names "internet" with no
 * address: 203.0.113.10 (TEST-NET-3). */
#define ANALYZE_INTERNET_IP 0xcb00710au
#define ANALYZE_EPHEMERAL_PORT 49152

/* Parses what a person types for FROM or TO: an instance ID, an ENI ID,
 * an IPv4 address, the Name tag of an instance, "internet" or
 * "internet:IP".  Returns 0, -ENOENT when nothing in s has that name or
 * ID, -EINVAL when it is malformed, -EEXIST when a Name is ambiguous. */
int analyze_endpoint_parse(const struct snapshot *s, const char *text, struct endpoint *ret);

/* The analysis as a JSON document (see analyze/json.c for its shape);
 * returns a string on a. */
const char *analyze_json(const struct analysis *an, const struct probe *p, struct arena *a);

#endif
