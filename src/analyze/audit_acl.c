// SPDX-License-Identifier: MIT
/* The exposure audit's first stage (see audit_internal.h): per interface,
 * the pieces — protocol and ports admitted from one internet source by one
 * of its groups' entries and one inbound ACL entry.  The groups' ingress
 * entries come flattened from semantics/; the subnet's ACL cuts them as
 * interval sets over atoms of the source block, inbound first match in
 * rule number order, outbound for the replies (NACL-1/2/3), so the audit
 * finds port ranges without probing every port.  What it finds is only a
 * candidate: audit_exposure.c confirms it with analyze_path(), so this
 * file never has the last word on what is reachable. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/audit_internal.h"
#include "model/snapshot.h"
#include "semantics/nacl.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/cidr.h"

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

void audit_acl_pieces(struct work *k, const struct eni *e)
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
		if (!audit_group_of(k, e->group_ids[gi], &ix))
			continue;
		const struct sem_sg_rules *r = audit_group_ingress(k, ix);
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
