// SPDX-License-Identifier: MIT
/* Network ACLs → nftables chains; see nacl.h.  Never touches the kernel. */
#include "compile/nacl.h"

#include <stdbool.h>
#include <string.h>

#include "compile/compile.h"
#include "model/instance.h"
#include "model/network_acl.h"
#include "model/snapshot.h"
#include "util/buf.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17

static const char *tail8(const char *id)
{
	size_t n = strlen(id);
	return n > 8 ? id + n - 8 : id;
}

static const struct network_acl *acl_of_subnet(const struct snapshot *s, const char *subnet_id)
{
	for (size_t i = 0; i < s->n_nacls; i++)
		for (size_t k = 0; k < s->nacls[i].n_assocs; k++)
			if (!strcmp(s->nacls[i].assocs[k].subnet_id, subnet_id))
				return &s->nacls[i];
	return NULL;
}

/* One entry as one rule (NACL-4): the CIDR is the destination of an
 * outbound entry and the source of an inbound one; ports and ICMP fields
 * count only for their protocols. */
static void entry_rule(struct buf *t, const struct nacl_entry *e)
{
	char pfx[CIDR_STR_MAX];
	(void)buf_printf(t, "\t\t# rule %d\n\t\t", e->rule_number);
	if (e->cidr.len)
		(void)buf_printf(t, "ip %s %s ", e->is_egress ? "daddr" : "saddr",
				 cidr_format(&e->cidr, pfx));
	if (e->protocol != NACL_PROTO_ALL)
		(void)buf_printf(t, "meta l4proto %d ", e->protocol);
	if ((e->protocol == PROTO_TCP || e->protocol == PROTO_UDP) && e->from_port >= 0)
		(void)buf_printf(t, "th dport %d-%d ", e->from_port, e->to_port);
	if (e->protocol == PROTO_ICMP && e->icmp_type >= 0) {
		(void)buf_printf(t, "icmp type %d ", e->icmp_type);
		if (e->icmp_code >= 0)
			(void)buf_printf(t, "icmp code %d ", e->icmp_code);
	}
	(void)buf_puts(t, e->is_allow ? "return\n" : "drop\n");
}

static void chain(struct buf *t, const char *sn8, const struct network_acl *acl, bool is_egress)
{
	(void)buf_printf(t, "\tchain nacl_%c_%s {\n", is_egress ? 'o' : 'i', sn8);
	/* NACL-13: never within a subnet. */
	(void)buf_printf(t, "\t\t%s @sn_%s return\n", is_egress ? "oifname" : "iifname", sn8);
	for (size_t i = 0; i < acl->n_entries; i++)
		if (acl->entries[i].is_egress == is_egress)
			entry_rule(t, &acl->entries[i]);
	(void)buf_puts(t, "\t\t# rule * (32767)\n\t\tdrop\n\t}\n");
}

static bool seen_before(const struct eni *const *enis, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(enis[k]->subnet_id, enis[i]->subnet_id))
			return true;
	return false;
}

void compile_nacl(const struct snapshot *s, const struct eni *const *enis, size_t n,
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
		const struct network_acl *acl = acl_of_subnet(s, sn);
		if (!acl)
			continue; /* a state dir from before ACLs: nothing to apply */
		chain(t, sn8, acl, true);
		chain(t, sn8, acl, false);
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
