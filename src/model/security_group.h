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

#endif
