// SPDX-License-Identifier: MIT
/* Everything the data plane is derived from, read in one transaction: the
 * input of compile/ (which must not read the store itself). */
#ifndef MODEL_SNAPSHOT_H
#define MODEL_SNAPSHOT_H
#include <stddef.h>

#include "model/flow_log.h"
#include "model/igw.h"
#include "model/instance.h"
#include "model/nat_gateway.h"
#include "model/network_acl.h"
#include "model/peering.h"
#include "model/pushed_key.h"
#include "model/route_table.h"
#include "model/security_group.h"
#include "model/subnet.h"
#include "model/vpc.h"

struct snapshot_index;

struct snapshot {
	struct vpc *vpcs;
	size_t n_vpcs;
	struct subnet *subnets;
	size_t n_subnets;
	struct route_table *rtbs; /* with routes and associations */
	size_t n_rtbs;
	struct igw *igws;
	size_t n_igws;
	struct instance *instances; /* with their primary ENI */
	size_t n_instances;
	struct eni *enis;
	size_t n_enis;
	struct security_group *sgs; /* with their rules */
	size_t n_sgs;
	struct network_acl *nacls; /* with entries and associations */
	size_t n_nacls;
	struct nat_gateway *natgws; /* deleted ones too */
	size_t n_natgws;
	struct peering *pcxs;      /* ended ones too */
	size_t n_pcxs;
	struct pushed_key *pushed_keys; /* Instance Connect; by instance, expired ones too */
	size_t n_pushed_keys;
	struct flow_log *flow_logs; /* every flow log, in creation order */
	size_t n_flow_logs;
	/* Sorted lookups (model/snapshot_index.h), or NULL: scan. */
	const struct snapshot_index *index;
};

#endif
