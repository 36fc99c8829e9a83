// SPDX-License-Identifier: MIT
/* VPC Flow Logs → the router's NFLOG rules and the collector's bindings;
 * see flowlog.h.  Never touches the kernel. */
#include "compile/flowlog.h"

#include <stdio.h>
#include <string.h>

#include "compile/compile.h"
#include "compile/lookup.h"
#include "model/flow_log.h"
#include "model/instance.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/buf.h"

static bool is_logged(const struct snapshot *s, const struct eni *e)
{
	for (size_t i = 0; i < s->n_flow_logs; i++)
		if (fl_covers(&s->flow_logs[i], e))
			return true;
	return false;
}

#define LOG(side, verdict)                                                      \
	"log prefix \"" FL_PREFIX verdict " " side "\" group %d snaplen %d"

void compile_flowlog(const struct snapshot *s, const struct eni *const *enis, size_t n,
		     struct buf *t)
{
	char dev[DP_IFNAME_MAX];
	struct buf el;
	buf_init(&el, 1 << 20);
	for (size_t i = 0; i < n; i++) {
		if (!is_logged(s, enis[i]))
			continue;
		compile_ifname_eni(enis[i]->head.id, dev);
		(void)buf_printf(&el, "%s\"%s\"", el.size ? ", " : "", dev);
	}
	if (!el.size) {
		(void)buf_puts(t, "\tchain fl_rej_out {\n\t\tdrop\n\t}\n"
				  "\tchain fl_rej_in {\n\t\tdrop\n\t}\n"
				  "\tchain fl_rej_sg_in {\n\t\tdrop\n\t}\n");
		buf_done(&el);
		return;
	}
	const int g = FL_NFLOG_GROUP, sl = FL_NFLOG_SNAPLEN;
	(void)buf_printf(t, "\tset fl_enis {\n\t\ttype ifname\n\t\telements = { %s }\n\t}\n",
			 buf_str(&el));
	(void)buf_printf(t,
			 "\tchain fl_rej_out {\n"
			 "\t\tiifname @fl_enis " LOG("i", "R") "\n"
			 "\t\tdrop\n"
			 "\t}\n"
			 "\tchain fl_rej_in {\n"
			 "\t\toifname @fl_enis " LOG("o", "R") "\n"
			 "\t\tdrop\n"
			 "\t}\n"
			 "\tchain fl_rej_sg_in {\n"
			 "\t\tiifname @fl_enis " LOG("i", "A") "\n"
			 "\t\toifname @fl_enis " LOG("o", "R") "\n"
			 "\t\tdrop\n"
			 "\t}\n"
			 /* After the filter chain: only what it accepted. */
			 "\tchain fl_accept {\n"
			 "\t\ttype filter hook forward priority filter + 10; policy accept;\n"
			 "\t\tiifname @fl_enis " LOG("i", "A") "\n"
			 "\t\toifname @fl_enis " LOG("o", "A") "\n"
			 "\t}\n",
			 g, sl, g, sl, g, sl, g, sl, g, sl, g, sl);
	buf_done(&el);
}

/* Wired as the router builds it: an instance's ENI while it is wired, a
 * NAT gateway's while the gateway is. */
static bool wired(const struct snapshot *s, const struct eni *e)
{
	if (e->instance_id[0])
		return lookup_eni_wired(s, e);
	return lookup_natgw_of_eni(s, e) != NULL;
}

size_t compile_flowlog_bindings(const struct snapshot *s, const struct compile_settings *cs,
				struct arena *a, struct dp_flow_binding **ret)
{
	struct dp_flow_binding *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < s->n_flow_logs; i++) {
		const struct flow_log *f = &s->flow_logs[i];
		for (size_t k = 0; k < s->n_enis; k++) {
			const struct eni *e = &s->enis[k];
			if (!fl_covers(f, e) || !wired(s, e) || !lookup_vpc(s, e->vpc_id))
				continue;
			ARENA_RESERVE(a, v, n, cap);
			struct dp_flow_binding *b = &v[n++];
			memset(b, 0, sizeof(*b));
			b->fl = f;
			compile_ns_vpc(cs->prefix, e->vpc_id, b->netns);
			compile_ifname_eni(e->head.id, b->ifname);
			snprintf(b->eni_id, sizeof(b->eni_id), "%s", e->head.id);
			snprintf(b->vpc_id, sizeof(b->vpc_id), "%s", e->vpc_id);
			snprintf(b->subnet_id, sizeof(b->subnet_id), "%s", e->subnet_id);
		}
	}
	*ret = v;
	return n;
}
