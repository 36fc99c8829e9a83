// SPDX-License-Identifier: MIT
/* Security groups → nftables sets and chains; see sg.h.  What the groups
 * admit is semantics/sg.c's; this file decides only how those entries
 * become elements.  Never touches the kernel. */
#include "compile/sg.h"

#include <stdbool.h>
#include <stdio.h>
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

/* The four rule sets and two untracked sets of one direction of one ENI. */
struct eni_boxes {
	struct boxes l4, icmp, untracked;
};

static void push(struct arena *a, struct boxes *b, struct cidr addr, uint32_t a_lo, uint32_t a_hi,
		 uint32_t b_lo, uint32_t b_hi)
{
	ARENA_RESERVE(a, b->v, b->n, b->cap);
	b->v[b->n++] = (struct box){ .addr = addr, .a_lo = a_lo, .a_hi = a_hi,
				    .b_lo = b_lo, .b_hi = b_hi };
}

/* The flattened rules of one direction (semantics/sg.c decides them) as
 * boxes: a = protocol or ICMP type, b = port or ICMP code. */
static void eni_direction(struct arena *a, const struct snapshot *s, const struct eni *e,
			  bool is_egress, struct eni_boxes *eb)
{
	struct sem_sg_rules r;
	memset(eb, 0, sizeof(*eb));
	sem_sg_flatten(a, s, e, is_egress, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct sem_sg_entry *x = &r.v[i];
		if (x->kind == SEM_SG_ICMP)
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

/* Appends ", "-separated elements of one ENI; with_addr: the key has the
 * peer address. */
static void elements(struct arena *a, struct buf *el, const char *dev, const struct boxes *b,
		     bool with_addr)
{
	struct box *v;
	size_t n;
	char pfx[CIDR_STR_MAX];
	box_disjoint(a, b->v, b->n, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (el->size)
			(void)buf_puts(el, ", ");
		(void)buf_printf(el, "\"%s\" . ", dev);
		if (with_addr)
			(void)buf_printf(el, "%s . ", cidr_format(&v[i].addr, pfx));
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

enum { S_OUT, S_OUT_ICMP, S_IN, S_IN_ICMP, S_UNT_OUT, S_UNT_IN, S_COUNT };

void compile_sg_sets(struct arena *a, const struct snapshot *s, const struct eni *const *enis,
		     size_t n, struct buf *t)
{
	static const struct {
		const char *name, *type;
	} sets[S_COUNT] = {
		[S_OUT] = { "sg_out", "ifname . ipv4_addr . inet_proto . inet_service" },
		[S_OUT_ICMP] = { "sg_out_icmp", "ifname . ipv4_addr . icmp_type . icmp_code" },
		[S_IN] = { "sg_in", "ifname . ipv4_addr . inet_proto . inet_service" },
		[S_IN_ICMP] = { "sg_in_icmp", "ifname . ipv4_addr . icmp_type . icmp_code" },
		[S_UNT_OUT] = { "sg_untracked_out", "ifname . inet_proto . inet_service" },
		[S_UNT_IN] = { "sg_untracked_in", "ifname . inet_proto . inet_service" },
	};
	struct buf el[S_COUNT], all;
	char dev[DP_IFNAME_MAX];
	for (size_t i = 0; i < S_COUNT; i++)
		buf_init(&el[i], 64 << 20);
	buf_init(&all, 8 << 20);
	for (size_t i = 0; i < n; i++) {
		struct eni_boxes out, in;
		/* A NAT gateway's ENI has no groups (AWS: it takes none). */
		if (!sem_eni_has_groups(enis[i]))
			continue;
		compile_ifname_eni(enis[i]->head.id, dev);
		eni_direction(a, s, enis[i], true, &out);
		eni_direction(a, s, enis[i], false, &in);
		elements(a, &el[S_OUT], dev, &out.l4, true);
		elements(a, &el[S_OUT_ICMP], dev, &out.icmp, true);
		elements(a, &el[S_IN], dev, &in.l4, true);
		elements(a, &el[S_IN_ICMP], dev, &in.icmp, true);
		elements(a, &el[S_UNT_OUT], dev, &out.untracked, false);
		elements(a, &el[S_UNT_IN], dev, &in.untracked, false);
		if (all.size)
			(void)buf_puts(&all, ", ");
		(void)buf_printf(&all, "\"%s\"", dev);
	}
	(void)buf_puts(t, "\tset sg_enis {\n\t\ttype ifname\n");
	if (all.size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(&all));
	(void)buf_puts(t, "\t}\n");
	for (size_t i = 0; i < S_COUNT; i++) {
		set(t, sets[i].name, sets[i].type, &el[i]);
		buf_done(&el[i]);
	}
	buf_done(&all);
}

void compile_sg_chains(struct buf *t)
{
	(void)buf_printf(
		t,
		/* Allowed by the sender's egress rules: return; else drop. */
		"\tchain sg_egress {\n"
		"\t\tiifname . ip daddr . meta l4proto . th dport @sg_out return\n"
		"\t\tiifname . ip daddr . icmp type . icmp code @sg_out_icmp return\n"
		"\t\tgoto fl_rej_out\n" /* drop; flow logs: compile/flowlog.h */
		"\t}\n"
		"\tchain sg_ingress {\n"
		"\t\toifname . ip saddr . meta l4proto . th dport @sg_in return\n"
		"\t\toifname . ip saddr . icmp type . icmp code @sg_in_icmp return\n"
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
		"\t\tct state invalid drop\n"
		"\t\tct state new jump sg_new\n"
		"\t\tct state new return\n"
		"\t\tct direction original ct mark & 0x%x != 0 iifname @sg_enis jump sg_egress\n"
		"\t\tct direction original ct mark & 0x%x != 0 oifname @sg_enis jump sg_ingress\n"
		"\t\tct direction reply ct mark & 0x%x != 0 iifname @sg_enis jump sg_egress\n"
		"\t\tct direction reply ct mark & 0x%x != 0 oifname @sg_enis jump sg_ingress\n"
		"\t}\n",
		SG_CT_UNTRACKED_SERVER, SG_CT_UNTRACKED_CLIENT, SG_CT_UNTRACKED_CLIENT,
		SG_CT_UNTRACKED_SERVER, SG_CT_UNTRACKED_SERVER, SG_CT_UNTRACKED_CLIENT);
}
