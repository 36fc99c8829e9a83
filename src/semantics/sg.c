// SPDX-License-Identifier: MIT
/* Security groups, flattened and evaluated; see sg.h.  The one statement
 * of SG-8..11 and SG-21 in the tree: compile/sg.c emits these entries as
 * nftables elements, analyze/ matches packets against them.  Pure. */
#include "semantics/sg.h"

#include <stdio.h>
#include <string.h>

#include "model/instance.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "model/snapshot_index.h"
#include "semantics/snap.h"
#include "util/arena.h"

#define PROTO_ICMPV6 58

struct acc {
	struct arena *a;
	struct sem_sg_rules *r;
	size_t cap, cap_untracked;
};

static bool eni_has_group(const struct eni *e, const char *id)
{
	for (size_t i = 0; i < e->n_groups; i++)
		if (!strcmp(e->group_ids[i], id))
			return true;
	return false;
}

static void push(struct acc *c, const struct sem_sg_entry *x)
{
	ARENA_RESERVE(c->a, c->r->v, c->r->n, c->cap);
	c->r->v[c->r->n++] = *x;
}

/* One rule's match on protocol and ports (SG-8) for one peer prefix:
 * -1 is every protocol and port; tcp/udp a port range; icmp a type and
 * code (-1 all); any other number every port. */
static void rule_entry(struct acc *c, const struct security_group *g, const struct sg_rule *r,
		       struct cidr peer, const char *peer_group)
{
	struct sem_sg_entry x = { .kind = SEM_SG_L4, .peer = peer, .peer_group = peer_group,
				  .rule = r, .group = g };
	if (r->protocol == SG_PROTO_ALL) {
		x.proto_lo = 0;
		x.proto_hi = 255;
		x.lo = 0;
		x.hi = 65535;
	} else if (r->protocol == SG_PROTO_TCP || r->protocol == SG_PROTO_UDP) {
		x.proto_lo = x.proto_hi = (uint32_t)r->protocol;
		x.lo = (uint32_t)r->from_port;
		x.hi = (uint32_t)r->to_port;
	} else if (r->protocol == SG_PROTO_ICMP && r->from_port < 0) {
		x.proto_lo = x.proto_hi = SG_PROTO_ICMP;
		x.lo = 0;
		x.hi = 65535;
	} else if (r->protocol == SG_PROTO_ICMP) {
		x.kind = SEM_SG_ICMP;
		x.icmp_type = (uint32_t)r->from_port;
		x.lo = r->to_port < 0 ? 0 : (uint32_t)r->to_port;
		x.hi = r->to_port < 0 ? 255 : (uint32_t)r->to_port;
	} else if (r->protocol > 0 && r->protocol < 256) {
		x.proto_lo = x.proto_hi = (uint32_t)r->protocol;
		x.lo = 0;
		x.hi = 65535;
	} else {
		return;
	}
	push(c, &x);
}

/* A rule's peer: its CIDR, or the referenced group itself (SG-9, SG-10;
 * a group that is gone leaves a stale rule matching nothing, SG-11).
 * Prefix lists are not served yet: nothing. */
static void rule_entries(struct acc *c, const struct snapshot *s, const struct security_group *g,
			 const struct sg_rule *r)
{
	if (r->protocol == PROTO_ICMPV6)
		return; /* IPv6 is refused end to end */
	if (r->peer == SG_PEER_CIDR)
		rule_entry(c, g, r, r->cidr, NULL);
	else if (r->peer == SG_PEER_GROUP && sem_group(s, r->ref_group_id))
		rule_entry(c, g, r, (struct cidr){ 0 }, r->ref_group_id);
}

bool sem_sg_member(const struct snapshot *s, const char *vpc_id, const struct eni *e,
		   const char *group)
{
	return sem_group(s, group) && eni_has_group(e, group) &&
	       (!strcmp(e->vpc_id, vpc_id) || sem_vpcs_peered(s, e->vpc_id, vpc_id));
}

/* Whether peer_ip is the private address of a member of group. */
static bool ip_in_group(const struct sem_sg_rules *r, uint32_t peer_ip, const char *group)
{
	const struct snapshot *s = r->s;
	if (s->index && s->index->enis_by_ip.n == s->n_enis) {
		size_t first, n = snapshot_enis_with_ip(s, peer_ip, &first);
		for (size_t k = first; k < first + n; k++)
			if (sem_sg_member(s, r->vpc_id, &s->enis[s->index->enis_by_ip.pos[k]], group))
				return true;
		return false;
	}
	for (size_t i = 0; i < r->s->n_enis; i++) {
		const struct eni *e = &r->s->enis[i];
		if (e->private_ip == peer_ip && sem_sg_member(r->s, r->vpc_id, e, group))
			return true;
	}
	return false;
}

static bool is_anywhere(const struct sg_rule *r)
{
	return r->peer == SG_PEER_CIDR && r->cidr.len == 0;
}

/* SG-21: a rule of the other direction that lets every address answer on
 * every port of protocol p. */
static bool other_side_open(const struct snapshot *s, const struct eni *e, bool is_egress, int p)
{
	for (size_t gi = 0; gi < e->n_groups; gi++) {
		const struct security_group *g = sem_group(s, e->group_ids[gi]);
		for (size_t k = 0; g && k < g->n_rules; k++) {
			const struct sg_rule *r = &g->rules[k];
			if (r->is_egress == is_egress || !is_anywhere(r))
				continue;
			if (r->protocol == SG_PROTO_ALL ||
			    (r->protocol == p && r->from_port == 0 && r->to_port == 65535))
				return true;
		}
	}
	return false;
}

/* SG-21: TCP and UDP flows that a rule allows from (or to) every address,
 * with the other direction open to every address on every port, are not
 * tracked.  ICMP always is. */
static void untracked(struct acc *c, const struct snapshot *s, const struct eni *e,
		      const struct sg_rule *r)
{
	static const int l4[] = { SG_PROTO_TCP, SG_PROTO_UDP };
	if (!is_anywhere(r))
		return;
	for (size_t i = 0; i < 2; i++) {
		int p = l4[i];
		if (r->protocol != SG_PROTO_ALL && r->protocol != p)
			continue;
		if (!other_side_open(s, e, r->is_egress, p))
			continue;
		ARENA_RESERVE(c->a, c->r->untracked, c->r->n_untracked, c->cap_untracked);
		c->r->untracked[c->r->n_untracked++] = (struct sem_sg_untracked){
			.protocol = (uint32_t)p,
			.lo = r->protocol == SG_PROTO_ALL ? 0 : (uint32_t)r->from_port,
			.hi = r->protocol == SG_PROTO_ALL ? 65535 : (uint32_t)r->to_port,
			.rule = r,
		};
	}
}

void sem_sg_flatten(struct arena *a, const struct snapshot *s, const struct eni *e,
		    bool is_egress, struct sem_sg_rules *ret)
{
	struct acc c = { .a = a, .r = ret };
	memset(ret, 0, sizeof(*ret));
	ret->s = s;
	ret->vpc_id = e->vpc_id;
	if (!sem_eni_has_groups(e))
		return;
	for (size_t gi = 0; gi < e->n_groups; gi++) {
		const struct security_group *g = sem_group(s, e->group_ids[gi]);
		for (size_t k = 0; g && k < g->n_rules; k++) {
			const struct sg_rule *r = &g->rules[k];
			if (r->is_egress != is_egress)
				continue;
			rule_entries(&c, s, g, r);
			untracked(&c, s, e, r);
		}
	}
}

const struct sem_sg_entry *sem_sg_allows(const struct sem_sg_rules *r, uint32_t peer_ip,
					 int protocol, int port, int icmp_code)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct sem_sg_entry *x = &r->v[i];
		if (x->peer_group ? !ip_in_group(r, peer_ip, x->peer_group)
				  : !cidr_contains_ip(&x->peer, peer_ip))
			continue;
		if (x->kind == SEM_SG_ICMP) {
			if (protocol == SG_PROTO_ICMP && port >= 0 && (uint32_t)port == x->icmp_type &&
			    icmp_code >= 0 && (uint32_t)icmp_code >= x->lo &&
			    (uint32_t)icmp_code <= x->hi)
				return x;
			continue;
		}
		if (protocol < 0 || (uint32_t)protocol < x->proto_lo ||
		    (uint32_t)protocol > x->proto_hi)
			continue;
		/* Only tcp and udp have ports; other protocols' entries cover
		 * every "port" (the nftables element spans 0..65535). */
		if ((protocol == SG_PROTO_TCP || protocol == SG_PROTO_UDP) &&
		    (port < 0 || (uint32_t)port < x->lo || (uint32_t)port > x->hi))
			continue;
		return x;
	}
	return NULL;
}

bool sem_sg_untracked(const struct sem_sg_rules *r, int protocol, int port)
{
	for (size_t i = 0; i < r->n_untracked; i++) {
		const struct sem_sg_untracked *u = &r->untracked[i];
		if ((int)u->protocol == protocol && port >= 0 && (uint32_t)port >= u->lo &&
		    (uint32_t)port <= u->hi)
			return true;
	}
	return false;
}

const char *sem_sg_rule_text(struct arena *a, const struct sg_rule *r)
{
	char proto[SG_PROTO_NAME_MAX], pfx[CIDR_STR_MAX], what[48];
	const char *prep = r->is_egress ? "to" : "from";
	const char *peer = r->peer == SG_PEER_CIDR    ? cidr_format(&r->cidr, pfx)
			   : r->peer == SG_PEER_GROUP ? r->ref_group_id
						      : r->prefix_list_id;
	if (r->protocol == SG_PROTO_ALL)
		snprintf(what, sizeof(what), "all traffic");
	else if (r->protocol == SG_PROTO_TCP || r->protocol == SG_PROTO_UDP) {
		if (r->from_port == r->to_port)
			snprintf(what, sizeof(what), "%s/%d", sg_protocol_name(r->protocol, proto),
				 r->from_port);
		else
			snprintf(what, sizeof(what), "%s/%d-%d",
				 sg_protocol_name(r->protocol, proto), r->from_port, r->to_port);
	} else if (r->protocol == SG_PROTO_ICMP && r->from_port >= 0)
		snprintf(what, sizeof(what), "icmp type %d code %s", r->from_port,
			 r->to_port < 0 ? "any" : arena_printf(a, "%d", r->to_port));
	else
		snprintf(what, sizeof(what), "%s", r->protocol == SG_PROTO_ICMP
							   ? "icmp (all)"
							   : sg_protocol_name(r->protocol, proto));
	return arena_printf(a, "%s %s %s", what, prep, peer);
}
