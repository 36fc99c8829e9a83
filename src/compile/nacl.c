// SPDX-License-Identifier: MIT
/* Network ACLs → nftables chains; see nacl.h.  Which ACL and which entries
 * in which order is semantics/nacl.c's.  Never touches the kernel. */
#include "compile/nacl.h"

#include <stdbool.h>
#include <string.h>

#include "compile/compile.h"
#include "model/instance.h"
#include "model/network_acl.h"
#include "model/snapshot.h"
#include "semantics/nacl.h"
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

static void chain(struct arena *a, struct buf *t, const char *sn8, const struct network_acl *acl,
		  bool is_egress)
{
	struct sem_nacl_match *v;
	size_t n = sem_nacl_entries(a, acl, is_egress, &v);
	(void)buf_printf(t, "\tchain nacl_%c_%s {\n", is_egress ? 'o' : 'i', sn8);
	/* NACL-13: never within a subnet (sem_nacl_applies). */
	(void)buf_printf(t, "\t\t%s @sn_%s return\n", is_egress ? "oifname" : "iifname", sn8);
	for (size_t i = 0; i < n; i++)
		entry_rule(t, &v[i]);
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
