// SPDX-License-Identifier: MIT
/* Security groups and their rules (spec §7): allow-only, stateful, the union
 * of every group on an ENI.  Plain data; the API validates rules with the
 * functions below, compile/ and semantics/ read them.  Pure. */
#ifndef MODEL_SECURITY_GROUP_H
#define MODEL_SECURITY_GROUP_H
#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "util/cidr.h"

#define SG_PROTO_ALL -1
#define SG_NAME_MAX 255           /* SG-1 */
#define SG_RULES_PER_DIRECTION 60 /* SG-16, per address family */
#define SG_GROUPS_PER_ENI 5       /* SG-16 */

enum sg_peer_kind { SG_PEER_CIDR, SG_PEER_GROUP, SG_PEER_PREFIX_LIST };

struct sg_rule {
	char id[ID_MAX];             /* "sgr-…" */
	char group_id[ID_MAX];       /* the group that holds the rule */
	bool is_egress;
	int protocol;                /* SG_PROTO_ALL or an IANA number (6, 17, 1, …) */
	/* tcp/udp: the port range; icmp: type and code (-1 = all); other
	 * protocols and SG_PROTO_ALL: -1, -1 (every port, SG-8). */
	int from_port, to_port;
	enum sg_peer_kind peer;
	struct cidr cidr;            /* SG_PEER_CIDR */
	char ref_group_id[ID_MAX];   /* SG_PEER_GROUP */
	char ref_user_id[16];        /* SG_PEER_GROUP, "" = ours */
	char prefix_list_id[ID_MAX]; /* SG_PEER_PREFIX_LIST */
	const char *description;     /* never NULL */
};

struct security_group {
	struct res_head head;
	char vpc_id[ID_MAX];
	const char *name;
	const char *description;
	struct sg_rule *rules;       /* ingress and egress, creation order */
	size_t n_rules;
};

/* One rule as DescribeSecurityGroupRules lists it: the rule is a resource of
 * its own (sgr- ID in head.id, creation order, tags). */
struct sg_rule_entry {
	struct res_head head;
	struct sg_rule rule;
};

#define SG_PROTO_ICMP 1
#define SG_PROTO_TCP 6
#define SG_PROTO_UDP 17
#define SG_PROTO_NAME_MAX 8 /* "-1", "tcp", "255" + NUL */

/* SG-1: a group name or description, or a rule description: at most 255
 * characters from a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*.  0 or -EINVAL. */
int sg_text_check(const char *s);
/* SG-8: "tcp"/"udp"/"icmp" (any case), "all"/"-1", "icmpv6" or an IANA
 * number 0..255 (6, 17, 1 become tcp, udp, icmp).  0 or -EINVAL. */
int sg_protocol_parse(const char *s, int *ret);
/* The protocol as AWS shows it: "tcp", "udp", "icmp", "-1" or the number.
 * Returns out. */
const char *sg_protocol_name(int protocol, char out[SG_PROTO_NAME_MAX]);
/* True when the protocol has ports (tcp, udp) or a type and code (icmp). */
bool sg_protocol_has_ports(int protocol);
/* SG-8: checks and normalises the port range of a rule (has_from/has_to:
 * whether the request gave them).  tcp/udp: both needed, 0..65535, from ≤
 * to; icmp: type and code -1..255, type -1 forces code -1, absent = -1;
 * everything else: -1, -1 whatever was given.  Returns 0 and writes
 * *ret_from and *ret_to, or -EINVAL with *why (a static message). */
int sg_ports_normalise(int protocol, bool has_from, long from, bool has_to, long to,
		       int *ret_from, int *ret_to, const char **why);
/* SG-14: the same rule (direction, protocol, ports and peer; the
 * description and ID do not count). */
bool sg_rule_same(const struct sg_rule *a, const struct sg_rule *b);

#endif
