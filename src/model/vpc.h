// SPDX-License-Identifier: MIT
/* VPCs and AWS's rules for their CIDR blocks (spec VPC-1..14).  Pure: no
 * I/O, no globals, no clock. */
#ifndef MODEL_VPC_H
#define MODEL_VPC_H
#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "util/cidr.h"

#define VPC_CIDR_MIN_LEN 16
#define VPC_CIDR_MAX_LEN 28

enum cidr_assoc_state {
	CIDR_ASSOCIATING,
	CIDR_ASSOCIATED,
	CIDR_DISASSOCIATING,
	CIDR_DISASSOCIATED,
	CIDR_FAILING,
	CIDR_FAILED,
	CIDR_ASSOC_STATE_COUNT
};

struct vpc_cidr_assoc {
	char id[ID_MAX]; /* vpc-cidr-assoc-… */
	struct cidr cidr;
	enum cidr_assoc_state state;
	bool is_primary;
};

struct vpc {
	struct res_head head;
	struct cidr cidr; /* the primary block */
	char dhcp_options_id[ID_MAX];
	const char *tenancy; /* "default" | "dedicated" | "host" */
	bool is_default;
	bool dns_support;   /* enableDnsSupport, default true */
	bool dns_hostnames; /* enableDnsHostnames, default false (true in the default VPC) */
	bool nau_metrics;   /* enableNetworkAddressUsageMetrics, default false */
	struct vpc_cidr_assoc *assocs; /* every block, primary first */
	size_t n_assocs;
};

const char *cidr_assoc_state_name(enum cidr_assoc_state s);
int cidr_assoc_state_parse(const char *s, enum cidr_assoc_state *ret);

/* VPC-1, VPC-2: /16../28 and never inside 169.254.0.0/16.  Returns 0 or
 * -ERANGE (InvalidVpc.Range). */
int vpc_cidr_check(const struct cidr *c);
/* VPC-5, VPC-7: may `add` join the blocks `have` (active blocks of the VPC)?
 * Returns 0, -ERANGE when the size or a range restriction refuses it,
 * -EEXIST when it overlaps a block already there. */
int vpc_cidr_check_additional(const struct cidr *have, size_t n_have, const struct cidr *add);
/* True when addr lies in one of the VPC's associated blocks. */
bool vpc_contains(const struct vpc *v, const struct cidr *c);

#endif
