// SPDX-License-Identifier: MIT
/* The exposure audit; see audit.h.  Per interface that the internet can
 * address (a public IPv4, a running instance, an internet gateway on its
 * VPC), the ports its groups open to internet CIDRs are cut by its
 * subnet's ACL — inbound for the flow, first match in rule number order,
 * outbound for its replies — as interval sets over atoms of the source
 * block (through_acl()); what survives is confirmed, and its path found,
 * by analyze_path() — the same walk `localvpc trace` prints — so the audit
 * never disagrees with a trace (tests/api/test_audit.py holds the two
 * together port by port).  Then the findings are read off the exposures
 * and the model.  Pure: no store, no kernel, no clock. */
#include "analyze/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "model/snapshot.h"
#include "semantics/nacl.h"
#include "semantics/route.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/cidr.h"

#define PORT_SSH 22
#define PORT_RDP 3389
#define IV_MAX 128 /* AWS: 40 ACL entries per direction at most, 1 + 1 per cut */

/* ---- interval sets over ports (or ICMP types) ----------------------------- */

struct iv {
	int lo, hi;
};

struct ivset {
	size_t n;
	struct iv v[IV_MAX];
};

/* Removes lo..hi from r.  Past IV_MAX pieces (an imported ACL longer than
 * AWS allows) a piece is kept whole: the confirmation drops what is not
 * reachable. */
static void iv_cut(struct ivset *r, int lo, int hi)
{
	struct ivset o;
	o.n = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct iv x = r->v[i];
		if (x.hi < lo || x.lo > hi) {
			o.v[o.n++] = x;
			continue;
		}
		if (x.lo < lo && x.hi > hi && o.n + 2 > IV_MAX) {
			o.v[o.n++] = x;
			continue;
		}
		if (x.lo < lo)
			o.v[o.n++] = (struct iv){ x.lo, lo - 1 };
		if (x.hi > hi)
			o.v[o.n++] = (struct iv){ hi + 1, x.hi };
	}
	*r = o;
}

/* ---- the work: indexes over the snapshot, built once ---------------------- */

struct id_ix {
	const char *id;
	size_t i;
};

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

/* One piece of an exposure: protocol and ports admitted from one internet
 * source by one group entry and one ACL entry. */
struct piece {
	struct cidr src;
	const struct cidr *except; /* blocks of src that are not this piece's */
	size_t n_except;
	uint32_t probe_ip;         /* an internet address of src outside except */
	int reply_port;            /* a client port the outbound ACL lets replies to */
	int proto, lo, hi;
	const struct sem_sg_entry *x;
	int acl_rule;
};

/* What the internet can meet on its way to the interfaces of one VPC
 * besides the interface itself: the route tables' instance, interface
 * and NAT gateway targets (a reply may be routed to one). */
struct vpc_base {
	const struct vpc *v;
	const struct igw *igw;
	const struct eni **enis;
	size_t n_enis;
};

struct work {
	const struct snapshot *s;
	const char *vpc_id;
	struct arena *a, *w; /* the report's arena; scratch */
	struct id_ix *groups, *insts;
	struct sem_sg_rules *ingress; /* per group, flattened on first use */
	bool *has_ingress;
	struct vpc_base *bases;       /* per VPC */
	bool *is_bastion;             /* per ENI */
	const struct eni **bastions;  /* the ENIs marked */
	size_t n_bastions, cap_bastions;
	size_t *exp_eni;              /* per exposure: its ENI's index */
	size_t cap_exp_eni;
	const char **risky_vpc;       /* per group: risky_member() memo */
	const struct eni *(*risky)[2];
	struct piece *pieces;
	size_t n_pieces, cap_pieces;
	struct audit_exposure *exp;
	size_t n_exp, cap_exp;
	struct audit_finding *fnd;
	size_t n_fnd, cap_fnd;
};

static const struct instance *instance_of(const struct work *k, const struct eni *e)
{
	long i = e->instance_id[0] ? ix_find(k->insts, k->s->n_instances, e->instance_id) : -1;
	return i < 0 ? NULL : &k->s->instances[i];
}

static const struct security_group *group_of(const struct work *k, const char *id, long *ret_i)
{
	long i = ix_find(k->groups, k->s->n_sgs, id);
	if (ret_i)
		*ret_i = i;
	return i < 0 ? NULL : &k->s->sgs[i];
}

/* A group's ingress entries, flattened by semantics/ as for an interface
 * carrying that group alone (the union over an ENI's groups is then the
 * concatenation). */
static const struct sem_sg_rules *group_ingress(struct work *k, long gi)
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

static bool in_scope(const struct work *k, const char *vpc_id)
{
	return !k->vpc_id || !strcmp(k->vpc_id, vpc_id);
}

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

static const struct vpc_base *base_of(const struct work *k, const char *vpc_id)
{
	for (size_t i = 0; i < k->s->n_vpcs; i++)
		if (!strcmp(k->bases[i].v->head.id, vpc_id))
			return &k->bases[i];
	return NULL;
}

/* ---- internet sources ------------------------------------------------------ */

/* An address the internet can send from: not private (IGW-9/10: the
 * gateway drops those), not link-local, loopback, "this network" or
 * multicast, and in no VPC's blocks (such a source is one of ours). */
static bool is_internet(const struct snapshot *s, uint32_t ip)
{
	return !sem_is_private_space(ip) && !sem_is_link_local(ip) && (ip >> 24) != 127 &&
	       (ip >> 24) != 0 && ip < 0xe0000000u && !sem_vpc_of_ip(s, ip);
}

static bool excluded(const struct cidr *except, size_t n, uint32_t ip)
{
	for (size_t i = 0; i < n; i++)
		if (cidr_contains_ip(&except[i], ip))
			return true;
	return false;
}

/* One internet address inside c and outside except[0..n) to probe from,
 * or 0 when we find none (a block of private space, or all excepted). */
static uint32_t internet_ip_except(const struct snapshot *s, const struct cidr *c,
				   const struct cidr *except, size_t n)
{
	uint32_t last = cidr_last(c);
	uint32_t mid = c->addr + (uint32_t)(cidr_size(c) / 2);
	uint32_t cand[8 + 2 * 16] = { ANALYZE_INTERNET_IP, c->addr, c->addr + 1, mid, last - 1, last };
	size_t nc = 6;
	/* Just past and just before each excepted block. */
	for (size_t i = 0; i < n && nc + 2 <= sizeof(cand) / sizeof(cand[0]); i++) {
		cand[nc++] = cidr_last(&except[i]) + 1;
		cand[nc++] = except[i].addr - 1;
	}
	for (size_t i = 0; i < nc; i++)
		if (cidr_contains_ip(c, cand[i]) && is_internet(s, cand[i]) &&
		    !excluded(except, n, cand[i]))
			return cand[i];
	return 0;
}

static uint32_t internet_ip_in(const struct snapshot *s, const struct cidr *c)
{
	return internet_ip_except(s, c, NULL, 0);
}

/* ---- pieces: groups × inbound ACL ------------------------------------------ */

static void push_piece(struct work *k, const struct piece *p)
{
	ARENA_RESERVE(k->w, k->pieces, k->n_pieces, k->cap_pieces);
	k->pieces[k->n_pieces++] = *p;
}

/* The ports (ICMP types) of ACL entry m for protocol proto. */
static struct iv acl_ports(const struct sem_nacl_match *m, int proto)
{
	if (m->has_ports)
		return (struct iv){ m->port_lo, m->port_hi };
	if (m->has_icmp_type)
		return (struct iv){ m->icmp_type, m->icmp_type };
	return (struct iv){ 0, proto == 1 ? 255 : 65535 };
}

static bool acl_matches(const struct sem_nacl_match *m, int proto)
{
	return m->protocol == NACL_PROTO_ALL || m->protocol == proto;
}

static bool strictly_inside(const struct cidr *inner, const struct cidr *outer)
{
	return inner->len > outer->len && cidr_contains(outer, inner);
}

/* NACL-1: replies are judged again on the way out (stateless).  The
 * client port replies to top may go to: ANALYZE_EPHEMERAL_PORT when the
 * outbound entries v[0..n) allow it, else the lowest ephemeral port they
 * allow; 0 when they allow none.  Entries are those that hold all of top
 * (the caller's atoms guarantee the others miss it). */
static int reply_port(const struct sem_nacl_match *v, size_t n, const struct cidr *top, int proto)
{
	bool has_ports = proto == 6 || proto == 17;
	struct ivset r;
	r.n = 1;
	r.v[0] = has_ports ? (struct iv){ 1024, 65535 } : (struct iv){ 0, proto == 1 ? 255 : 65535 };
	for (size_t i = 0; i < n && r.n; i++) {
		const struct sem_nacl_match *m = &v[i];
		if ((m->cidr.len && !cidr_contains(&m->cidr, top)) ||
		    (m->protocol != NACL_PROTO_ALL && m->protocol != proto))
			continue;
		struct iv mp = acl_ports(m, proto);
		for (size_t j = 0; m->is_allow && j < r.n; j++) {
			int a = r.v[j].lo > mp.lo ? r.v[j].lo : mp.lo;
			int b = r.v[j].hi < mp.hi ? r.v[j].hi : mp.hi;
			if (!has_ports && a <= b)
				return ANALYZE_EPHEMERAL_PORT;
			if (a <= ANALYZE_EPHEMERAL_PORT && ANALYZE_EPHEMERAL_PORT <= b)
				return ANALYZE_EPHEMERAL_PORT;
			if (a <= b)
				return a;
		}
		iv_cut(&r, mp.lo, mp.hi);
	}
	return 0;
}

/* The subnet's ACL, both directions, in evaluation order. */
struct acl_view {
	bool has_acl;
	struct sem_nacl_match *in, *out;
	size_t n_in, n_out;
};

/* The i-th block of the ACL's entries of protocol proto (inbound then
 * outbound), or NULL. */
static const struct cidr *acl_block(const struct acl_view *acl, size_t i, int proto)
{
	const struct sem_nacl_match *m = i < acl->n_in ? &acl->in[i] : &acl->out[i - acl->n_in];
	return acl_matches(m, proto) ? &m->cidr : NULL;
}

/* NACL-2/3: the ports lo..hi of proto from source c, admitted by group
 * entry x, through the subnet's ACL.  The ACL's blocks inside c cut it
 * into atoms — each such block T without the blocks inside T, and c
 * without them all — and every entry either holds a whole atom or misses
 * it (CIDR blocks nest or are disjoint), so each atom is walked exactly:
 * inbound, an entry that holds it and matches a port decides that port
 * (allow: a piece; either way the port leaves the remaining set; the `*`
 * rule denies what is left); outbound, some client port must take the
 * replies (reply_port()). */
static void through_acl(struct work *k, const struct acl_view *acl, const struct cidr *c, int proto,
			int lo, int hi, const struct sem_sg_entry *x)
{
	if (!acl->has_acl) {
		push_piece(k, &(struct piece){ .src = *c, .probe_ip = internet_ip_in(k->s, c),
					       .reply_port = ANALYZE_EPHEMERAL_PORT, .proto = proto,
					       .lo = lo, .hi = hi, .x = x, .acl_rule = -1 });
		return;
	}
	size_t n = acl->n_in + acl->n_out;
	for (size_t t = 0; t <= n; t++) {
		/* The atom's top block: c itself (t == n), or an entry's block
		 * strictly inside c, once. */
		const struct cidr *top = t == n ? c : acl_block(acl, t, proto);
		if (t < n) {
			bool again = !top || !strictly_inside(top, c);
			for (size_t j = 0; j < t && !again; j++) {
				const struct cidr *d = acl_block(acl, j, proto);
				again = d && cidr_equal(d, top);
			}
			if (again)
				continue;
		}
		/* The atom is top without the outermost blocks inside it. */
		struct cidr *except = NULL;
		size_t n_except = 0, cap = 0;
		for (size_t j = 0; j < n; j++) {
			const struct cidr *d = acl_block(acl, j, proto);
			if (!d || !strictly_inside(d, top))
				continue;
			bool covered = false;
			for (size_t i = 0; i < n && !covered; i++) {
				const struct cidr *o = acl_block(acl, i, proto);
				covered = o && strictly_inside(d, o) && strictly_inside(o, top);
			}
			for (size_t i = 0; i < n_except && !covered; i++)
				covered = cidr_equal(&except[i], d);
			if (covered)
				continue;
			ARENA_RESERVE(k->w, except, n_except, cap);
			except[n_except++] = *d;
		}
		uint32_t ip = internet_ip_except(k->s, top, except, n_except);
		int rport = ip ? reply_port(acl->out, acl->n_out, top, proto) : 0;
		if (!rport)
			continue; /* nothing of it comes from the internet, or no reply leaves */
		struct ivset r;
		r.n = 1;
		r.v[0] = (struct iv){ lo, hi };
		for (size_t i = 0; i < acl->n_in && r.n; i++) {
			const struct sem_nacl_match *m = &acl->in[i];
			if (!acl_matches(m, proto) || (m->cidr.len && !cidr_contains(&m->cidr, top)))
				continue;
			struct iv mp = acl_ports(m, proto);
			for (size_t j = 0; m->is_allow && j < r.n; j++) {
				int a = r.v[j].lo > mp.lo ? r.v[j].lo : mp.lo;
				int b = r.v[j].hi < mp.hi ? r.v[j].hi : mp.hi;
				if (a <= b)
					push_piece(k, &(struct piece){ .src = *top, .except = except,
								       .n_except = n_except,
								       .probe_ip = ip, .reply_port = rport,
								       .proto = proto, .lo = a, .hi = b,
								       .x = x, .acl_rule = m->rule_number });
			}
			iv_cut(&r, mp.lo, mp.hi);
		}
	}
}

/* The pieces of ENI e: every ingress entry of its groups with an internet
 * source, per protocol, through its subnet's inbound ACL. */
static void eni_pieces(struct work *k, const struct eni *e)
{
	static const int l4[] = { 6, 17, 1 };
	const struct network_acl *nacl = sem_nacl_of_subnet(k->s, e->subnet_id);
	struct acl_view acl = { .has_acl = nacl != NULL };
	if (nacl) {
		acl.n_in = sem_nacl_entries(k->w, nacl, false, &acl.in);
		acl.n_out = sem_nacl_entries(k->w, nacl, true, &acl.out);
	}
	k->n_pieces = 0;
	for (size_t gi = 0; gi < e->n_groups; gi++) {
		long ix;
		if (!group_of(k, e->group_ids[gi], &ix))
			continue;
		const struct sem_sg_rules *r = group_ingress(k, ix);
		for (size_t i = 0; i < r->n; i++) {
			const struct sem_sg_entry *x = &r->v[i];
			if (x->peer_group || !internet_ip_in(k->s, &x->peer))
				continue;
			if (x->kind == SEM_SG_ICMP) {
				through_acl(k, &acl, &x->peer, 1, (int)x->icmp_type,
					    (int)x->icmp_type, x);
				continue;
			}
			bool known = false;
			for (size_t p = 0; p < 3; p++) {
				if ((uint32_t)l4[p] < x->proto_lo || (uint32_t)l4[p] > x->proto_hi)
					continue;
				known = true;
				through_acl(k, &acl, &x->peer, l4[p], l4[p] == 1 ? 0 : (int)x->lo,
					    l4[p] == 1 ? 255 : (int)x->hi, x);
			}
			/* Another single protocol (GRE, ESP…): no ports. */
			if (!known && x->proto_lo == x->proto_hi)
				through_acl(k, &acl, &x->peer, (int)x->proto_lo, 0, 65535, x);
		}
	}
}

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
 * blocks (internet_ip_in()). */
static void cut_snapshot(struct work *k, const struct eni *e, struct snapshot *ret)
{
	const struct snapshot *s = k->s;
	const struct vpc_base *b = base_of(k, e->vpc_id);
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
		const struct instance *in = instance_of(k, &ret->enis[i]);
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
			const struct security_group *sg = group_of(k, ret->enis[i].group_ids[g], NULL);
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
	const struct vpc_base *b = base_of(k, e->vpc_id);
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
static void eni_exposures(struct work *k, const struct eni *e)
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

/* An interface the internet can address: it has groups (a NAT gateway
 * admits nothing it did not start), a public IPv4, a running instance and
 * an internet gateway on its VPC. */
static bool addressable(const struct work *k, const struct eni *e)
{
	if (!sem_eni_has_groups(e) || !e->public_ip || !e->instance_id[0])
		return false;
	const struct instance *in = instance_of(k, e);
	const struct vpc_base *b = base_of(k, e->vpc_id);
	return in && in->state == INSTANCE_RUNNING && b && b->igw;
}

/* ---- findings ------------------------------------------------------------- */

/* A finding under construction: keyed by code and what to change, with
 * the instances it concerns. */
struct pending {
	const char *code;
	enum audit_severity severity;
	const void *key;             /* the rule, the ENI, the VPC */
	const char *resource_id;
	const char **ids;            /* instances (or ENIs) concerned */
	size_t n_ids, cap_ids;
	const char *what, *fix, *extra;
};

struct pendings {
	struct pending *v;
	size_t n, cap;
};

static struct pending *pend(struct work *k, struct pendings *p, const char *code, const void *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].key == key && !strcmp(p->v[i].code, code))
			return &p->v[i];
	ARENA_RESERVE(k->w, p->v, p->n, p->cap);
	struct pending *x = &p->v[p->n++];
	memset(x, 0, sizeof(*x));
	x->code = code;
	x->key = key;
	return x;
}

static void pend_id(struct work *k, struct pending *x, const char *id)
{
	for (size_t i = 0; i < x->n_ids; i++)
		if (!strcmp(x->ids[i], id))
			return;
	ARENA_RESERVE(k->w, x->ids, x->n_ids, x->cap_ids);
	x->ids[x->n_ids++] = id;
}

/* "i-1, i-2 and 3 more". */
static const char *id_list(struct work *k, const struct pending *x)
{
	const char *s = "";
	size_t shown = x->n_ids < 3 ? x->n_ids : 3;
	for (size_t i = 0; i < shown; i++)
		s = arena_printf(k->a, "%s%s%s", s, i ? ", " : "", x->ids[i]);
	if (x->n_ids > shown)
		s = arena_printf(k->a, "%s and %zu more", s, x->n_ids - shown);
	return s;
}

static const char *eni_label(const struct eni *e)
{
	return e->instance_id[0] ? e->instance_id : e->head.id;
}

static const char *group_label(struct work *k, const char *gid)
{
	const struct security_group *g = group_of(k, gid, NULL);
	return g && g->name && *g->name ? arena_printf(k->a, "%s (%s)", gid, g->name)
					: arena_strdup(k->a, gid);
}

/* The aws CLI command that revokes ingress rule r of group gid: by its
 * rule ID, or (an imported rule has none) by its exact permission; and a
 * reminder when the rule admits more than the one port. */
static const char *revoke_cmd(struct work *k, const char *gid, const struct sg_rule *r, int port)
{
	char pfx[CIDR_STR_MAX], proto[SG_PROTO_NAME_MAX];
	const char *cmd;
	if (*r->id) {
		cmd = arena_printf(k->a,
				   "aws ec2 revoke-security-group-ingress --group-id %s "
				   "--security-group-rule-ids %s",
				   gid, r->id);
	} else {
		const char *peer =
			r->peer == SG_PEER_GROUP
				? arena_printf(k->a, "UserIdGroupPairs=[{GroupId=%s}]", r->ref_group_id)
				: arena_printf(k->a, "IpRanges=[{CidrIp=%s}]", cidr_format(&r->cidr, pfx));
		const char *ports = sg_protocol_has_ports(r->protocol)
					    ? arena_printf(k->a, "FromPort=%d,ToPort=%d,", r->from_port,
							   r->to_port)
					    : "";
		cmd = arena_printf(k->a,
				   "aws ec2 revoke-security-group-ingress --group-id %s "
				   "--ip-permissions 'IpProtocol=%s,%s%s'",
				   gid, sg_protocol_name(r->protocol, proto), ports, peer);
	}
	if (r->protocol == SG_PROTO_TCP && r->from_port == port && r->to_port == port)
		return cmd;
	return arena_printf(k->a, "%s (it admits more than tcp/%d: add back what else it should)",
			    cmd, port);
}

/* An ingress rule of g other than r admitting tcp/port from a block
 * other than 0.0.0.0/0 (peer_group NULL) or from peer_group, or NULL. */
static const struct sg_rule *other_admit(const struct security_group *g, const struct sg_rule *r,
					 int port, const char *peer_group)
{
	for (size_t i = 0; g && i < g->n_rules; i++) {
		const struct sg_rule *o = &g->rules[i];
		bool tcp = o->protocol == SG_PROTO_ALL ||
			   (o->protocol == SG_PROTO_TCP && o->from_port <= port && port <= o->to_port);
		if (o == r || o->is_egress || !tcp)
			continue;
		if (peer_group ? o->peer == SG_PEER_GROUP && !strcmp(o->ref_group_id, peer_group)
			       : o->peer == SG_PEER_CIDR && o->cidr.len > 0)
			return o;
	}
	return NULL;
}

/* SSH_OPEN_TO_WORLD, RDP_OPEN_TO_WORLD: a confirmed tcp exposure of the
 * port from 0.0.0.0/0, per rule. */
static void world_findings(struct work *k, struct pendings *p)
{
	static const struct {
		int port;
		const char *code, *name;
	} svc[] = { { PORT_SSH, "SSH_OPEN_TO_WORLD", "SSH" }, { PORT_RDP, "RDP_OPEN_TO_WORLD", "RDP" } };
	for (size_t i = 0; i < k->n_exp; i++) {
		const struct audit_exposure *x = &k->exp[i];
		for (size_t v = 0; v < 2; v++) {
			if (x->protocol != 6 || x->from_port > svc[v].port || x->to_port < svc[v].port)
				continue;
			for (size_t j = 0; j < x->n_admits; j++) {
				const struct audit_admit *m = &x->admits[j];
				if (strcmp(m->source, "0.0.0.0/0"))
					continue;
				struct pending *f = pend(k, p, svc[v].code, m->sg_rule);
				pend_id(k, f, x->instance_id[0] ? x->instance_id : x->eni_id);
				if (f->what)
					continue;
				f->severity = AUDIT_HIGH;
				f->resource_id = m->group_id;
				f->what = arena_printf(k->a, "%s admits %s: %s is open to the whole "
							     "internet on",
						       group_label(k, m->group_id), m->rule,
						       svc[v].name);
				const struct sg_rule *keep = other_admit(
					group_of(k, m->group_id, NULL), m->sg_rule, svc[v].port, NULL);
				const char *revoke = revoke_cmd(k, m->group_id, m->sg_rule, svc[v].port);
				char pfx[CIDR_STR_MAX];
				if (keep)
					f->fix = arena_printf(k->a, "revoke it (%s stays admitted): %s",
							      cidr_format(&keep->cidr, pfx), revoke);
				else
					f->fix = arena_printf(
						k->a,
						"admit %s only from your own address: %s; aws ec2 "
						"authorize-security-group-ingress --group-id %s "
						"--protocol tcp --port %d --cidr MY.IP.AD.DR/32",
						svc[v].name, revoke, m->group_id, svc[v].port);
			}
		}
	}
}

/* Bastions: instances the internet reaches on SSH. */
static void mark_bastions(struct work *k)
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
		const struct instance *in = instance_of(k, m);
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
	if (!group_of(k, gid, &gi))
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
static void private_findings(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	for (size_t ei = 0; ei < s->n_enis; ei++) {
		const struct eni *e = &s->enis[ei];
		if (!in_scope(k, e->vpc_id) || !sem_eni_has_groups(e) || e->public_ip ||
		    !e->instance_id[0])
			continue;
		const struct instance *in = instance_of(k, e);
		if (!in || in->state == INSTANCE_TERMINATED || in->state == INSTANCE_SHUTTING_DOWN)
			continue;
		for (size_t gi = 0; gi < e->n_groups; gi++) {
			long ix;
			if (!group_of(k, e->group_ids[gi], &ix))
				continue;
			const struct sem_sg_rules *r = group_ingress(k, ix);
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
				struct pending *f = pend(k, p, "PRIVATE_NOT_VIA_BASTION", x->rule);
				pend_id(k, f, eni_label(e));
				if (f->what)
					continue;
				if (!x->peer_group)
					why = "a block, not the bastion's group";
				else if (strcmp(m->vpc_id, e->vpc_id))
					why = arena_printf(k->a, "%s is carried by %s in the peered %s",
							   x->peer_group, eni_label(m), m->vpc_id);
				else if (!m->source_dest_check)
					why = arena_printf(k->a, "%s is carried by the NAT %s, which "
								 "faces the internet",
							   x->peer_group, eni_label(m));
				else
					why = arena_printf(k->a, "%s is carried by %s, which faces the "
								 "internet and is no bastion",
							   x->peer_group, eni_label(m));
				const char *bg = bastion_group(k, e->vpc_id);
				f->severity = AUDIT_MEDIUM;
				f->resource_id = x->group->head.id;
				f->what = arena_printf(k->a, "%s admits %s (%s), so these private "
							     "instances are reachable other than "
							     "through the bastion:",
						       group_label(k, x->group->head.id),
						       sem_sg_rule_text(k->a, x->rule), why);
				const char *revoke = revoke_cmd(k, x->group->head.id, x->rule, port);
				if (bg && other_admit(x->group, x->rule, port, bg))
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

/* NAT_SOURCE_DEST_CHECK: ENI-4 drops what a checked interface would
 * forward, so a route to it is a dead end. */
static void nat_findings(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	char pfx[CIDR_STR_MAX];
	for (size_t ti = 0; ti < s->n_rtbs; ti++) {
		const struct route_table *t = &s->rtbs[ti];
		if (!in_scope(k, t->vpc_id))
			continue;
		for (size_t ri = 0; ri < t->n_routes; ri++) {
			const struct route *r = &t->routes[ri];
			const struct eni *e = NULL;
			if (r->target == ROUTE_INSTANCE) {
				for (size_t i = 0; i < s->n_enis && !e; i++)
					if (!strcmp(s->enis[i].instance_id, r->target_id) &&
					    s->enis[i].device_index == 0)
						e = &s->enis[i];
			} else if (r->target == ROUTE_NETWORK_INTERFACE) {
				e = sem_eni(s, r->target_id);
			}
			if (!e || !sem_eni_checks_src_dst(e))
				continue;
			struct pending *f = pend(k, p, "NAT_SOURCE_DEST_CHECK", e);
			f->severity = AUDIT_HIGH;
			f->resource_id = eni_label(e);
			f->what = arena_printf(k->a, "%s has its source/destination check on: it drops "
						     "every packet it would forward, so the routes to "
						     "it lead nowhere:",
					       eni_label(e));
			f->fix = e->instance_id[0]
					 ? arena_printf(k->a,
							"turn the check off: aws ec2 "
							"modify-instance-attribute --instance-id %s "
							"--no-source-dest-check",
							e->instance_id)
					 : arena_printf(k->a,
							"turn the check off: aws ec2 "
							"modify-network-interface-attribute "
							"--network-interface-id %s --no-source-dest-check",
							e->head.id);
			pend_id(k, f, arena_printf(k->a, "%s in %s", cidr_format(&r->dest, pfx),
						   t->head.id));
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
static void az_findings(struct work *k, struct pendings *p)
{
	const struct snapshot *s = k->s;
	const char **priv = arena_alloc_array(k->w, s->n_subnets + 1, sizeof(*priv));
	for (size_t vi = 0; vi < s->n_vpcs; vi++) {
		const struct vpc *v = &s->vpcs[vi];
		size_t n_priv = 0;
		const char *bastion_az = NULL, *other_pub = NULL, *other_az = NULL;
		bool several = false;
		if (!in_scope(k, v->head.id))
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
		struct pending *f = pend(k, p, "SINGLE_BASTION_AZ", v);
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
				pend_id(k, f, arena_printf(k->a, "the private subnets of %s", priv[i]));
	}
}

static int cmp_finding(const void *x, const void *y)
{
	const struct audit_finding *a = x, *b = y;
	int c = (int)b->severity - (int)a->severity;
	if (!c)
		c = strcmp(a->code, b->code);
	return c ? c : strcmp(a->resource_id, b->resource_id);
}

static void emit(struct work *k, const struct pendings *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct pending *x = &p->v[i];
		ARENA_RESERVE(k->a, k->fnd, k->n_fnd, k->cap_fnd);
		struct audit_finding *f = &k->fnd[k->n_fnd++];
		f->code = x->code;
		f->severity = x->severity;
		snprintf(f->resource_id, sizeof(f->resource_id), "%s", x->resource_id);
		f->text = arena_printf(k->a, "%s %s.", x->what, id_list(k, x));
		f->fix = x->fix;
	}
	if (k->n_fnd)
		qsort(k->fnd, k->n_fnd, sizeof(*k->fnd), cmp_finding);
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
		if (!in_scope(&k, e->vpc_id) || !addressable(&k, e))
			continue;
		eni_pieces(&k, e);
		eni_exposures(&k, e);
	}
	mark_bastions(&k);
	world_findings(&k, &p);
	private_findings(&k, &p);
	nat_findings(&k, &p);
	az_findings(&k, &p);
	emit(&k, &p);
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
