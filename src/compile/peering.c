// SPDX-License-Identifier: MIT
/* VPC peering links and their filter set; see peering.h.  Never touches
 * the kernel. */
#include "compile/peering.h"

#include <stdio.h>
#include <string.h>

#include "compile/build.h"
#include "compile/lookup.h"
#include "model/peering.h"
#include "model/vpc.h"
#include "util/buf.h"
#include "util/cidr.h"

void compile_pcx_ifname(const struct peering *p, char out[DP_IFNAME_MAX])
{
	snprintf(out, DP_IFNAME_MAX, "p%.8s", build_tail8(p->head.id));
}

uint32_t compile_pcx_addr(const struct peering *p, const char *vpc_id)
{
	uint32_t base = DP_LINK_PCX_BASE + 4u * (uint32_t)(p->head.seq % DP_LINK_PCX_COUNT);
	return base + (strcmp(p->requester_vpc, vpc_id) ? 2u : 1u);
}

void compile_pcx_links(struct builder *b, struct nsb *nb, const struct vpc *v)
{
	char dev[DP_IFNAME_MAX], peer_ns[DP_NAME_MAX], path[96];
	for (size_t i = 0; i < b->s->n_pcxs; i++) {
		const struct peering *p = &b->s->pcxs[i];
		const char *peer = lookup_pcx_peer(p, v->head.id);
		if (!peer || !lookup_vpc(b->s, peer))
			continue;
		compile_pcx_ifname(p, dev);
		if (!strcmp(p->requester_vpc, v->head.id)) {
			compile_ns_vpc(b->cs->prefix, peer, peer_ns);
			build_link(b, nb, dev, dev, peer_ns);
		}
		build_addr(b, nb, dev, compile_pcx_addr(p, v->head.id), 30);
		snprintf(path, sizeof(path), "net/ipv4/conf/%s/send_redirects", dev);
		build_sysctl(b, nb, path, "0");
	}
}

void compile_pcx_sets(struct builder *b, const struct vpc *v, struct buf *t)
{
	struct buf el;
	char dev[DP_IFNAME_MAX], pfx[CIDR_STR_MAX];
	buf_init(&el, 1 << 20);
	for (size_t i = 0; i < b->s->n_pcxs; i++) {
		const struct peering *p = &b->s->pcxs[i];
		const char *peer = lookup_pcx_peer(p, v->head.id);
		const struct vpc *pv = peer ? lookup_vpc(b->s, peer) : NULL;
		if (!pv)
			continue;
		compile_pcx_ifname(p, dev);
		for (size_t k = 0; k < pv->n_assocs; k++) {
			if (pv->assocs[k].state != CIDR_ASSOCIATED)
				continue;
			(void)buf_printf(&el, "%s\"%s\" . %s", el.size ? ", " : "", dev,
					 cidr_format(&pv->assocs[k].cidr, pfx));
		}
	}
	(void)buf_puts(t, "\tset pcx_src {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n");
	if (el.size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(&el));
	(void)buf_puts(t, "\t}\n");
	buf_done(&el);
}
