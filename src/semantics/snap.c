// SPDX-License-Identifier: MIT
/* Snapshot lookups and the facts that decide a packet's fate; see snap.h.
 * Pure. */
#include "semantics/snap.h"

#include <string.h>

#include "model/instance.h"
#include "model/snapshot_index.h"

/* The element with that ID: a binary search when the snapshot has an
 * index (model/snapshot_index.h), else a scan — the same answer. */
#define FIND(arr, n, ord, id)                                                                  \
	do {                                                                                   \
		long i_ = snapshot_find_id((arr), sizeof(*(arr)), (n),                         \
					   s->index ? &s->index->ord : NULL, (id));            \
		return i_ < 0 ? NULL : &(arr)[i_];                                             \
	} while (0)

const struct vpc *sem_vpc(const struct snapshot *s, const char *id)
{
	FIND(s->vpcs, s->n_vpcs, vpcs, id);
}

const struct subnet *sem_subnet(const struct snapshot *s, const char *id)
{
	FIND(s->subnets, s->n_subnets, subnets, id);
}

const struct instance *sem_instance(const struct snapshot *s, const char *id)
{
	FIND(s->instances, s->n_instances, instances, id);
}

const struct eni *sem_eni(const struct snapshot *s, const char *id)
{
	FIND(s->enis, s->n_enis, enis, id);
}

const struct security_group *sem_group(const struct snapshot *s, const char *id)
{
	FIND(s->sgs, s->n_sgs, sgs, id);
}

const struct nat_gateway *sem_natgw(const struct snapshot *s, const char *id)
{
	FIND(s->natgws, s->n_natgws, natgws, id);
}

const struct peering *sem_pcx(const struct snapshot *s, const char *id)
{
	FIND(s->pcxs, s->n_pcxs, pcxs, id);
}

/* True when s's index still describes its ENI array. */
static bool eni_index_ok(const struct snapshot *s)
{
	return s->index && s->index->enis_by_instance.n == s->n_enis &&
	       s->index->enis_by_ip.n == s->n_enis;
}

const struct igw *sem_igw_of_vpc(const struct snapshot *s, const char *vpc_id)
{
	for (size_t i = 0; i < s->n_igws; i++)
		if (!strcmp(s->igws[i].vpc_id, vpc_id))
			return &s->igws[i];
	return NULL;
}

const struct eni *sem_primary_eni(const struct snapshot *s, const char *instance_id)
{
	if (eni_index_ok(s)) {
		size_t first, n = snapshot_enis_of_instance(s, instance_id, &first);
		for (size_t k = first; k < first + n; k++)
			if (s->enis[s->index->enis_by_instance.pos[k]].device_index == 0)
				return &s->enis[s->index->enis_by_instance.pos[k]];
		return NULL;
	}
	for (size_t i = 0; i < s->n_enis; i++)
		if (!strcmp(s->enis[i].instance_id, instance_id) && s->enis[i].device_index == 0)
			return &s->enis[i];
	return NULL;
}

const struct eni *sem_eni_by_ip(const struct snapshot *s, uint32_t ip)
{
	if (eni_index_ok(s)) {
		size_t first, n = snapshot_enis_with_ip(s, ip, &first);
		return n ? &s->enis[s->index->enis_by_ip.pos[first]] : NULL;
	}
	for (size_t i = 0; i < s->n_enis; i++)
		if (s->enis[i].private_ip == ip)
			return &s->enis[i];
	return NULL;
}

const struct eni *sem_eni_by_public_ip(const struct snapshot *s, uint32_t ip)
{
	for (size_t i = 0; ip && i < s->n_enis; i++)
		if (s->enis[i].public_ip == ip && sem_eni_alive(s, &s->enis[i]))
			return &s->enis[i];
	return NULL;
}

const struct vpc *sem_vpc_of_ip(const struct snapshot *s, uint32_t ip)
{
	for (size_t i = 0; i < s->n_vpcs; i++)
		for (size_t k = 0; k < s->vpcs[i].n_assocs; k++)
			if (s->vpcs[i].assocs[k].state == CIDR_ASSOCIATED &&
			    cidr_contains_ip(&s->vpcs[i].assocs[k].cidr, ip))
				return &s->vpcs[i];
	return NULL;
}

bool sem_eni_is_natgw(const struct eni *e)
{
	return e->interface_type && !strcmp(e->interface_type, "nat_gateway");
}

bool sem_eni_has_groups(const struct eni *e)
{
	return !e->interface_type || !strcmp(e->interface_type, "interface");
}

const struct nat_gateway *sem_natgw_of_eni(const struct snapshot *s, const struct eni *e)
{
	for (size_t i = 0; i < s->n_natgws; i++)
		if (s->natgws[i].state == NATGW_AVAILABLE && !strcmp(s->natgws[i].eni_id, e->head.id))
			return &s->natgws[i];
	return NULL;
}

bool sem_eni_alive(const struct snapshot *s, const struct eni *e)
{
	if (!e->instance_id[0])
		return true;
	const struct instance *in = sem_instance(s, e->instance_id);
	return in && in->state != INSTANCE_TERMINATED;
}

bool sem_eni_wired(const struct snapshot *s, const struct eni *e)
{
	if (e->instance_id[0])
		return sem_eni_alive(s, e);
	return sem_natgw_of_eni(s, e) != NULL;
}

bool sem_eni_running(const struct snapshot *s, const struct eni *e)
{
	if (!e->instance_id[0])
		return sem_eni_wired(s, e);
	const struct instance *in = sem_instance(s, e->instance_id);
	return in && in->state == INSTANCE_RUNNING;
}

bool sem_eni_checks_src_dst(const struct eni *e)
{
	return e->source_dest_check;
}

uint32_t sem_eni_public_ip(const struct snapshot *s, const struct eni *e)
{
	return sem_eni_wired(s, e) ? e->public_ip : 0;
}

const char *sem_pcx_peer(const struct peering *p, const char *vpc_id)
{
	if (p->state != PCX_ACTIVE)
		return NULL;
	if (!strcmp(p->requester_vpc, vpc_id))
		return p->accepter_vpc;
	if (!strcmp(p->accepter_vpc, vpc_id))
		return p->requester_vpc;
	return NULL;
}

const struct peering *sem_pcx_between(const struct snapshot *s, const char *a, const char *b)
{
	for (size_t i = 0; i < s->n_pcxs; i++) {
		const char *peer = sem_pcx_peer(&s->pcxs[i], a);
		if (peer && !strcmp(peer, b))
			return &s->pcxs[i];
	}
	return NULL;
}

bool sem_vpcs_peered(const struct snapshot *s, const char *a, const char *b)
{
	return sem_pcx_between(s, a, b) != NULL;
}

bool sem_is_link_local(uint32_t ip)
{
	return (ip & 0xffff0000u) == 0xa9fe0000u;
}

bool sem_is_private_space(uint32_t ip)
{
	return (ip & 0xff000000u) == 0x0a000000u || (ip & 0xffc00000u) == 0x64400000u ||
	       (ip & 0xfff00000u) == 0xac100000u || (ip & 0xffff0000u) == 0xc0a80000u;
}
