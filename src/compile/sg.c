// SPDX-License-Identifier: MIT
/* Security groups → nftables sets and chains; see sg.h.  Decides only how
 * AWS's rules become elements; never touches the kernel. */
#include "compile/sg.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "compile/box.h"
#include "compile/compile.h"
#include "compile/lookup.h"
#include "model/instance.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/buf.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58

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

static const struct security_group *group_of(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_sgs; i++)
		if (!strcmp(s->sgs[i].head.id, id))
			return &s->sgs[i];
	return NULL;
}

static bool eni_has_group(const struct eni *e, const char *id)
{
	for (size_t i = 0; i < e->n_groups; i++)
		if (!strcmp(e->group_ids[i], id))
			return true;
	return false;
}

/* A rule's peer as prefixes: its CIDR, or every private IPv4 of an ENI
 * that carries the referenced group in the same VPC (SG-9; a group that is
 * gone leaves a stale rule matching nothing, SG-11).  Prefix lists are not
 * served yet: such a rule matches nothing. */
static size_t peer_prefixes(struct arena *a, const struct snapshot *s, const struct sg_rule *r,
			    const char *vpc_id, struct cidr **ret)
{
	if (r->peer == SG_PEER_CIDR) {
		*ret = arena_alloc(a, sizeof(**ret));
		**ret = r->cidr;
		return 1;
	}
	if (r->peer != SG_PEER_GROUP || !group_of(s, r->ref_group_id))
		return 0;
	struct cidr *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < s->n_enis; i++) {
		const struct eni *e = &s->enis[i];
		/* SG-10: members in this VPC or one peered with it (active). */
		if (!eni_has_group(e, r->ref_group_id) ||
		    (strcmp(e->vpc_id, vpc_id) && !lookup_vpcs_peered(s, e->vpc_id, vpc_id)))
			continue;
		ARENA_RESERVE(a, v, n, cap);
		v[n++] = (struct cidr){ .addr = e->private_ip, .len = 32 };
	}
	*ret = v;
	return n;
}

/* One rule into boxes (SG-8): -1 is every protocol and port; tcp/udp a
 * port range; icmp a type and code (-1 all); any other number every port. */
static void rule_boxes(struct arena *a, const struct snapshot *s, const struct sg_rule *r,
		       const char *vpc_id, struct eni_boxes *eb)
{
	struct cidr *pfx;
	size_t n = peer_prefixes(a, s, r, vpc_id, &pfx);
	if (r->protocol == PROTO_ICMPV6)
		return; /* IPv6 is refused end to end */
	for (size_t i = 0; i < n; i++) {
		if (r->protocol == SG_PROTO_ALL)
			push(a, &eb->l4, pfx[i], 0, 255, 0, 65535);
		else if (r->protocol == PROTO_TCP || r->protocol == PROTO_UDP)
			push(a, &eb->l4, pfx[i], (uint32_t)r->protocol, (uint32_t)r->protocol,
			     (uint32_t)r->from_port, (uint32_t)r->to_port);
		else if (r->protocol == PROTO_ICMP && r->from_port < 0)
			push(a, &eb->l4, pfx[i], PROTO_ICMP, PROTO_ICMP, 0, 65535);
		else if (r->protocol == PROTO_ICMP)
			push(a, &eb->icmp, pfx[i], (uint32_t)r->from_port, (uint32_t)r->from_port,
			     r->to_port < 0 ? 0 : (uint32_t)r->to_port,
			     r->to_port < 0 ? 255 : (uint32_t)r->to_port);
		else if (r->protocol > 0 && r->protocol < 256)
			push(a, &eb->l4, pfx[i], (uint32_t)r->protocol, (uint32_t)r->protocol, 0,
			     65535);
	}
}

static bool is_anywhere(const struct sg_rule *r)
{
	return r->peer == SG_PEER_CIDR && r->cidr.len == 0;
}

/* SG-21: a rule of the other direction that lets every address answer on
 * every port of protocol p. */
static bool other_side_open(const struct snapshot *s, const struct eni *e, bool is_egress, int p)
{
	for (size_t g = 0; g < e->n_groups; g++) {
		const struct security_group *sg = group_of(s, e->group_ids[g]);
		for (size_t k = 0; sg && k < sg->n_rules; k++) {
			const struct sg_rule *r = &sg->rules[k];
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
static void untracked_boxes(struct arena *a, const struct snapshot *s, const struct eni *e,
			    const struct sg_rule *r, struct eni_boxes *eb)
{
	static const int l4[] = { PROTO_TCP, PROTO_UDP };
	if (!is_anywhere(r))
		return;
	for (size_t i = 0; i < 2; i++) {
		int p = l4[i];
		if (r->protocol != SG_PROTO_ALL && r->protocol != p)
			continue;
		if (!other_side_open(s, e, r->is_egress, p))
			continue;
		uint32_t lo = r->protocol == SG_PROTO_ALL ? 0 : (uint32_t)r->from_port;
		uint32_t hi = r->protocol == SG_PROTO_ALL ? 65535 : (uint32_t)r->to_port;
		push(a, &eb->untracked, (struct cidr){ 0 }, (uint32_t)p, (uint32_t)p, lo, hi);
	}
}

static void eni_direction(struct arena *a, const struct snapshot *s, const struct eni *e,
			  bool is_egress, struct eni_boxes *eb)
{
	memset(eb, 0, sizeof(*eb));
	for (size_t g = 0; g < e->n_groups; g++) {
		const struct security_group *sg = group_of(s, e->group_ids[g]);
		for (size_t k = 0; sg && k < sg->n_rules; k++) {
			const struct sg_rule *r = &sg->rules[k];
			if (r->is_egress != is_egress)
				continue;
			rule_boxes(a, s, r, e->vpc_id, eb);
			untracked_boxes(a, s, e, r, eb);
		}
	}
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
		if (enis[i]->interface_type && strcmp(enis[i]->interface_type, "interface"))
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
		"\t\tdrop\n"
		"\t}\n"
		"\tchain sg_ingress {\n"
		"\t\toifname . ip saddr . meta l4proto . th dport @sg_in return\n"
		"\t\toifname . ip saddr . icmp type . icmp code @sg_in_icmp return\n"
		"\t\tdrop\n"
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
