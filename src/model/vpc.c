// SPDX-License-Identifier: MIT
/* AWS's VPC CIDR rules; see vpc.h.  Pure. */
#include "model/vpc.h"

#include <errno.h>
#include <string.h>

static const char *const state_names[CIDR_ASSOC_STATE_COUNT] = {
	[CIDR_ASSOCIATING] = "associating",   [CIDR_ASSOCIATED] = "associated",
	[CIDR_DISASSOCIATING] = "disassociating", [CIDR_DISASSOCIATED] = "disassociated",
	[CIDR_FAILING] = "failing",           [CIDR_FAILED] = "failed",
};

const char *cidr_assoc_state_name(enum cidr_assoc_state s)
{
	return s < CIDR_ASSOC_STATE_COUNT ? state_names[s] : "failed";
}

int cidr_assoc_state_parse(const char *s, enum cidr_assoc_state *ret)
{
	for (int i = 0; i < CIDR_ASSOC_STATE_COUNT; i++) {
		if (strcmp(s, state_names[i]) == 0) {
			*ret = (enum cidr_assoc_state)i;
			return 0;
		}
	}
	return -EINVAL;
}

static bool in(const struct cidr *c, const char *net)
{
	struct cidr n;
	if (cidr_parse(net, &n) < 0)
		return false;
	return cidr_overlaps(c, &n);
}

int vpc_cidr_check(const struct cidr *c)
{
	if (c->len < VPC_CIDR_MIN_LEN || c->len > VPC_CIDR_MAX_LEN)
		return -ERANGE;
	if (in(c, "169.254.0.0/16")) /* AWS VPC-2: link-local never */
		return -ERANGE;
	return 0;
}

/* Which RFC 1918 range a block lies in: 1, 2, 3, or 0 for none. */
static int rfc1918(const struct cidr *c)
{
	static const char *const nets[] = { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16" };
	for (int i = 0; i < 3; i++) {
		struct cidr n;
		if (cidr_parse(nets[i], &n) == 0 && cidr_contains(&n, c))
			return i + 1;
	}
	return 0;
}

int vpc_cidr_check_additional(const struct cidr *have, size_t n_have, const struct cidr *add)
{
	int r = vpc_cidr_check(add);
	if (r < 0)
		return r;
	int add_range = rfc1918(add);
	for (size_t i = 0; i < n_have; i++) {
		if (cidr_overlaps(&have[i], add))
			return -EEXIST;
		int have_range = rfc1918(&have[i]);
		/* AWS VPC-7: RFC 1918 blocks may not mix ranges. */
		if (add_range && have_range && add_range != have_range)
			return -ERANGE;
		/* 198.19.0.0/16 never combines with RFC 1918 blocks. */
		if ((in(add, "198.19.0.0/16") && have_range) ||
		    (in(&have[i], "198.19.0.0/16") && add_range))
			return -ERANGE;
		/* A 172.16.0.0/12 primary cannot add from 172.31.0.0/16. */
		if (i == 0 && have_range == 2 && in(add, "172.31.0.0/16"))
			return -ERANGE;
		/* Any block in 10.0.0.0/15 forbids anything from 10.0.0.0/16. */
		struct cidr ten15;
		if (cidr_parse("10.0.0.0/15", &ten15) == 0 && cidr_contains(&ten15, &have[i]) &&
		    in(add, "10.0.0.0/16"))
			return -ERANGE;
	}
	return 0;
}

bool vpc_contains(const struct vpc *v, const struct cidr *c)
{
	for (size_t i = 0; i < v->n_assocs; i++) {
		if (v->assocs[i].state == CIDR_ASSOCIATED && cidr_contains(&v->assocs[i].cidr, c))
			return true;
	}
	return false;
}
