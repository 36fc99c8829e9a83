// SPDX-License-Identifier: MIT
/* What an ENI's security groups admit (spec §7): the union of every rule
 * of every group on the ENI, per direction, flattened so each entry is one
 * peer prefix and one protocol with its ports (or ICMP type and code).  A
 * group reference becomes the private /32 of every ENI that carries the
 * group in this VPC or an actively peered one (SG-9, SG-10); a group that
 * is gone leaves its rule matching nothing (SG-11); prefix lists and IPv6
 * rules match nothing (IPv6 is refused end to end).  The nftables compiler
 * turns these entries into set elements; the analyzer evaluates packets
 * against them with sem_sg_allows().  Pure. */
#ifndef SEMANTICS_SG_H
#define SEMANTICS_SG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cidr.h"

struct arena;
struct eni;
struct security_group;
struct sg_rule;
struct snapshot;

enum sem_sg_kind {
	SEM_SG_L4,   /* protocols proto_lo..proto_hi, ports lo..hi (every port for
		      * protocols without ports) */
	SEM_SG_ICMP, /* ICMP type lo_type, codes lo..hi */
};

/* One flattened allow: a packet whose peer address is in peer (or, for a
 * group reference, belongs to a member of peer_group) and whose protocol
 * and port (type, code) fall in the ranges is admitted. */
struct sem_sg_entry {
	enum sem_sg_kind kind;
	struct cidr peer;            /* when peer_group is NULL */
	/* SG-9/10: a group reference, not expanded: the peer is any ENI
	 * carrying this group in the rules' VPC or one actively peered with
	 * it (sem_sg_member()).  Expanding it to member /32s would cost
	 * members × ENIs elements — a million with 1,000 instances in the
	 * default group; the compiler keys these entries by the peer's
	 * group set instead. */
	const char *peer_group;
	uint32_t proto_lo, proto_hi; /* SEM_SG_L4: protocol range (0..255 = all) */
	uint32_t icmp_type;          /* SEM_SG_ICMP */
	uint32_t lo, hi;             /* port range, or ICMP code range */
	const struct sg_rule *rule;  /* the rule it comes from (borrowed from s) */
	const struct security_group *group;
};

/* SG-21: flows of protocol p to ports lo..hi (at the receiving end for
 * ingress, the sending end for egress) that AWS does not track. */
struct sem_sg_untracked {
	uint32_t protocol;
	uint32_t lo, hi;
	const struct sg_rule *rule;
};

struct sem_sg_rules {
	const struct snapshot *s;    /* what group references are resolved in */
	const char *vpc_id;          /* the ENI's VPC */
	struct sem_sg_entry *v;
	size_t n;
	struct sem_sg_untracked *untracked;
	size_t n_untracked;
};

/* The flattened rules of e's groups in one direction, in group order then
 * rule order (arena-allocated, borrowing from s).  A NAT gateway's ENI has
 * no groups: empty. */
void sem_sg_flatten(struct arena *a, const struct snapshot *s, const struct eni *e,
		    bool is_egress, struct sem_sg_rules *ret);

/* The first entry of r that admits a new flow with this peer address,
 * protocol and destination port (ICMP: type and code), or NULL when no
 * rule admits it (AWS: allow-only, an unmatched flow is dropped). */
const struct sem_sg_entry *sem_sg_allows(const struct sem_sg_rules *r, uint32_t peer_ip,
					 int protocol, int port, int icmp_code);

/* SG-9/10: true when the ENI e is a member of group for rules of VPC
 * vpc_id: it carries the group, in that VPC or one actively peered with
 * it.  A group that is gone has no members (SG-11). */
bool sem_sg_member(const struct snapshot *s, const char *vpc_id, const struct eni *e,
		   const char *group);

/* SG-21: true when a flow of protocol/port would be untracked at this end
 * in this direction. */
bool sem_sg_untracked(const struct sem_sg_rules *r, int protocol, int port);

/* One rule in words, as the trace prints it after its direction:
 * "tcp/22 from sg-0123…", "all traffic to 0.0.0.0/0".  Arena string. */
const char *sem_sg_rule_text(struct arena *a, const struct sg_rule *r);

#endif
