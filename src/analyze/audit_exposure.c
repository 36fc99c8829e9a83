// SPDX-License-Identifier: MIT
/* The exposure audit's second stage (see audit_internal.h): one
 * interface's pieces (audit_acl.c) become its exposures — per protocol,
 * the port ranges between piece boundaries, merged while the same pieces
 * cover them — and each source of each is confirmed, and its path found,
 * by analyze_path(), the same walk `localvpc trace` prints, so the audit
 * never disagrees with a trace (tests/api/test_audit.py holds the two
 * together port by port).  The walk runs over a snapshot cut down to what
 * a flow from the internet to that interface can meet, so one
 * confirmation costs microseconds. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/audit_internal.h"
#include "model/snapshot.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/cidr.h"

/* ---- confirmation through analyze_path() ----------------------------------- */

static void copy_eni(struct eni *dst, size_t *n, const struct eni *e)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(dst[i].head.id, e->head.id))
			return;
	dst[(*n)++] = *e;
}

/* The snapshot a flow from the internet to e can meet: every VPC, subnet,
 * route table, gateway, ACL, NAT gateway and peering, but of interfaces,
 * instances and groups only e, the route targets of its VPC and theirs.
 * Why this is the same verdict as over the whole snapshot: such a flow
 * enters through e's VPC's internet gateway and ends at e (IGW 1:1 NAT,
 * e's subnet's ACL, e's groups), and its replies leave by e's subnet's
 * route table, which may name a route target (a NAT instance hairpin);
 * no group reference can match it, as its source lies in no VPC's
 * blocks (audit_acl.c probes from internet addresses only). */
static void cut_snapshot(struct work *k, const struct eni *e, struct snapshot *ret)
{
	const struct snapshot *s = k->s;
	const struct vpc_base *b = audit_base_of(k, e->vpc_id);
	size_t nb = b ? b->n_enis : 0;
	*ret = *s;
	ret->enis = arena_alloc_array(k->w, nb + 1, sizeof(*ret->enis));
	ret->n_enis = 0;
	copy_eni(ret->enis, &ret->n_enis, e);
	for (size_t i = 0; i < nb; i++)
		copy_eni(ret->enis, &ret->n_enis, b->enis[i]);
	ret->instances = arena_alloc_array(k->w, ret->n_enis, sizeof(*ret->instances));
	ret->n_instances = 0;
	size_t n_groups = 0;
	for (size_t i = 0; i < ret->n_enis; i++) {
		const struct instance *in = audit_instance_of(k, &ret->enis[i]);
		bool have = false;
		for (size_t j = 0; in && j < ret->n_instances && !have; j++)
			have = !strcmp(ret->instances[j].head.id, in->head.id);
		if (in && !have)
			ret->instances[ret->n_instances++] = *in;
		n_groups += ret->enis[i].n_groups;
	}
	ret->sgs = arena_alloc_array(k->w, n_groups + 1, sizeof(*ret->sgs));
	ret->n_sgs = 0;
	for (size_t i = 0; i < ret->n_enis; i++)
		for (size_t g = 0; g < ret->enis[i].n_groups; g++) {
			const struct security_group *sg =
				audit_group_of(k, ret->enis[i].group_ids[g], NULL);
			bool have = false;
			for (size_t j = 0; sg && j < ret->n_sgs && !have; j++)
				have = !strcmp(ret->sgs[j].head.id, sg->head.id);
			if (sg && !have)
				ret->sgs[ret->n_sgs++] = *sg;
		}
}

/* Probes proto/port from src to e over cut; true when it gets there and
 * back, with its forward hops copied to the report's arena. */
static bool confirm(struct work *k, const struct snapshot *cut, const struct eni *e, int proto,
		    int port, uint32_t src, int src_port, struct audit_exposure *x)
{
	struct probe p;
	struct analysis an;
	memset(&p, 0, sizeof(p));
	p.src.kind = EP_INTERNET;
	p.src.ip = src;
	p.dst.kind = EP_ENI;
	snprintf(p.dst.id, sizeof(p.dst.id), "%s", e->head.id);
	p.protocol = proto;
	p.port = port;
	p.src_port = proto == 6 || proto == 17 ? src_port : 0;
	struct arena *q = arena_new();
	bool found = analyze_path(cut, &p, q, &an) == 0 && an.found;
	if (found && !x->path) {
		struct hop *h = arena_alloc_array(k->a, an.n_fwd + 1, sizeof(*h));
		for (size_t i = 0; i < an.n_fwd; i++) {
			h[i] = an.fwd[i];
			h[i].rule = arena_strdup(k->a, an.fwd[i].rule);
			h[i].name = arena_strdup(k->a, an.fwd[i].name ? an.fwd[i].name : "");
		}
		x->path = h;
		x->n_path = an.n_fwd;
	}
	arena_free(q);
	return found;
}

/* ---- pieces → exposures ---------------------------------------------------- */

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

static bool covers(const struct piece *p, int proto, int lo, int hi)
{
	return p->proto == proto && p->lo <= lo && hi <= p->hi;
}

/* True when the same pieces cover lo1..hi1 and lo2..hi2. */
static bool same_cover(const struct work *k, int proto, int lo1, int hi1, int lo2, int hi2)
{
	for (size_t i = 0; i < k->n_pieces; i++)
		if (covers(&k->pieces[i], proto, lo1, hi1) != covers(&k->pieces[i], proto, lo2, hi2))
			return false;
	return true;
}

/* One exposure: proto lo..hi of e, admitted by the pieces that cover it,
 * each source confirmed by analyze_path(); dropped when none is. */
static void add_exposure(struct work *k, const struct eni *e, const struct snapshot *cut, int proto,
			 int lo, int hi)
{
	struct audit_exposure x;
	char pfx[CIDR_STR_MAX];
	size_t cap = 0;
	memset(&x, 0, sizeof(x));
	snprintf(x.instance_id, sizeof(x.instance_id), "%s", e->instance_id);
	snprintf(x.eni_id, sizeof(x.eni_id), "%s", e->head.id);
	snprintf(x.vpc_id, sizeof(x.vpc_id), "%s", e->vpc_id);
	const struct vpc_base *b = audit_base_of(k, e->vpc_id);
	snprintf(x.igw_id, sizeof(x.igw_id), "%s", b && b->igw ? b->igw->head.id : "");
	x.public_ip = e->public_ip;
	x.private_ip = e->private_ip;
	x.protocol = proto;
	x.from_port = lo;
	x.to_port = hi;
	int port = proto == 1 && lo <= 8 && 8 <= hi ? 8 : lo; /* echo when it can */
	for (size_t i = 0; i < k->n_pieces; i++) {
		const struct piece *p = &k->pieces[i];
		if (!covers(p, proto, lo, hi))
			continue;
		const char *src = arena_strdup(k->a, cidr_format(&p->src, pfx));
		bool dup = false;
		for (size_t j = 0; j < x.n_admits && !dup; j++)
			dup = !strcmp(x.admits[j].source, src) &&
			      x.admits[j].sg_rule == p->x->rule;
		if (dup || !confirm(k, cut, e, proto, port, p->probe_ip, p->reply_port, &x))
			continue;
		const char **except = arena_alloc_array(k->a, p->n_except + 1, sizeof(*except));
		for (size_t j = 0; j < p->n_except; j++)
			except[j] = arena_strdup(k->a, cidr_format(&p->except[j], pfx));
		ARENA_RESERVE(k->a, x.admits, x.n_admits, cap);
		x.admits[x.n_admits++] = (struct audit_admit){
			.source = src,
			.except = except,
			.n_except = p->n_except,
			.group_id = p->x->group->head.id,
			.rule_id = p->x->rule->id,
			.rule = sem_sg_rule_text(k->a, p->x->rule),
			.acl_rule_number = p->acl_rule,
			.sg_rule = p->x->rule,
		};
	}
	if (!x.n_admits)
		return;
	ARENA_RESERVE(k->w, k->exp_eni, k->n_exp, k->cap_exp_eni);
	k->exp_eni[k->n_exp] = (size_t)(e - k->s->enis);
	ARENA_RESERVE(k->a, k->exp, k->n_exp, k->cap_exp);
	k->exp[k->n_exp++] = x;
}

/* The exposures of e from its pieces: per protocol, the ranges between
 * consecutive piece boundaries, merged while the same pieces cover them. */
void audit_exposure_scan(struct work *k, const struct eni *e)
{
	static const int order[] = { 6, 17, 1 };
	if (!k->n_pieces)
		return;
	struct snapshot cut;
	cut_snapshot(k, e, &cut);
	int *bound = arena_alloc_array(k->w, 2 * k->n_pieces, sizeof(*bound));
	int protos[3 + 64], n_protos = 0;
	for (size_t i = 0; i < 3; i++)
		protos[n_protos++] = order[i];
	for (size_t i = 0; i < k->n_pieces && n_protos < (int)(sizeof(protos) / sizeof(*protos));
	     i++) {
		bool have = false;
		for (int j = 0; j < n_protos && !have; j++)
			have = protos[j] == k->pieces[i].proto;
		if (!have)
			protos[n_protos++] = k->pieces[i].proto;
	}
	for (int pi = 0; pi < n_protos; pi++) {
		int proto = protos[pi];
		size_t nb = 0;
		for (size_t i = 0; i < k->n_pieces; i++)
			if (k->pieces[i].proto == proto) {
				bound[nb++] = k->pieces[i].lo;
				bound[nb++] = k->pieces[i].hi + 1;
			}
		if (!nb)
			continue;
		qsort(bound, nb, sizeof(*bound), cmp_int);
		int start = -1, end = -1; /* the range being merged */
		for (size_t i = 0; i + 1 < nb; i++) {
			int lo = bound[i], hi = bound[i + 1] - 1;
			if (lo > hi)
				continue;
			bool any = false;
			for (size_t j = 0; j < k->n_pieces && !any; j++)
				any = covers(&k->pieces[j], proto, lo, hi);
			if (start >= 0 && (!any || end + 1 != lo ||
					   !same_cover(k, proto, start, end, lo, hi))) {
				add_exposure(k, e, &cut, proto, start, end);
				start = -1;
			}
			if (!any)
				continue;
			if (start < 0)
				start = lo;
			end = hi;
		}
		if (start >= 0)
			add_exposure(k, e, &cut, proto, start, end);
	}
}

/* It needs groups: a NAT gateway's interface has none and admits nothing
 * it did not start. */
bool audit_exposure_addressable(const struct work *k, const struct eni *e)
{
	if (!sem_eni_has_groups(e) || !e->public_ip || !e->instance_id[0])
		return false;
	const struct instance *in = audit_instance_of(k, e);
	const struct vpc_base *b = audit_base_of(k, e->vpc_id);
	return in && in->state == INSTANCE_RUNNING && b && b->igw;
}
