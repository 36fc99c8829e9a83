// SPDX-License-Identifier: MIT
/* Security groups → nftables sets and chains; see sg.h.  What the groups
 * admit is semantics/sg.c's; this file decides only how those entries
 * become elements.  Never touches the kernel. */
#include "compile/sg.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/box.h"
#include "compile/compile.h"
#include "model/instance.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/buf.h"

struct boxes {
	struct box *v;
	size_t n, cap;
};

/* The rule sets and untracked set of one direction of one ENI: l4 and
 * icmp keyed by peer prefix, l4_ref and icmp_ref by the peer's group set
 * (a combo ID in the box's address). */
struct eni_boxes {
	struct boxes l4, icmp, l4_ref, icmp_ref, untracked;
};

/* The distinct group sets ("combos") of every ENI a group reference of
 * this router may name: its VPC's and its active peers'.  A packet's peer
 * address maps to its combo (set sg_combo); a rule "from group G" becomes
 * one element per combo that contains G.  IDs are 1-based: meta mark 0
 * means "no combo". */
struct combos {
	const struct eni **rep; /* rep[k]: an ENI with combo k + 1 */
	size_t n, cap;
	struct member {
		const struct eni *eni;
		uint32_t combo;
	} *member; /* every ENI in scope */
	size_t n_members, cap_members;
};

static bool same_groups(const struct eni *x, const struct eni *y)
{
	if (x->n_groups != y->n_groups)
		return false;
	for (size_t i = 0; i < x->n_groups; i++) {
		bool found = false;
		for (size_t k = 0; k < y->n_groups && !found; k++)
			found = !strcmp(x->group_ids[i], y->group_ids[k]);
		if (!found)
			return false;
	}
	return true;
}

static void combos_build(struct arena *a, const struct snapshot *s, const char *vpc_id,
			 struct combos *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; vpc_id && i < s->n_enis; i++) {
		const struct eni *e = &s->enis[i];
		if (!e->private_ip || !sem_eni_has_groups(e) ||
		    (strcmp(e->vpc_id, vpc_id) && !sem_vpcs_peered(s, e->vpc_id, vpc_id)))
			continue;
		size_t k = 0;
		while (k < c->n && !same_groups(c->rep[k], e))
			k++;
		if (k == c->n) {
			ARENA_RESERVE(a, c->rep, c->n, c->cap);
			c->rep[c->n++] = e;
		}
		ARENA_RESERVE(a, c->member, c->n_members, c->cap_members);
		c->member[c->n_members++] = (struct member){ e, (uint32_t)k + 1 };
	}
}

static void push(struct arena *a, struct boxes *b, struct cidr addr, uint32_t a_lo, uint32_t a_hi,
		 uint32_t b_lo, uint32_t b_hi)
{
	ARENA_RESERVE(a, b->v, b->n, b->cap);
	b->v[b->n++] = (struct box){ .addr = addr, .a_lo = a_lo, .a_hi = a_hi,
				    .b_lo = b_lo, .b_hi = b_hi };
}

/* The combos holding a member of each group, for the ENIs of the router's
 * VPC: the same for every rule that names the group, so found once per
 * group (asked per rule, 10,000 ENIs × their group rules × 1,000 combos
 * took 87 s of one compile; measured with bench/tools/reconcile_bench). */
struct member_cache {
	const char *vpc_id;
	struct combo_list {
		uint32_t *k; /* combo indexes, ascending */
		size_t n;
		bool done;
	} *by_group; /* by the group's position in the snapshot */
};

static const struct combo_list *combos_with(struct arena *a, const struct snapshot *s,
					    const struct combos *c, struct member_cache *mc,
					    const char *group)
{
	static const struct combo_list none = { 0 };
	const struct security_group *g = sem_group(s, group);
	if (!g)
		return &none; /* sem_sg_member: no such group, no member */
	struct combo_list *l = &mc->by_group[g - s->sgs];
	if (!l->done) {
		l->k = arena_alloc_array(a, c->n ? c->n : 1, sizeof(*l->k));
		for (size_t k = 0; k < c->n; k++)
			if (sem_sg_member(s, mc->vpc_id, c->rep[k], group))
				l->k[l->n++] = (uint32_t)k;
		l->done = true;
	}
	return l;
}

/* The flattened rules of one direction (semantics/sg.c decides them) as
 * boxes: a = protocol or ICMP type, b = port or ICMP code. */
static void eni_direction(struct arena *a, const struct snapshot *s, const struct combos *c,
			  struct member_cache *mc, const struct eni *e, bool is_egress,
			  struct eni_boxes *eb)
{
	struct sem_sg_rules r;
	memset(eb, 0, sizeof(*eb));
	sem_sg_flatten(a, s, e, is_egress, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct sem_sg_entry *x = &r.v[i];
		if (x->peer_group) {
			const struct combo_list *l =
				mc->vpc_id && !strcmp(e->vpc_id, mc->vpc_id)
					? combos_with(a, s, c, mc, x->peer_group)
					: NULL;
			for (size_t j = 0; j < (l ? l->n : c->n); j++) {
				size_t k = l ? l->k[j] : j;
				if (!l && !sem_sg_member(s, e->vpc_id, c->rep[k], x->peer_group))
					continue;
				struct cidr id = { .addr = (uint32_t)k + 1, .len = 32 };
				if (x->kind == SEM_SG_ICMP)
					push(a, &eb->icmp_ref, id, x->icmp_type, x->icmp_type, x->lo,
					     x->hi);
				else
					push(a, &eb->l4_ref, id, x->proto_lo, x->proto_hi, x->lo,
					     x->hi);
			}
		} else if (x->kind == SEM_SG_ICMP)
			push(a, &eb->icmp, x->peer, x->icmp_type, x->icmp_type, x->lo, x->hi);
		else
			push(a, &eb->l4, x->peer, x->proto_lo, x->proto_hi, x->lo, x->hi);
	}
	for (size_t i = 0; i < r.n_untracked; i++)
		push(a, &eb->untracked, (struct cidr){ 0 }, r.untracked[i].protocol,
		     r.untracked[i].protocol, r.untracked[i].lo, r.untracked[i].hi);
}

static void range(struct buf *t, uint32_t lo, uint32_t hi)
{
	if (lo == hi)
		(void)buf_printf(t, "%u", lo);
	else
		(void)buf_printf(t, "%u-%u", lo, hi);
}

enum key { K_NONE, K_ADDR, K_COMBO };

/* Appends ", "-separated elements of one ENI; the key before the ENI: the
 * peer prefix, the peer's combo (a mark) or nothing.  The peer comes first
 * because pipapo walks the fields in order and carries every element the
 * field matched into the next one: the ENI's name matches all of that
 * ENI's rules (1,000 bits to carry, 16 bytes to compare), the peer
 * matches few.  Measured on the 1,000-rule bench path: 8.5 µs of pipapo
 * per new connection with the ENI first, 0.6 µs with the peer first. */
static void elements(struct arena *a, struct buf *el, const char *dev, const struct boxes *b,
		     enum key key)
{
	struct box *v;
	size_t n;
	char pfx[CIDR_STR_MAX];
	box_disjoint(a, b->v, b->n, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (el->size)
			(void)buf_puts(el, ", ");
		if (key == K_ADDR)
			(void)buf_printf(el, "%s . ", cidr_format(&v[i].addr, pfx));
		else if (key == K_COMBO)
			(void)buf_printf(el, "%u . ", v[i].addr.addr);
		(void)buf_printf(el, "\"%s\" . ", dev);
		range(el, v[i].a_lo, v[i].a_hi);
		(void)buf_puts(el, " . ");
		range(el, v[i].b_lo, v[i].b_hi);
	}
}

static void set(struct buf *t, const char *name, const char *type, const struct buf *el)
{
	(void)buf_printf(t, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n", name, type);
	if (el->size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(el));
	(void)buf_puts(t, "\t}\n");
}

enum {
	S_OUT,
	S_OUT_ICMP,
	S_IN,
	S_IN_ICMP,
	S_OUT_REF,
	S_OUT_REF_ICMP,
	S_IN_REF,
	S_IN_REF_ICMP,
	S_UNT_OUT,
	S_UNT_IN,
	S_COUNT
};

struct by_ip {
	uint32_t ip;
	size_t i;
};

static int cmp_by_ip(const void *pa, const void *pb)
{
	const struct by_ip *x = pa, *y = pb;
	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* The map from a peer's private address to its combo.  Overlapping peers
 * of two peerings share an address: the first member wins (found by a
 * sort: comparing every member with those before it took 50 million
 * steps at 10,000 ENIs). */
static void combo_map(struct arena *a, struct buf *t, const struct combos *c)
{
	bool first = true;
	struct by_ip *v = arena_alloc_array(a, c->n_members + 1, sizeof(*v));
	bool *dup = arena_alloc_array(a, c->n_members + 1, sizeof(*dup));
	for (size_t i = 0; i < c->n_members; i++)
		v[i] = (struct by_ip){ c->member[i].eni->private_ip, i };
	qsort(v, c->n_members, sizeof(*v), cmp_by_ip);
	for (size_t k = 1; k < c->n_members; k++)
		dup[v[k].i] = v[k].ip == v[k - 1].ip;
	(void)buf_puts(t, "	map sg_combo {\n\t\ttype ipv4_addr : mark\n");
	for (size_t i = 0; i < c->n_members; i++) {
		if (dup[i])
			continue;
		uint32_t ip = c->member[i].eni->private_ip;
		(void)buf_printf(t, "%s%u.%u.%u.%u : %u", first ? "\t\telements = { " : ", ",
				 ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255,
				 c->member[i].combo);
		first = false;
	}
	(void)buf_puts(t, first ? "\t}\n" : " }\n\t}\n");
}

static const struct {
	const char *name, *type;
} rule_sets[S_COUNT] = {
	[S_OUT] = { "sg_out", "ipv4_addr . ifname . inet_proto . inet_service" },
	[S_OUT_ICMP] = { "sg_out_icmp", "ipv4_addr . ifname . icmp_type . icmp_code" },
	[S_IN] = { "sg_in", "ipv4_addr . ifname . inet_proto . inet_service" },
	[S_IN_ICMP] = { "sg_in_icmp", "ipv4_addr . ifname . icmp_type . icmp_code" },
	[S_OUT_REF] = { "sg_out_ref", "mark . ifname . inet_proto . inet_service" },
	[S_OUT_REF_ICMP] = { "sg_out_ref_icmp", "mark . ifname . icmp_type . icmp_code" },
	[S_IN_REF] = { "sg_in_ref", "mark . ifname . inet_proto . inet_service" },
	[S_IN_REF_ICMP] = { "sg_in_ref_icmp", "mark . ifname . icmp_type . icmp_code" },
	[S_UNT_OUT] = { "sg_untracked_out", "ifname . inet_proto . inet_service" },
	[S_UNT_IN] = { "sg_untracked_in", "ifname . inet_proto . inet_service" },
};

/* The ten sets of the rules for enis[0..n); the combos are the router's. */
static void rule_sets_of(struct arena *a, const struct snapshot *s, const struct combos *c,
			 const struct eni *const *enis, size_t n, struct buf *t)
{
	struct buf el[S_COUNT];
	char dev[DP_IFNAME_MAX];
	for (size_t i = 0; i < S_COUNT; i++)
		buf_init(&el[i], 64 << 20);
	struct member_cache mc = { .vpc_id = n ? enis[0]->vpc_id : NULL,
				   .by_group = arena_alloc_array(a, s->n_sgs ? s->n_sgs : 1,
								 sizeof(*mc.by_group)) };
	for (size_t i = 0; i < n; i++) {
		struct eni_boxes out, in;
		/* A NAT gateway's ENI has no groups (AWS: it takes none). */
		if (!sem_eni_has_groups(enis[i]))
			continue;
		compile_ifname_eni(enis[i]->head.id, dev);
		eni_direction(a, s, c, &mc, enis[i], true, &out);
		eni_direction(a, s, c, &mc, enis[i], false, &in);
		elements(a, &el[S_OUT], dev, &out.l4, K_ADDR);
		elements(a, &el[S_OUT_ICMP], dev, &out.icmp, K_ADDR);
		elements(a, &el[S_IN], dev, &in.l4, K_ADDR);
		elements(a, &el[S_IN_ICMP], dev, &in.icmp, K_ADDR);
		elements(a, &el[S_OUT_REF], dev, &out.l4_ref, K_COMBO);
		elements(a, &el[S_OUT_REF_ICMP], dev, &out.icmp_ref, K_COMBO);
		elements(a, &el[S_IN_REF], dev, &in.l4_ref, K_COMBO);
		elements(a, &el[S_IN_REF_ICMP], dev, &in.icmp_ref, K_COMBO);
		elements(a, &el[S_UNT_OUT], dev, &out.untracked, K_NONE);
		elements(a, &el[S_UNT_IN], dev, &in.untracked, K_NONE);
	}
	for (size_t i = 0; i < S_COUNT; i++) {
		set(t, rule_sets[i].name, rule_sets[i].type, &el[i]);
		buf_done(&el[i]);
	}
}

void compile_sg_sets(struct arena *a, const struct snapshot *s, const struct eni *const *enis,
		     size_t n, struct buf *t)
{
	struct buf all;
	char dev[DP_IFNAME_MAX];
	buf_init(&all, 8 << 20);
	struct combos c;
	combos_build(a, s, n ? enis[0]->vpc_id : NULL, &c);
	for (size_t i = 0; i < n; i++) {
		if (!sem_eni_has_groups(enis[i]))
			continue;
		compile_ifname_eni(enis[i]->head.id, dev);
		if (all.size)
			(void)buf_puts(&all, ", ");
		(void)buf_printf(&all, "\"%s\"", dev);
	}
	(void)buf_puts(t, "\tset sg_enis {\n\t\ttype ifname\n");
	if (all.size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(&all));
	(void)buf_puts(t, "\t}\n");
	combo_map(a, t, &c);
	rule_sets_of(a, s, &c, enis, n, t);
	buf_done(&all);
}

/* Whether a group of one of the ENIs has a rule naming a group. */
static bool any_reference(const struct snapshot *s, const struct eni *const *enis, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < enis[i]->n_groups; k++) {
			const struct security_group *g = sem_group(s, enis[i]->group_ids[k]);
			for (size_t j = 0; g && j < g->n_rules; j++)
				if (g->rules[j].peer == SG_PEER_GROUP)
					return true;
		}
	return false;
}

void compile_sg_rule_sets(struct arena *a, const struct snapshot *s, const struct eni *const *enis,
			  size_t n, struct buf *t)
{
	struct combos c;
	/* Only a rule naming a group needs the combos, and building them
	 * walks every ENI of the VPC. */
	if (any_reference(s, enis, n))
		combos_build(a, s, n ? enis[0]->vpc_id : NULL, &c);
	else
		memset(&c, 0, sizeof(c));
	rule_sets_of(a, s, &c, enis, n, t);
}

void compile_sg_chains(struct buf *t)
{
	(void)buf_printf(
		t,
		/* Allowed by the sender's egress rules: return; else drop. */
		"\tchain sg_egress {\n"
		"\t\tip daddr . iifname . meta l4proto . th dport @sg_out return\n"
		"\t\tip daddr . iifname . icmp type . icmp code @sg_out_icmp return\n"
		/* Group references: the peer's group set (the route-table
		 * mark is spent: routing is done). */
		"\t\tmeta mark set 0\n"
		"\t\tmeta mark set ip daddr map @sg_combo\n"
		"\t\tmeta mark . iifname . meta l4proto . th dport @sg_out_ref return\n"
		"\t\tmeta mark . iifname . icmp type . icmp code @sg_out_ref_icmp return\n"
		"\t\tgoto fl_rej_out\n" /* drop; flow logs: compile/flowlog.h */
		"\t}\n"
		"\tchain sg_ingress {\n"
		"\t\tip saddr . oifname . meta l4proto . th dport @sg_in return\n"
		"\t\tip saddr . oifname . icmp type . icmp code @sg_in_icmp return\n"
		"\t\tmeta mark set 0\n"
		"\t\tmeta mark set ip saddr map @sg_combo\n"
		"\t\tmeta mark . oifname . meta l4proto . th dport @sg_in_ref return\n"
		"\t\tmeta mark . oifname . icmp type . icmp code @sg_in_ref_icmp return\n"
		"\t\tgoto fl_rej_sg_in\n"
		"\t}\n"
		/* A new flow: both ends' groups (§9 steps 2 and 8), then
		 * whether AWS would track it at each end (SG-21). */
		"\tchain sg_new {\n"
		"\t\tiifname @sg_enis jump sg_egress\n"
		"\t\toifname @sg_enis jump sg_ingress\n"
		"\t\toifname . meta l4proto . th dport @sg_untracked_in ct mark set ct mark | 0x%x\n"
		"\t\tiifname . meta l4proto . th dport @sg_untracked_out ct mark set ct mark | 0x%x\n"
		"\t}\n"
		/* SG-19: a packet of a tracked flow passes both ways; one of a
		 * flow untracked at an end is judged by that end's rules
		 * (SG-23).  Original direction: client → server. */
		"\tchain sg_check {\n"
		/* One lookup for every packet; a new flow ends in sg_new (a
		 * goto: nothing after it here applies to new flows). */
		"\t\tct state vmap { invalid : drop, new : goto sg_new }\n"
		/* Established and related packets of a flow tracked at both
		 * ends, nearly all of them: nothing more to judge. */
		"\t\tct mark & 0x%x == 0 return\n"
		"\t\tct direction original ct mark & 0x%x != 0 iifname @sg_enis jump sg_egress\n"
		"\t\tct direction original ct mark & 0x%x != 0 oifname @sg_enis jump sg_ingress\n"
		"\t\tct direction reply ct mark & 0x%x != 0 iifname @sg_enis jump sg_egress\n"
		"\t\tct direction reply ct mark & 0x%x != 0 oifname @sg_enis jump sg_ingress\n"
		"\t}\n",
		SG_CT_UNTRACKED_SERVER, SG_CT_UNTRACKED_CLIENT,
		SG_CT_UNTRACKED_SERVER | SG_CT_UNTRACKED_CLIENT, SG_CT_UNTRACKED_CLIENT,
		SG_CT_UNTRACKED_SERVER, SG_CT_UNTRACKED_SERVER, SG_CT_UNTRACKED_CLIENT);
}
