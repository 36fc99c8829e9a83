// SPDX-License-Identifier: MIT
/* Route-table semantics; see route.h.  Pure. */
#include "semantics/route.h"

#include <string.h>

#include "model/instance.h"
#include "model/snapshot.h"
#include "semantics/snap.h"

const struct route_table *sem_route_table_of_subnet(const struct snapshot *s,
						    const struct subnet *sn)
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

bool sem_route_is_local(const struct route *r)
{
	return r->target == ROUTE_LOCAL;
}

static enum sem_hop_kind blackhole(struct sem_next_hop *h, const char *why)
{
	h->kind = SEM_HOP_BLACKHOLE;
	h->why = why;
	return h->kind;
}

static bool instance_running(const struct snapshot *s, const char *id)
{
	const struct instance *in = sem_instance(s, id);
	return in && in->state == INSTANCE_RUNNING;
}

enum sem_hop_kind sem_route_resolve(const struct snapshot *s, const struct route_table *t,
				    const struct route *r, struct sem_next_hop *ret)
{
	const struct eni *e = NULL;
	memset(ret, 0, sizeof(*ret));
	switch (r->target) {
	case ROUTE_LOCAL:
		ret->kind = SEM_HOP_LOCAL;
		return ret->kind;
	case ROUTE_GATEWAY: {
		const struct igw *g = sem_igw_of_vpc(s, t->vpc_id);
		if (!g || strcmp(g->head.id, r->target_id))
			return blackhole(ret, "the internet gateway is not attached to this VPC");
		ret->kind = SEM_HOP_IGW;
		ret->igw = g;
		return ret->kind;
	}
	case ROUTE_INSTANCE:
		if (!instance_running(s, r->target_id))
			return blackhole(ret, "the instance is not running");
		e = sem_primary_eni(s, r->target_id);
		ret->kind = SEM_HOP_ENI;
		break;
	case ROUTE_NETWORK_INTERFACE:
		e = sem_eni(s, r->target_id);
		if (e && e->instance_id[0] && !instance_running(s, e->instance_id))
			return blackhole(ret, "the network interface's instance is not running");
		ret->kind = SEM_HOP_ENI;
		break;
	case ROUTE_NAT_GATEWAY: {
		const struct nat_gateway *g = sem_natgw(s, r->target_id);
		if (!g || g->state != NATGW_AVAILABLE || strcmp(g->vpc_id, t->vpc_id))
			return blackhole(ret, "the NAT gateway is not available");
		e = sem_eni(s, g->eni_id);
		ret->kind = SEM_HOP_NATGW;
		ret->natgw = g;
		break;
	}
	case ROUTE_VPC_PEERING: {
		/* Spec §13: only an active peering of this VPC carries traffic. */
		const struct peering *p = sem_pcx(s, r->target_id);
		const char *peer = p ? sem_pcx_peer(p, t->vpc_id) : NULL;
		if (!peer || !sem_vpc(s, peer))
			return blackhole(ret, "the peering connection is not active");
		ret->kind = SEM_HOP_PEERING;
		ret->pcx = p;
		ret->peer_vpc_id = peer;
		return ret->kind;
	}
	default:
		return blackhole(ret, "IPv6 targets are not supported");
	}
	if (!e || strcmp(e->vpc_id, t->vpc_id))
		return blackhole(ret, "the target's network interface is gone");
	ret->eni = e;
	return ret->kind;
}

const struct route *sem_route_lookup(const struct route_table *t, uint32_t dst)
{
	const struct route *best = NULL;
	for (size_t i = 0; i < t->n_routes; i++) {
		const struct route *r = &t->routes[i];
		if (!cidr_contains_ip(&r->dest, dst))
			continue;
		if (sem_route_is_local(r))
			return r; /* the routers consult table 200 first */
		if (!best || r->dest.len > best->dest.len)
			best = r;
	}
	return best;
}

const char *sem_route_state(const struct snapshot *s, const struct route_table *t,
			    const struct route *r)
{
	struct sem_next_hop h;
	return sem_route_resolve(s, t, r, &h) == SEM_HOP_BLACKHOLE ? "blackhole" : "active";
}
