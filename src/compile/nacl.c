// SPDX-License-Identifier: MIT
/* Network ACLs → nftables chains; see nacl.h.  Which ACL and which entries
 * in which order is semantics/nacl.c's.  Never touches the kernel. */
#include "compile/nacl.h"

#include <stdbool.h>
#include <string.h>

#include "compile/box.h"
#include "compile/compile.h"
#include "model/instance.h"
#include "model/network_acl.h"
#include "model/snapshot.h"
#include "semantics/nacl.h"
#include "util/arena.h"
#include "util/buf.h"

static const char *tail8(const char *id)
{
	size_t n = strlen(id);
	return n > 8 ? id + n - 8 : id;
}

/* One entry as one rule; what it matches is semantics/nacl.c's
 * normalised form (NACL-4). */
static void entry_rule(struct buf *t, const struct sem_nacl_match *e)
{
	char pfx[CIDR_STR_MAX];
	(void)buf_printf(t, "\t\t# rule %d\n\t\t", e->rule_number);
	if (e->cidr.len)
		(void)buf_printf(t, "ip %s %s ", e->is_egress ? "daddr" : "saddr",
				 cidr_format(&e->cidr, pfx));
	if (e->protocol != NACL_PROTO_ALL)
		(void)buf_printf(t, "meta l4proto %d ", e->protocol);
	if (e->has_ports)
		(void)buf_printf(t, "th dport %d-%d ", e->port_lo, e->port_hi);
	if (e->has_icmp_type) {
		(void)buf_printf(t, "icmp type %d ", e->icmp_type);
		if (e->has_icmp_code)
			(void)buf_printf(t, "icmp code %d ", e->icmp_code);
	}
	/* A deny drops, through the flow-log chains (compile/flowlog.h): the
	 * ENI on this subnet's side of the boundary records the REJECT. */
	(void)buf_puts(t, e->is_allow	   ? "return\n"
			  : e->is_egress ? "goto fl_rej_out\n"
					 : "goto fl_rej_in\n");
}

/* The shapes of entry a set lookup can stand for: the key is the address
 * alone, address . protocol, or address . protocol . port.  An entry with
 * an ICMP type stays a rule of its own. */
enum shape { SH_ADDR, SH_PROTO, SH_PORTS, SH_RULE };

static enum shape shape_of(const struct sem_nacl_match *e)
{
	if (e->has_icmp_type)
		return SH_RULE;
	if (e->has_ports)
		return SH_PORTS;
	return e->protocol == NACL_PROTO_ALL ? SH_ADDR : SH_PROTO;
}

static void range(struct buf *t, uint32_t lo, uint32_t hi)
{
	if (lo == hi)
		(void)buf_printf(t, "%u", lo);
	else
		(void)buf_printf(t, "%u-%u", lo, hi);
}

/* The entries v[0..n) of shape sh, all with the same action, as one rule
 * probing an anonymous interval set: the same packets as those rules one
 * after another, as they share the verdict, at the cost of one probe
 * (first match decides only between different actions).  The elements
 * are cut disjoint (box.h: pipapo refuses overlaps). */
static void set_rule(struct arena *a, struct buf *t, const struct sem_nacl_match *v, size_t n,
		     enum shape sh)
{
	struct box *in = arena_alloc_array(a, n, sizeof(*in)), *out;
	size_t k = 0, n_out;
	char pfx[CIDR_STR_MAX];
	(void)buf_puts(t, "\t\t# rules");
	for (size_t i = 0; i < n; i++) {
		if (shape_of(&v[i]) != sh)
			continue;
		(void)buf_printf(t, " %d", v[i].rule_number);
		in[k] = (struct box){ .addr = v[i].cidr };
		if (!v[i].cidr.len)
			in[k].addr.addr = 0;
		if (sh != SH_ADDR)
			in[k].a_lo = in[k].a_hi = (uint32_t)v[i].protocol;
		if (sh == SH_PORTS) {
			in[k].b_lo = (uint32_t)v[i].port_lo;
			in[k].b_hi = (uint32_t)v[i].port_hi;
		}
		k++;
	}
	box_disjoint(a, in, k, &out, &n_out);
	(void)buf_printf(t, "\n\t\tip %s ", v[0].is_egress ? "daddr" : "saddr");
	if (sh == SH_PROTO)
		(void)buf_puts(t, ". meta l4proto ");
	else if (sh == SH_PORTS)
		(void)buf_puts(t, ". meta l4proto . th dport ");
	(void)buf_puts(t, "{ ");
	for (size_t i = 0; i < n_out; i++) {
		(void)buf_printf(t, "%s%s", i ? ", " : "", cidr_format(&out[i].addr, pfx));
		if (sh != SH_ADDR) {
			(void)buf_puts(t, " . ");
			range(t, out[i].a_lo, out[i].a_hi);
		}
		if (sh == SH_PORTS) {
			(void)buf_puts(t, " . ");
			range(t, out[i].b_lo, out[i].b_hi);
		}
	}
	(void)buf_puts(t, v[0].is_allow	    ? " } return\n"
			  : v[0].is_egress ? " } goto fl_rej_out\n"
					   : " } goto fl_rej_in\n");
}

/* A run of entries with one action: first match never has to choose
 * inside it, so each shape with more than one entry becomes one set
 * probe (measured: the bench's ten deny entries as ten rules cost 2.5 µs
 * of a new connection's 7 packets, as one probe nearly nothing); the
 * rest stay rules, in order. */
static void run_rules(struct arena *a, struct buf *t, const struct sem_nacl_match *v, size_t n)
{
	size_t count[SH_RULE + 1] = { 0 };
	bool done[SH_RULE + 1] = { false };
	for (size_t i = 0; i < n; i++)
		count[shape_of(&v[i])]++;
	for (size_t i = 0; i < n; i++) {
		enum shape sh = shape_of(&v[i]);
		if (sh == SH_RULE || count[sh] < 2)
			entry_rule(t, &v[i]);
		else if (!done[sh]) {
			set_rule(a, t, &v[i], n - i, sh);
			done[sh] = true;
		}
	}
}

static void chain(struct arena *a, struct buf *t, const char *sn8, const struct network_acl *acl,
		  bool is_egress)
{
	struct sem_nacl_match *v;
	size_t n = sem_nacl_entries(a, acl, is_egress, &v);
	(void)buf_printf(t, "\tchain nacl_%c_%s {\n", is_egress ? 'o' : 'i', sn8);
	/* NACL-13: never within a subnet (sem_nacl_applies). */
	(void)buf_printf(t, "\t\t%s @sn_%s return\n", is_egress ? "oifname" : "iifname", sn8);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j].is_allow == v[i].is_allow; j++)
			;
		run_rules(a, t, &v[i], j - i);
	}
	(void)buf_printf(t, "\t\t# rule * (32767)\n\t\tgoto fl_rej_%s\n\t}\n",
			 is_egress ? "out" : "in");
}

static bool seen_before(const struct eni *const *enis, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(enis[k]->subnet_id, enis[i]->subnet_id))
			return true;
	return false;
}

void compile_nacl(struct arena *a, const struct snapshot *s, const struct eni *const *enis, size_t n,
		  struct buf *t)
{
	struct buf out, in;
	char dev[DP_IFNAME_MAX];
	buf_init(&out, 8 << 20);
	buf_init(&in, 8 << 20);
	for (size_t i = 0; i < n; i++) {
		if (seen_before(enis, i))
			continue;
		const char *sn = enis[i]->subnet_id, *sn8 = tail8(sn);
		(void)buf_printf(t, "\tset sn_%s {\n\t\ttype ifname\n\t\telements = { ", sn8);
		for (size_t k = i, first = 1; k < n; k++) {
			if (strcmp(enis[k]->subnet_id, sn))
				continue;
			compile_ifname_eni(enis[k]->head.id, dev);
			(void)buf_printf(t, "%s\"%s\"", first ? "" : ", ", dev);
			first = 0;
		}
		(void)buf_puts(t, " }\n\t}\n");
		const struct network_acl *acl = sem_nacl_of_subnet(s, sn);
		if (!acl)
			continue; /* a state dir from before ACLs: nothing to apply */
		chain(a, t, sn8, acl, true);
		chain(a, t, sn8, acl, false);
		for (size_t k = i; k < n; k++) {
			if (strcmp(enis[k]->subnet_id, sn))
				continue;
			compile_ifname_eni(enis[k]->head.id, dev);
			(void)buf_printf(&out, "%s\"%s\" : jump nacl_o_%s", out.size ? ", " : "",
					 dev, sn8);
			(void)buf_printf(&in, "%s\"%s\" : jump nacl_i_%s", in.size ? ", " : "", dev,
					 sn8);
		}
	}
	(void)buf_puts(t, "\tmap nacl_out {\n\t\ttype ifname : verdict\n");
	if (out.size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(&out));
	(void)buf_puts(t, "\t}\n\tmap nacl_in {\n\t\ttype ifname : verdict\n");
	if (in.size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(&in));
	(void)buf_puts(t, "\t}\n");
	buf_done(&out);
	buf_done(&in);
}
