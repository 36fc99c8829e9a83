// SPDX-License-Identifier: MIT
/* Snapshot lookups; see lookup.h.  Pure. */
#include "compile/lookup.h"

#include <string.h>

#include "model/instance.h"

const struct subnet *lookup_subnet(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_subnets; i++)
		if (!strcmp(s->subnets[i].head.id, id))
			return &s->subnets[i];
	return NULL;
}

const struct instance *lookup_instance(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_instances; i++)
		if (!strcmp(s->instances[i].head.id, id))
			return &s->instances[i];
	return NULL;
}

const struct igw *lookup_igw_of_vpc(const struct snapshot *s, const char *vpc_id)
{
	for (size_t i = 0; i < s->n_igws; i++)
		if (!strcmp(s->igws[i].vpc_id, vpc_id))
			return &s->igws[i];
	return NULL;
}

/* The route table a subnet uses (RT-2): its explicit association or the main.
 */
const struct route_table *lookup_rtb_of_subnet(const struct snapshot *s, const struct subnet *sn)
{
	const struct route_table *main = NULL;
	for (size_t i = 0; i < s->n_rtbs; i++) {
		const struct route_table *t = &s->rtbs[i];
		if (strcmp(t->vpc_id, sn->vpc_id))
			continue;
		for (size_t k = 0; k < t->n_assocs; k++) {
			if (!strcmp(t->assocs[k].subnet_id, sn->head.id))
				return t;
			if (t->assocs[k].is_main)
				main = t;
		}
	}
	return main;
}

/* An ENI is wired while it exists and its instance is not terminated. */
bool lookup_eni_wired(const struct snapshot *s, const struct eni *e)
{
	if (!e->instance_id[0])
		return true;
	const struct instance *in = lookup_instance(s, e->instance_id);
	return in && in->state != INSTANCE_TERMINATED;
}

const struct eni *lookup_primary_eni(const struct snapshot *s, const char *instance_id)
{
	for (size_t i = 0; i < s->n_enis; i++)
		if (!strcmp(s->enis[i].instance_id, instance_id) && s->enis[i].device_index == 0)
			return &s->enis[i];
	return NULL;
}

const struct eni *lookup_eni(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_enis; i++)
		if (!strcmp(s->enis[i].head.id, id))
			return &s->enis[i];
	return NULL;
}

const struct vpc *lookup_vpc(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_vpcs; i++)
		if (!strcmp(s->vpcs[i].head.id, id))
			return &s->vpcs[i];
	return NULL;
}

const struct nat_gateway *lookup_natgw(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_natgws; i++)
		if (!strcmp(s->natgws[i].head.id, id))
			return &s->natgws[i];
	return NULL;
}

const struct nat_gateway *lookup_natgw_of_eni(const struct snapshot *s, const struct eni *e)
{
	for (size_t i = 0; i < s->n_natgws; i++)
		if (s->natgws[i].state == NATGW_AVAILABLE && !strcmp(s->natgws[i].eni_id, e->head.id))
			return &s->natgws[i];
	return NULL;
}

const struct peering *lookup_pcx(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_pcxs; i++)
		if (!strcmp(s->pcxs[i].head.id, id))
			return &s->pcxs[i];
	return NULL;
}

const char *lookup_pcx_peer(const struct peering *p, const char *vpc_id)
{
	if (p->state != PCX_ACTIVE)
		return NULL;
	if (!strcmp(p->requester_vpc, vpc_id))
		return p->accepter_vpc;
	if (!strcmp(p->accepter_vpc, vpc_id))
		return p->requester_vpc;
	return NULL;
}

bool lookup_vpcs_peered(const struct snapshot *s, const char *a, const char *b)
{
	for (size_t i = 0; i < s->n_pcxs; i++) {
		const char *peer = lookup_pcx_peer(&s->pcxs[i], a);
		if (peer && !strcmp(peer, b))
			return true;
	}
	return false;
}
