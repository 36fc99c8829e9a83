// SPDX-License-Identifier: MIT
/* Building blocks of the desired state; see build.h.  Pure. */
#include "compile/build.h"

#include <stdio.h>
#include <string.h>

const char *build_tail8(const char *id)
{
	size_t n = strlen(id);
	return n > 8 ? id + n - 8 : id;
}

struct nsb build_ns(struct builder *b, const char *name, enum dp_ns_kind kind)
{
	struct dp_ns *ns = PUSH(b->a, b->ns, b->n_ns, b->cap_ns);
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "%s", name);
	ns->kind = kind;
	return (struct nsb){ .ns = ns };
}

void build_sysctl(struct builder *b, struct nsb *nb, const char *path, const char *value)
{
	struct dp_sysctl *sc = PUSH(b->a, nb->ns->sysctls, nb->ns->n_sysctls, nb->cap_sysctls);
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	snprintf(sc->value, sizeof(sc->value), "%s", value);
}

void build_addr(struct builder *b, struct nsb *nb, const char *dev, uint32_t addr, uint8_t len)
{
	struct dp_addr *ad = PUSH(b->a, nb->ns->addrs, nb->ns->n_addrs, nb->cap_addrs);
	snprintf(ad->dev, sizeof(ad->dev), "%.15s", dev);
	ad->addr = addr;
	ad->len = len;
}

struct dp_route *build_route(struct builder *b, struct nsb *nb, uint32_t table, uint32_t dst,
			     uint8_t len, enum dp_route_type type)
{
	struct dp_route *r = PUSH(b->a, nb->ns->routes, nb->ns->n_routes, nb->cap_routes);
	memset(r, 0, sizeof(*r));
	r->table = table;
	r->dst = dst;
	r->dst_len = len;
	r->type = type;
	return r;
}

void build_rule(struct builder *b, struct nsb *nb, uint32_t prio, uint32_t mark, uint32_t mask,
		uint32_t table)
{
	struct dp_rule *r = PUSH(b->a, nb->ns->rules, nb->ns->n_rules, nb->cap_rules);
	memset(r, 0, sizeof(*r));
	r->priority = prio;
	r->fwmark = mark;
	r->fwmask = mask;
	r->table = table;
}

struct dp_link *build_link(struct builder *b, struct nsb *nb, const char *name, const char *peer,
			   const char *peer_ns)
{
	struct dp_link *l = PUSH(b->a, nb->ns->links, nb->ns->n_links, nb->cap_links);
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%.15s", name);
	snprintf(l->peer, sizeof(l->peer), "%.15s", peer);
	snprintf(l->peer_ns, sizeof(l->peer_ns), "%s", peer_ns);
	return l;
}

/* Measured: a fresh veth gets an IPv6 link-local address in about 2 s and a
 * `table ip` rule does not stop it (checklist 5): IPv6 off everywhere. */
void build_no_ipv6(struct builder *b, struct nsb *nb)
{
	build_sysctl(b, nb, "net/ipv6/conf/all/disable_ipv6", "1");
	build_sysctl(b, nb, "net/ipv6/conf/default/disable_ipv6", "1");
}

int build_parse_mac(const char *s, uint8_t out[6])
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
	return 0;
}
