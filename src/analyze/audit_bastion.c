// SPDX-License-Identifier: MIT
/* The exposure audit's bastion findings (see audit_internal.h): a bastion
 * is an instance the internet reaches on SSH (read off the exposures, so
 * it needs no tag or name); private instances should be reached only
 * through one (PRIVATE_NOT_VIA_BASTION), and bastions in a single AZ lock
 * everyone out when it fails (SINGLE_BASTION_AZ).  The seed articles'
 * anti-patterns; the finding records and words come from
 * audit_findings.c. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "analyze/audit_internal.h"
#include "model/snapshot.h"
#include "semantics/route.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/cidr.h"

void audit_bastion_mark(struct work *k)
{
	for (size_t i = 0; i < k->n_exp; i++) {
		const struct audit_exposure *x = &k->exp[i];
		size_t e = k->exp_eni[i];
		if (x->protocol != 6 || x->from_port > PORT_SSH || x->to_port < PORT_SSH ||
		    k->is_bastion[e])
			continue;
		k->is_bastion[e] = true;
		ARENA_RESERVE(k->w, k->bastions, k->n_bastions, k->cap_bastions);
		k->bastions[k->n_bastions++] = &k->s->enis[e];
	}
}

/* The group a bastion of vpc_id is reached through on SSH, or NULL. */
static const char *bastion_group(const struct work *k, const char *vpc_id)
{
	for (size_t i = 0; i < k->n_exp; i++) {
		const struct audit_exposure *x = &k->exp[i];
		if (x->protocol == 6 && x->from_port <= PORT_SSH && PORT_SSH <= x->to_port &&
		    !strcmp(x->vpc_id, vpc_id))
			return x->admits[0].group_id;
	}
	return NULL;
}

static bool is_bastion_ip(const struct work *k, const char *vpc_id, const struct cidr *c)
{
	for (size_t i = 0; c->len == 32 && i < k->n_bastions; i++)
		if (k->bastions[i]->private_ip == c->addr && !strcmp(k->bastions[i]->vpc_id, vpc_id))
			return true;
	return false;
}

/* The first member of gid after `after` (NULL: from the start) that is
 * no bastion and faces the internet or sits in a VPC peered with e's. */
static const struct eni *find_risky(const struct work *k, const char *vpc_id, const char *gid,
				    const struct eni *after)
{
	const struct snapshot *s = k->s;
	size_t from = after ? (size_t)(after - s->enis) + 1 : 0;
	for (size_t i = from; i < s->n_enis; i++) {
		const struct eni *m = &s->enis[i];
		if (k->is_bastion[i])
			continue;
		bool member = false;
		for (size_t g = 0; g < m->n_groups && !member; g++)
			member = !strcmp(m->group_ids[g], gid);
		if (!member)
			continue;
		bool same = !strcmp(m->vpc_id, vpc_id);
		if (!(same && m->public_ip) && (same || !sem_vpcs_peered(s, m->vpc_id, vpc_id)))
			continue;
		const struct instance *in = audit_instance_of(k, m);
		if (!m->instance_id[0] || (in && in->state != INSTANCE_TERMINATED))
			return m; /* alive (sem_eni_alive(), by the index) */
	}
	return NULL;
}

/* A member of group gid (for rules of e's VPC, SG-9/10) other than e that
 * is no bastion and faces the internet or sits in a peered VPC.  The
 * first two are kept per group and VPC: a group that admits itself (the
 * default group does) would otherwise cost ENIs × ENIs. */
static const struct eni *risky_member(struct work *k, const struct eni *e, const char *gid)
{
	long gi;
	if (!audit_group_of(k, gid, &gi))
		return NULL;
	if (!k->risky_vpc[gi] || strcmp(k->risky_vpc[gi], e->vpc_id)) {
		k->risky_vpc[gi] = e->vpc_id;
		k->risky[gi][0] = find_risky(k, e->vpc_id, gid, NULL);
		k->risky[gi][1] =
			k->risky[gi][0] ? find_risky(k, e->vpc_id, gid, k->risky[gi][0]) : NULL;
	}
	return k->risky[gi][0] != e ? k->risky[gi][0] : k->risky[gi][1];
}

/* PRIVATE_NOT_VIA_BASTION, per rule. */
void audit_bastion_private(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	for (size_t ei = 0; ei < s->n_enis; ei++) {
		const struct eni *e = &s->enis[ei];
		if (!audit_in_scope(k, e->vpc_id) || !sem_eni_has_groups(e) || e->public_ip ||
		    !e->instance_id[0])
			continue;
		const struct instance *in = audit_instance_of(k, e);
		if (!in || in->state == INSTANCE_TERMINATED || in->state == INSTANCE_SHUTTING_DOWN)
			continue;
		for (size_t gi = 0; gi < e->n_groups; gi++) {
			long ix;
			if (!audit_group_of(k, e->group_ids[gi], &ix))
				continue;
			const struct sem_sg_rules *r = audit_group_ingress(k, ix);
			for (size_t i = 0; i < r->n; i++) {
				const struct sem_sg_entry *x = &r->v[i];
				int port = 0;
				if (x->kind != SEM_SG_L4 || x->proto_lo > 6 || x->proto_hi < 6)
					continue;
				if (x->lo <= PORT_SSH && PORT_SSH <= x->hi)
					port = PORT_SSH;
				else if (x->lo <= PORT_RDP && PORT_RDP <= x->hi)
					port = PORT_RDP;
				else
					continue;
				const char *why;
				const struct eni *m = NULL;
				if (!x->peer_group && is_bastion_ip(k, e->vpc_id, &x->peer))
					continue;
				if (x->peer_group && !(m = risky_member(k, e, x->peer_group)))
					continue;
				struct pending *f =
					audit_pend(k, p, "PRIVATE_NOT_VIA_BASTION", x->rule);
				audit_pend_id(k, f, audit_eni_label(e));
				if (f->what)
					continue;
				if (!x->peer_group)
					why = "a block, not the bastion's group";
				else if (strcmp(m->vpc_id, e->vpc_id))
					why = arena_printf(k->a, "%s is carried by %s in the peered %s",
							   x->peer_group, audit_eni_label(m),
							   m->vpc_id);
				else if (!m->source_dest_check)
					why = arena_printf(k->a, "%s is carried by the NAT %s, which "
								 "faces the internet",
							   x->peer_group, audit_eni_label(m));
				else
					why = arena_printf(k->a, "%s is carried by %s, which faces the "
								 "internet and is no bastion",
							   x->peer_group, audit_eni_label(m));
				const char *bg = bastion_group(k, e->vpc_id);
				f->severity = AUDIT_MEDIUM;
				f->resource_id = x->group->head.id;
				f->what = arena_printf(k->a, "%s admits %s (%s), so these private "
							     "instances are reachable other than "
							     "through the bastion:",
						       audit_group_label(k, x->group->head.id),
						       sem_sg_rule_text(k->a, x->rule), why);
				const char *revoke =
					audit_revoke_cmd(k, x->group->head.id, x->rule, port);
				if (bg && audit_other_admit(x->group, x->rule, port, bg))
					f->fix = arena_printf(k->a,
							      "revoke it (the bastion's group %s stays "
							      "admitted): %s",
							      bg, revoke);
				else
					f->fix = arena_printf(
						k->a,
						"admit %s only from the bastion's group: %s; aws ec2 "
						"authorize-security-group-ingress --group-id %s "
						"--protocol tcp --port %d --source-group %s",
						port == PORT_SSH ? "SSH" : "RDP", revoke,
						x->group->head.id, port, bg ? bg : "sg-BASTION");
			}
		}
	}
}


static bool is_public_subnet(const struct snapshot *s, const struct subnet *sn)
{
	const struct route_table *t = sem_route_table_of_subnet(s, sn);
	for (size_t i = 0; t && i < t->n_routes; i++) {
		struct sem_next_hop nh;
		if (sem_route_resolve(s, t, &t->routes[i], &nh) == SEM_HOP_IGW)
			return true;
	}
	return false;
}

static bool has_str(const char *const *v, size_t n, const char *x)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], x))
			return true;
	return false;
}

/* SINGLE_BASTION_AZ: the seed's private subnets in several AZs, all
 * behind bastions of one AZ — that AZ's outage locks every one out. */
void audit_bastion_az(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	const char **priv = arena_alloc_array(k->w, s->n_subnets + 1, sizeof(*priv));
	for (size_t vi = 0; vi < s->n_vpcs; vi++) {
		const struct vpc *v = &s->vpcs[vi];
		size_t n_priv = 0;
		const char *bastion_az = NULL, *other_pub = NULL, *other_az = NULL;
		bool several = false;
		if (!audit_in_scope(k, v->head.id))
			continue;
		for (size_t i = 0; i < s->n_subnets; i++) {
			const struct subnet *sn = &s->subnets[i];
			if (!strcmp(sn->vpc_id, v->head.id) && !is_public_subnet(s, sn) &&
			    !has_str(priv, n_priv, sn->az))
				priv[n_priv++] = sn->az;
		}
		for (size_t i = 0; i < s->n_enis; i++) {
			const struct subnet *sn = k->is_bastion[i] ? sem_subnet(s, s->enis[i].subnet_id)
								   : NULL;
			if (!sn || strcmp(sn->vpc_id, v->head.id))
				continue;
			several |= bastion_az && strcmp(bastion_az, sn->az);
			bastion_az = sn->az;
		}
		if (n_priv < 2 || !bastion_az || several)
			continue;
		for (size_t i = 0; i < n_priv && !other_az; i++)
			if (strcmp(priv[i], bastion_az))
				other_az = priv[i];
		for (size_t i = 0; i < s->n_subnets && !other_pub; i++) {
			const struct subnet *sn = &s->subnets[i];
			if (!strcmp(sn->vpc_id, v->head.id) && !strcmp(sn->az, other_az) &&
			    is_public_subnet(s, sn))
				other_pub = sn->head.id;
		}
		const char *bg = bastion_group(k, v->head.id);
		struct pending *f = audit_pend(k, p, "SINGLE_BASTION_AZ", v);
		f->severity = AUDIT_LOW;
		f->resource_id = v->head.id;
		f->what = arena_printf(k->a,
				       "%s has private subnets in %zu availability zones but bastions "
				       "only in %s: when %s fails, no way in is left to",
				       v->head.id, n_priv, bastion_az, bastion_az);
		f->fix = other_pub
				 ? arena_printf(k->a,
						"launch a second bastion in %s: aws ec2 run-instances "
						"--subnet-id %s --security-group-ids %s --image-id … "
						"--key-name …",
						other_az, other_pub, bg ? bg : "sg-BASTION")
				 : arena_printf(k->a,
						"create a public subnet in %s (a route 0.0.0.0/0 to "
						"the internet gateway) and launch a second bastion "
						"there with the group %s",
						other_az, bg ? bg : "sg-BASTION");
		for (size_t i = 0; i < n_priv; i++)
			if (strcmp(priv[i], bastion_az))
				audit_pend_id(k, f,
					      arena_printf(k->a, "the private subnets of %s", priv[i]));
	}
}
