// SPDX-License-Identifier: MIT
/* The exposure audit's entry point; see audit.h.  Builds the indexes over
 * the snapshot that every stage shares (audit_internal.h), then runs the
 * stages in order: per interface the internet can address, its pieces
 * (audit_acl.c) and its confirmed exposures (audit_exposure.c); then the
 * findings read off the exposures and the model (audit_findings.c,
 * audit_bastion.c).  Pure: no store, no kernel, no clock. */
#include "analyze/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/audit_internal.h"
#include "model/snapshot.h"
#include "semantics/route.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"

static int cmp_ix(const void *x, const void *y)
{
	return strcmp(((const struct id_ix *)x)->id, ((const struct id_ix *)y)->id);
}

static long ix_find(const struct id_ix *v, size_t n, const char *id)
{
	struct id_ix key = { .id = id };
	const struct id_ix *f = bsearch(&key, v, n, sizeof(*v), cmp_ix);
	return f ? (long)f->i : -1;
}

const struct instance *audit_instance_of(const struct work *k, const struct eni *e)
{
	long i = e->instance_id[0] ? ix_find(k->insts, k->s->n_instances, e->instance_id) : -1;
	return i < 0 ? NULL : &k->s->instances[i];
}

const struct security_group *audit_group_of(const struct work *k, const char *id, long *ret_i)
{
	long i = ix_find(k->groups, k->s->n_sgs, id);
	if (ret_i)
		*ret_i = i;
	return i < 0 ? NULL : &k->s->sgs[i];
}

/* Flattened as for an interface carrying the group alone: the union over
 * an ENI's groups is then the concatenation, and each group is flattened
 * once however many interfaces carry it. */
const struct sem_sg_rules *audit_group_ingress(struct work *k, long gi)
{
	if (!k->has_ingress[gi]) {
		struct eni one;
		const char *ids[1] = { k->s->sgs[gi].head.id };
		memset(&one, 0, sizeof(one));
		snprintf(one.vpc_id, sizeof(one.vpc_id), "%s", k->s->sgs[gi].vpc_id);
		one.group_ids = ids;
		one.n_groups = 1;
		sem_sg_flatten(k->w, k->s, &one, false, &k->ingress[gi]);
		k->has_ingress[gi] = true;
	}
	return &k->ingress[gi];
}

bool audit_in_scope(const struct work *k, const char *vpc_id)
{
	return !k->vpc_id || !strcmp(k->vpc_id, vpc_id);
}

/* The indexes every stage reads: groups and instances sorted by ID, and
 * per VPC its internet gateway and the ENIs its route tables name. */
static void work_init(struct work *k, const struct snapshot *s, const char *vpc_id,
		      struct arena *a, struct arena *w)
{
	memset(k, 0, sizeof(*k));
	k->s = s;
	k->vpc_id = vpc_id;
	k->a = a;
	k->w = w;
	k->groups = arena_alloc_array(w, s->n_sgs + 1, sizeof(*k->groups));
	for (size_t i = 0; i < s->n_sgs; i++)
		k->groups[i] = (struct id_ix){ s->sgs[i].head.id, i };
	qsort(k->groups, s->n_sgs, sizeof(*k->groups), cmp_ix);
	k->insts = arena_alloc_array(w, s->n_instances + 1, sizeof(*k->insts));
	for (size_t i = 0; i < s->n_instances; i++)
		k->insts[i] = (struct id_ix){ s->instances[i].head.id, i };
	qsort(k->insts, s->n_instances, sizeof(*k->insts), cmp_ix);
	k->ingress = arena_alloc_array(w, s->n_sgs + 1, sizeof(*k->ingress));
	k->has_ingress = arena_alloc_array(w, s->n_sgs + 1, sizeof(*k->has_ingress));
	k->is_bastion = arena_alloc_array(w, s->n_enis + 1, sizeof(*k->is_bastion));
	k->risky_vpc = arena_alloc_array(w, s->n_sgs + 1, sizeof(*k->risky_vpc));
	k->risky = arena_alloc_array(w, s->n_sgs + 1, sizeof(*k->risky));
	k->bases = arena_alloc_array(w, s->n_vpcs + 1, sizeof(*k->bases));
	for (size_t vi = 0; vi < s->n_vpcs; vi++) {
		struct vpc_base *b = &k->bases[vi];
		size_t cap = 0;
		b->v = &s->vpcs[vi];
		b->igw = sem_igw_of_vpc(s, b->v->head.id);
		for (size_t ti = 0; ti < s->n_rtbs; ti++) {
			const struct route_table *t = &s->rtbs[ti];
			if (strcmp(t->vpc_id, b->v->head.id))
				continue;
			for (size_t ri = 0; ri < t->n_routes; ri++) {
				struct sem_next_hop nh;
				enum sem_hop_kind kind = sem_route_resolve(s, t, &t->routes[ri], &nh);
				if ((kind != SEM_HOP_ENI && kind != SEM_HOP_NATGW) || !nh.eni)
					continue;
				bool have = false;
				for (size_t j = 0; j < b->n_enis && !have; j++)
					have = b->enis[j] == nh.eni;
				if (have)
					continue;
				ARENA_RESERVE(w, b->enis, b->n_enis, cap);
				b->enis[b->n_enis++] = nh.eni;
			}
		}
	}
}

const struct vpc_base *audit_base_of(const struct work *k, const char *vpc_id)
{
	for (size_t i = 0; i < k->s->n_vpcs; i++)
		if (!strcmp(k->bases[i].v->head.id, vpc_id))
			return &k->bases[i];
	return NULL;
}

/* ---- the audit ------------------------------------------------------------- */

int audit_run(const struct snapshot *s, const char *vpc_id, struct arena *a,
	      struct audit_report *ret)
{
	if (vpc_id && !sem_vpc(s, vpc_id))
		return -ENOENT;
	struct arena *w = arena_new();
	struct work k;
	struct pendings p = { 0 };
	work_init(&k, s, vpc_id, a, w);
	for (size_t i = 0; i < s->n_enis; i++) {
		const struct eni *e = &s->enis[i];
		if (!audit_in_scope(&k, e->vpc_id) || !audit_exposure_addressable(&k, e))
			continue;
		audit_acl_pieces(&k, e);
		audit_exposure_scan(&k, e);
	}
	/* The findings read the exposures, bastions first (two findings need
	 * them); keep the order: it is the input order of the final sort. */
	audit_bastion_mark(&k);
	audit_findings_world(&k, &p);
	audit_bastion_private(&k, &p);
	audit_findings_nat(&k, &p);
	audit_spoof_groups(&k, &p);
	audit_bastion_az(&k, &p);
	audit_findings_emit(&k, &p);
	memset(ret, 0, sizeof(*ret));
	ret->exposures = k.exp;
	ret->n_exposures = k.n_exp;
	ret->findings = k.fnd;
	ret->n_findings = k.n_fnd;
	arena_free(w);
	return 0;
}

const char *audit_severity_name(enum audit_severity v)
{
	return v == AUDIT_HIGH ? "high" : v == AUDIT_MEDIUM ? "medium" : "low";
}
