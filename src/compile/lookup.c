// SPDX-License-Identifier: MIT
/* Snapshot lookups; see lookup.h.  Every decision (which table, which ENI
 * is wired, which peering is active) is semantics/'s; these only name
 * them for compile/'s files.  Pure. */
#include "compile/lookup.h"

#include "semantics/route.h"
#include "semantics/snap.h"

const struct subnet *lookup_subnet(const struct snapshot *s, const char *id)
{
	return sem_subnet(s, id);
}

const struct instance *lookup_instance(const struct snapshot *s, const char *id)
{
	return sem_instance(s, id);
}

const struct igw *lookup_igw_of_vpc(const struct snapshot *s, const char *vpc_id)
{
	return sem_igw_of_vpc(s, vpc_id);
}

const struct route_table *lookup_rtb_of_subnet(const struct snapshot *s, const struct subnet *sn)
{
	return sem_route_table_of_subnet(s, sn);
}

bool lookup_eni_wired(const struct snapshot *s, const struct eni *e)
{
	return sem_eni_alive(s, e);
}

const struct eni *lookup_primary_eni(const struct snapshot *s, const char *instance_id)
{
	return sem_primary_eni(s, instance_id);
}

const struct eni *lookup_eni(const struct snapshot *s, const char *id)
{
	return sem_eni(s, id);
}

const struct vpc *lookup_vpc(const struct snapshot *s, const char *id)
{
	return sem_vpc(s, id);
}

const struct nat_gateway *lookup_natgw(const struct snapshot *s, const char *id)
{
	return sem_natgw(s, id);
}

const struct nat_gateway *lookup_natgw_of_eni(const struct snapshot *s, const struct eni *e)
{
	return sem_natgw_of_eni(s, e);
}

const struct peering *lookup_pcx(const struct snapshot *s, const char *id)
{
	return sem_pcx(s, id);
}

const char *lookup_pcx_peer(const struct peering *p, const char *vpc_id)
{
	return sem_pcx_peer(p, vpc_id);
}

bool lookup_vpcs_peered(const struct snapshot *s, const char *a, const char *b)
{
	return sem_vpcs_peered(s, a, b);
}
