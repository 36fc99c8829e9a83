// SPDX-License-Identifier: MIT
/* Snapshot → desired kernel state; see compile.h.  Decides, for the
 * emulated internet, every VPC router and every instance namespace, what
 * must exist.  Never touches the kernel. */
#include "compile/compile.h"
#include "compile/build.h"
#include "compile/lookup.h"
#include "compile/natgw.h"
#include "compile/peering.h"

#include <stdio.h>
#include <string.h>

#include "compile/flowlog.h"
#include "compile/nacl.h"
#include "compile/sg.h"
#include "model/instance.h"
#include "model/snapshot.h"
#include "model/snapshot_index.h"
#include "semantics/route.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/buf.h"

void compile_ns_inet(const char *prefix, char out[DP_NAME_MAX])
{
	snprintf(out, DP_NAME_MAX, "%.15s-inet", prefix);
}

void compile_ns_vpc(const char *prefix, const char *vpc_id, char out[DP_NAME_MAX])
{
	snprintf(out, DP_NAME_MAX, "%.15s-v%.8s", prefix, build_tail8(vpc_id));
}

void compile_ns_instance(const char *prefix, const char *instance_id, char out[DP_NAME_MAX])
{
	snprintf(out, DP_NAME_MAX, "%.15s-i%.8s", prefix, build_tail8(instance_id));
}

void compile_ifname_eni(const char *eni_id, char out[DP_IFNAME_MAX])
{
	snprintf(out, DP_IFNAME_MAX, "e%.8s", build_tail8(eni_id));
}

/* The namespace at the instance end of an ENI's veth, or false when the
 * ENI is not wired: an instance's (not terminated), or an available NAT
 * gateway's.  A standalone ENI is wired once it is attached. */
static bool eni_far_ns(const struct builder *b, const struct eni *e, char ns[DP_NAME_MAX])
{
	if (!sem_eni_wired(b->s, e))
		return false;
	if (e->instance_id[0])
		compile_ns_instance(b->cs->prefix, e->instance_id, ns);
	else
		compile_ns_natgw(b->cs->prefix, sem_natgw_of_eni(b->s, e)->head.id, ns);
	return true;
}

/* The next hop a route's target gives, or false when it is blackhole
 * (RT-19); semantics/route.c decides which. */
static bool route_next_hop(struct builder *b, const struct route_table *t, const struct route *r,
			   uint32_t *gw, char dev[DP_IFNAME_MAX])
{
	struct sem_next_hop h;
	switch (sem_route_resolve(b->s, t, r, &h)) {
	case SEM_HOP_IGW:
		*gw = DP_LINK_INET_IP;
		snprintf(dev, DP_IFNAME_MAX, "igw0");
		return true;
	case SEM_HOP_ENI:
	case SEM_HOP_NATGW:
		*gw = h.eni->private_ip;
		compile_ifname_eni(h.eni->head.id, dev);
		return true;
	case SEM_HOP_PEERING:
		*gw = compile_pcx_addr(h.pcx, h.peer_vpc_id);
		compile_pcx_ifname(h.pcx, dev);
		return true;
	case SEM_HOP_LOCAL:
	case SEM_HOP_BLACKHOLE:
		break;
	}
	return false;
}

static void build_host(struct builder *b, const char *inet)
{
	const struct compile_settings *cs = b->cs;
	struct nsb nb = build_ns(b, "", DP_NS_INET);
	char dev[DP_IFNAME_MAX], path[96];
	snprintf(dev, sizeof(dev), "%.8s-h", cs->prefix);
	build_link(b, &nb, dev, "host0", inet);
	build_addr(b, &nb, dev, cs->host_ip, cs->host_len);
	struct dp_route *r = build_route(b, &nb, 254, cs->public_pool.addr, cs->public_pool.len,
				       DP_ROUTE_UNICAST);
	r->gateway = cs->inet_ip;
	snprintf(r->dev, sizeof(r->dev), "%.15s", dev);
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/disable_ipv6", dev);
	build_sysctl(b, &nb, path, "1");
	/* Only replies come in from the emulated internet: otherwise every
	 * service the host listens on would be reachable from any instance
	 * with a public IP (checklist 2).  Nothing is forwarded either way. */
	struct buf t;
	buf_init(&t, 1 << 16);
	(void)buf_printf(&t,
			 "table inet %s {\n"
			 "\tchain input {\n"
			 "\t\ttype filter hook input priority filter; policy accept;\n"
			 "\t\tiifname \"%s\" ct state established,related accept\n"
			 "\t\tiifname \"%s\" drop\n"
			 "\t}\n"
			 "\tchain forward {\n"
			 "\t\ttype filter hook forward priority filter; policy accept;\n"
			 "\t\tiifname \"%s\" drop\n"
			 "\t\toifname \"%s\" drop\n"
			 "\t}\n"
			 "}\n",
			 cs->prefix, dev, dev, dev, dev);
	nb.ns->nft = arena_strdup(b->a, buf_str(&t));
	buf_done(&t);
}

static void build_inet(struct builder *b, const char *inet)
{
	struct nsb nb = build_ns(b, inet, DP_NS_INET);
	build_no_ipv6(b, &nb);
	build_sysctl(b, &nb, "net/ipv4/ip_forward", "1");
	build_sysctl(b, &nb, "net/ipv4/conf/all/send_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/default/send_redirects", "0");
	build_addr(b, &nb, "host0", b->cs->inet_ip, b->cs->host_len);
	for (size_t i = 0; i < b->s->n_igws; i++) {
		const struct igw *g = &b->s->igws[i];
		char dev[DP_IFNAME_MAX];
		if (!g->vpc_id[0])
			continue;
		snprintf(dev, sizeof(dev), "g%.8s", build_tail8(g->vpc_id));
		build_addr(b, &nb, dev, DP_LINK_INET_IP, 30);
		/* Every public IPv4 of the VPC is reached through its IGW. */
		for (size_t k = 0; k < b->s->n_enis; k++) {
			const struct eni *e = &b->s->enis[k];
			if (strcmp(e->vpc_id, g->vpc_id) || !e->public_ip || !lookup_eni_wired(b->s, e))
				continue;
			struct dp_route *r =
				build_route(b, &nb, 254, e->public_ip, 32, DP_ROUTE_UNICAST);
			r->gateway = DP_LINK_ROUTER_IP;
			snprintf(r->dev, sizeof(r->dev), "%.15s", dev);
		}
	}
	struct buf t;
	buf_init(&t, 1 << 16);
	/* The emulated internet forwards between its hosts and the gateways,
	 * never to link-local space (checklist 12: 169.254/16 is not routed). */
	(void)buf_printf(&t,
			 "table inet %s {\n"
			 "\tchain forward {\n"
			 "\t\ttype filter hook forward priority filter; policy accept;\n"
			 "\t\tip daddr 169.254.0.0/16 drop\n"
			 "\t\tip saddr 169.254.0.0/16 drop\n"
			 "\t}\n"
			 "}\n",
			 b->cs->prefix);
	nb.ns->nft = arena_strdup(b->a, buf_str(&t));
	buf_done(&t);
}

static void set_elems(struct buf *t, const char *name, const char *type, struct buf *elems)
{
	(void)buf_printf(t, "\tset %s {\n\t\ttype %s\n", name, type);
	if (elems->size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(elems));
	(void)buf_puts(t, "\t}\n");
}

static void map_elems(struct buf *t, const char *name, const char *type, struct buf *elems)
{
	(void)buf_printf(t, "\tmap %s {\n\t\ttype %s\n", name, type);
	if (elems->size)
		(void)buf_printf(t, "\t\telements = { %s }\n", buf_str(elems));
	(void)buf_puts(t, "\t}\n");
}

static void sep(struct buf *b)
{
	if (b->size)
		(void)buf_puts(b, ", ");
}

/* The conntrack allowance per ENI (checklist 8), unless settings lower it. */
#define ENI_CONN_LIMIT 65536

static void build_router_nft(struct builder *b, struct nsb *nb, const struct vpc *v, bool has_igw)
{
	struct buf t, rtb_mark, imds_mark, checked, src, pub2priv, priv2pub, has_pub, down, capped;
	unsigned conn_limit = b->cs->eni_conn_limit ? b->cs->eni_conn_limit : ENI_CONN_LIMIT;
	char ip[IP4_STR_MAX], ip2[IP4_STR_MAX], dev[DP_IFNAME_MAX];
	buf_init(&t, 16 << 20);
	buf_init(&rtb_mark, 8 << 20);
	buf_init(&imds_mark, 8 << 20);
	buf_init(&checked, 8 << 20);
	buf_init(&src, 8 << 20);
	buf_init(&pub2priv, 8 << 20);
	buf_init(&priv2pub, 8 << 20);
	buf_init(&has_pub, 8 << 20);
	buf_init(&down, 8 << 20);
	buf_init(&capped, 8 << 20);
	const struct eni **wired = NULL;
	size_t n_wired = 0, cap_wired = 0;
	for (size_t i = 0; i < b->s->n_enis; i++) {
		const struct eni *e = &b->s->enis[i];
		char far[DP_NAME_MAX];
		if (strcmp(e->vpc_id, v->head.id) || !eni_far_ns(b, e, far))
			continue;
		ARENA_RESERVE(b->a, wired, n_wired, cap_wired);
		wired[n_wired++] = e;
		const struct subnet *sn = lookup_subnet(b->s, e->subnet_id);
		const struct route_table *rt = sn ? lookup_rtb_of_subnet(b->s, sn) : NULL;
		compile_ifname_eni(e->head.id, dev);
		ip4_format(e->private_ip, ip);
		if (rt) {
			sep(&rtb_mark);
			(void)buf_printf(&rtb_mark, "\"%s\" : %lld", dev, (long long)rt->head.seq);
		}
		if (!sem_eni_is_natgw(e)) { /* a NAT gateway asks no metadata */
			sep(&imds_mark);
			(void)buf_printf(&imds_mark, "\"%s\" : 0x%08llx", dev,
					 (unsigned long long)(DP_MARK_IMDS | (uint32_t)e->head.seq));
			/* ... and has its own limits (natgw.c), not an allowance. */
			sep(&capped);
			(void)buf_printf(&capped, "\"%s\"", dev);
		}
		/* A stopped instance keeps its namespace (and disk), but
		 * nothing of it answers or sends, as in AWS. */
		if (!sem_eni_running(b->s, e)) {
			sep(&down);
			(void)buf_printf(&down, "\"%s\"", dev);
		}
		if (sem_eni_checks_src_dst(e)) {
			sep(&checked);
			(void)buf_printf(&checked, "\"%s\"", dev);
		}
		sep(&src);
		(void)buf_printf(&src, "\"%s\" . %s", dev, ip);
		if (sem_eni_public_ip(b->s, e)) {
			ip4_format(sem_eni_public_ip(b->s, e), ip2);
			sep(&pub2priv);
			(void)buf_printf(&pub2priv, "%s : %s", ip2, ip);
			sep(&priv2pub);
			(void)buf_printf(&priv2pub, "%s : %s", ip, ip2);
			sep(&has_pub);
			(void)buf_printf(&has_pub, "%s", ip);
		}
	}
	(void)buf_printf(&t, "table inet %s {\n", b->cs->prefix);
	map_elems(&t, "rtb_mark", "ifname : mark", &rtb_mark);
	map_elems(&t, "imds_mark", "ifname : mark", &imds_mark);
	set_elems(&t, "eni_checked", "ifname", &checked);
	set_elems(&t, "eni_down", "ifname", &down);
	set_elems(&t, "eni_src", "ifname . ipv4_addr", &src);
	map_elems(&t, "pub2priv", "ipv4_addr : ipv4_addr", &pub2priv);
	map_elems(&t, "priv2pub", "ipv4_addr : ipv4_addr", &priv2pub);
	set_elems(&t, "has_public", "ipv4_addr", &has_pub);
	set_elems(&t, "eni_capped", "ifname", &capped);
	/* Checklist 8: every ENI of the VPC shares this namespace's conntrack
	 * table (nf_conntrack_max is global and read-only in a netns), so one
	 * instance could fill it.  Flows tracked per ingress ENI; ct count
	 * forgets a flow once conntrack does (or TCP closes it).  Dynamic, so
	 * its elements are the kernel's (memo.c ignores them). */
	(void)buf_puts(&t, "\tset eni_conns {\n\t\ttype ifname\n\t\tsize 65535\n"
			   "\t\tflags dynamic\n\t}\n");
	compile_sg_sets(b->a, b->s, wired, n_wired, &t);
	compile_nacl(b->a, b->s, wired, n_wired, &t);
	compile_sg_chains(&t);
	compile_flowlog(b->s, wired, n_wired, &t); /* the drop chains sg/nacl go to */
	compile_pcx_sets(b, v, &t);
	(void)buf_puts(&t,
		       "\tset rfc1918 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
		       "\t\telements = { 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16 }\n"
		       "\t}\n"
		       /* Which route table: from the ingress ENI.  The metadata
			* service learns who asks from the mark (SO_MARK on the
			* accepted socket, net.ipv4.tcp_fwmark_accept=1). */
		       "\tchain prerouting {\n"
		       "\t\ttype filter hook prerouting priority mangle; policy accept;\n"
		       "\t\tip daddr 169.254.169.254 tcp dport 80 meta mark set iifname map @imds_mark accept\n"
		       "\t\tmeta mark set iifname map @rtb_mark\n"
		       "\t}\n");
	if (has_igw)
		(void)buf_puts(&t,
			       /* IGW-7: 1:1 NAT between private and public IPv4. */
			       "\tchain igw_in {\n"
			       "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
			       "\t\tiifname \"igw0\" dnat ip to ip daddr map @pub2priv\n"
			       "\t}\n"
			       "\tchain igw_out {\n"
			       "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
			       "\t\toifname \"igw0\" snat ip to ip saddr map @priv2pub\n"
			       "\t}\n");
	(void)buf_puts(&t,
		       "\tchain input {\n"
		       "\t\ttype filter hook input priority filter; policy drop;\n"
		       "\t\tct state established,related accept\n"
		       "\t\tip daddr 169.254.169.254 tcp dport 80 meta mark & 0x80000000 == 0x80000000 accept\n"
		       "\t}\n"
		       "\tchain forward {\n"
		       "\t\ttype filter hook forward priority filter; policy accept;\n"
		       /* 169.254.0.0/16 is never routed onward (checklist 12). */
		       "\t\tip daddr 169.254.0.0/16 drop\n"
		       /* The ENIs of instances that are not running. */
		       "\t\tiifname @eni_down drop\n"
		       "\t\toifname @eni_down drop\n"
		       /* ENI-4: the source/destination check. */
		       "\t\tiifname @eni_checked iifname . ip saddr != @eni_src drop\n"
		       "\t\toifname @eni_checked oifname . ip daddr != @eni_src drop\n"
		       /* IGW-8/9/10: only mapped sources leave, never to or from
			* private space. */
		       "\t\toifname \"igw0\" ip saddr != @has_public drop\n"
		       "\t\toifname \"igw0\" ip daddr @rfc1918 drop\n"
		       "\t\tiifname \"igw0\" ip saddr @rfc1918 drop\n"
		       /* §13: over a peering come only the peer's addresses,
			* and they go only to an ENI of this VPC — never on to
			* another peering, a gateway or a NAT (no transit). */
		       "\t\tiifname \"p*\" iifname . ip saddr != @pcx_src drop\n"
		       "\t\tiifname \"p*\" oifname != @sg_enis drop\n"
		       /* §9 steps 5-6: the ACLs of the subnets the packet
			* leaves and enters, for every packet (stateless). */
		       "\t\tiifname vmap @nacl_out\n"
		       "\t\toifname vmap @nacl_in\n");
	/* Checklist 8, the conntrack allowance: a new flow leaving an
	 * instance's ENI beyond its limit of tracked flows is dropped, so
	 * the other ENIs keep room in the shared table.  No counter: the
	 * listing must not change under traffic (memo.c). */
	(void)buf_printf(&t,
			 "\t\tct state new iifname @eni_capped"
			 " add @eni_conns { iifname ct count over %u } drop\n",
			 conn_limit);
	(void)buf_puts(&t,
		       /* §9 steps 2 and 8: the groups of both ENIs (stateful). */
		       "\t\tjump sg_check\n"
		       "\t}\n"
		       "}\n");
	nb->ns->nft = arena_strdup(b->a, buf_str(&t));
	buf_done(&t);
	buf_done(&rtb_mark);
	buf_done(&imds_mark);
	buf_done(&checked);
	buf_done(&src);
	buf_done(&pub2priv);
	buf_done(&priv2pub);
	buf_done(&has_pub);
	buf_done(&down);
	buf_done(&capped);
}

static void build_router(struct builder *b, const struct vpc *v, const char *inet)
{
	char name[DP_NAME_MAX], dev[DP_IFNAME_MAX], peer[DP_IFNAME_MAX], ins[DP_NAME_MAX];
	compile_ns_vpc(b->cs->prefix, v->head.id, name);
	struct nsb nb = build_ns(b, name, DP_NS_ROUTER);
	memcpy(nb.ns->vpc_id, v->head.id, sizeof(nb.ns->vpc_id));
	build_no_ipv6(b, &nb);
	build_sysctl(b, &nb, "net/ipv4/ip_forward", "1");
	build_sysctl(b, &nb, "net/ipv4/conf/all/send_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/default/send_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/all/accept_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/all/rp_filter", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/default/rp_filter", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/default/proxy_arp", "1");
	build_sysctl(b, &nb, "net/ipv4/conf/default/arp_accept", "0");
	build_sysctl(b, &nb, "net/ipv4/tcp_fwmark_accept", "1");
	build_addr(b, &nb, "lo", DP_IMDS_IP, 32);
	const struct igw *g = lookup_igw_of_vpc(b->s, v->head.id);
	if (g) {
		snprintf(peer, sizeof(peer), "g%.8s", build_tail8(v->head.id));
		build_link(b, &nb, "igw0", peer, inet);
		build_addr(b, &nb, "igw0", DP_LINK_ROUTER_IP, 30);
	}
	/* Table 200: every ENI /32; an unreachable route per block, so an
	 * unassigned address drops instead of leaking to a default route. */
	for (size_t i = 0; i < v->n_assocs; i++)
		if (v->assocs[i].state == CIDR_ASSOCIATED)
			build_route(b, &nb, DP_TABLE_LOCAL_VPC, v->assocs[i].cidr.addr,
				  v->assocs[i].cidr.len, DP_ROUTE_UNREACHABLE);
	for (size_t i = 0; i < b->s->n_enis; i++) {
		const struct eni *e = &b->s->enis[i];
		const struct subnet *sn = lookup_subnet(b->s, e->subnet_id);
		/* Standalone ENIs (no instance) are wired when they are attached. */
		if (strcmp(e->vpc_id, v->head.id) || !sn || !eni_far_ns(b, e, ins))
			continue;
		compile_ifname_eni(e->head.id, dev);
		char eth[DP_IFNAME_MAX];
		snprintf(eth, sizeof(eth), "eth%d", e->device_index > 0 ? e->device_index : 0);
		struct dp_link *l = build_link(b, &nb, dev, eth, ins);
		l->has_peer_mac = build_parse_mac(e->mac, l->peer_mac) == 0;
		/* The router answers for the subnet's .1 on every ENI of it. */
		build_addr(b, &nb, dev, sn->cidr.addr + 1, 32);
		struct dp_route *r = build_route(b, &nb, DP_TABLE_LOCAL_VPC, e->private_ip, 32,
					       DP_ROUTE_UNICAST);
		snprintf(r->dev, sizeof(r->dev), "%.15s", dev);
		char path[96];
		snprintf(path, sizeof(path), "net/ipv4/conf/%s/proxy_arp", dev);
		build_sysctl(b, &nb, path, "1");
		snprintf(path, sizeof(path), "net/ipv4/conf/%s/send_redirects", dev);
		build_sysctl(b, &nb, path, "0");
		/* Measured: proxy ARP answers after a random delay of up to
		 * 0.8 s by default; a first packet should not wait for it. */
		snprintf(path, sizeof(path), "net/ipv4/neigh/%s/proxy_delay", dev);
		build_sysctl(b, &nb, path, "0");
	}
	compile_pcx_links(b, &nb, v);
	build_rule(b, &nb, DP_RULE_PRIO_MIN, 0, 0, DP_TABLE_LOCAL_VPC);
	for (size_t i = 0; i < b->s->n_rtbs; i++) {
		const struct route_table *t = &b->s->rtbs[i];
		uint32_t table = DP_TABLE_RTB_BASE + (uint32_t)t->head.seq;
		bool has_default = false;
		if (strcmp(t->vpc_id, v->head.id))
			continue;
		build_rule(b, &nb, 200, (uint32_t)t->head.seq, 0x7fffffff, table);
		for (size_t k = 0; k < t->n_routes; k++) {
			const struct route *rt = &t->routes[k];
			uint32_t gw = 0;
			char odev[DP_IFNAME_MAX] = "";
			if (rt->target == ROUTE_LOCAL)
				continue; /* table 200 carries the VPC */
			has_default |= rt->dest.len == 0;
			if (route_next_hop(b, t, rt, &gw, odev)) {
				struct dp_route *r = build_route(b, &nb, table, rt->dest.addr,
							       rt->dest.len, DP_ROUTE_UNICAST);
				r->gateway = gw;
				snprintf(r->dev, sizeof(r->dev), "%.15s", odev);
			} else {
				/* RT-19: a blackhole drops; it never falls through. */
				build_route(b, &nb, table, rt->dest.addr, rt->dest.len,
					  DP_ROUTE_BLACKHOLE);
			}
		}
		if (!has_default)
			build_route(b, &nb, table, 0, 0, DP_ROUTE_BLACKHOLE);
	}
	build_router_nft(b, &nb, v, g != NULL);
}

static void build_instance(struct builder *b, const struct instance *in, const struct eni *e)
{
	char name[DP_NAME_MAX];
	const struct subnet *sn = lookup_subnet(b->s, e->subnet_id);
	if (!sn)
		return;
	compile_ns_instance(b->cs->prefix, in->head.id, name);
	struct nsb nb = build_ns(b, name, DP_NS_INSTANCE);
	build_no_ipv6(b, &nb);
	/* Checklist 31: a fresh netns accepts redirects (measured: 1). */
	build_sysctl(b, &nb, "net/ipv4/conf/all/accept_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/default/accept_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/all/secure_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/all/accept_source_route", "0");
	/* eth0's own copies too: it takes default/'s values when it appears,
	 * so they would depend on whether it was made before or after the
	 * lines above (found by tests/net/trust/0001_heal.sh). */
	build_sysctl(b, &nb, "net/ipv4/conf/eth0/secure_redirects", "0");
	build_sysctl(b, &nb, "net/ipv4/conf/eth0/accept_source_route", "0");
	build_addr(b, &nb, "eth0", e->private_ip, sn->cidr.len);
	struct dp_route *r = build_route(b, &nb, 254, 0, 0, DP_ROUTE_UNICAST);
	r->gateway = sn->cidr.addr + 1;
	snprintf(r->dev, sizeof(r->dev), "eth0");
	/* Secondary ENIs (AttachNetworkInterface) appear as eth<device index>,
	 * with their subnet's prefix route only. */
	size_t first = 0, n = b->s->n_enis;
	const uint32_t *pos = NULL; /* the index's ENIs of this instance, or a scan */
	if (b->s->index && b->s->index->enis_by_instance.n == b->s->n_enis) {
		n = snapshot_enis_of_instance(b->s, in->head.id, &first);
		pos = b->s->index->enis_by_instance.pos;
	}
	for (size_t i = first; i < first + n; i++) {
		const struct eni *x = &b->s->enis[pos ? pos[i] : i];
		if (strcmp(x->instance_id, in->head.id) || x->device_index <= 0)
			continue;
		const struct subnet *xs = lookup_subnet(b->s, x->subnet_id);
		if (!xs)
			continue;
		char eth[DP_IFNAME_MAX];
		snprintf(eth, sizeof(eth), "eth%d", x->device_index);
		build_addr(b, &nb, eth, x->private_ip, xs->cidr.len);
	}

	struct dp_instance *di = PUSH(b->a, b->inst, b->n_inst, b->cap_inst);
	memset(di, 0, sizeof(*di));
	snprintf(di->id, sizeof(di->id), "%s", in->head.id);
	snprintf(di->netns, sizeof(di->netns), "%s", name);
	instance_hostname(e->private_ip, di->hostname);
	di->run = in->state == INSTANCE_RUNNING;
	di->boot_gen = in->boot_gen;
	di->public_key = in->key_public;
	di->user_data = in->user_data;
	di->user_data_size = in->user_data_size;

	if (!di->run)
		return;
	const struct vpc *v = NULL;
	for (size_t i = 0; i < b->s->n_vpcs; i++)
		if (!strcmp(b->s->vpcs[i].head.id, e->vpc_id))
			v = &b->s->vpcs[i];
	struct dp_imds *m = PUSH(b->a, b->imds, b->n_imds, b->cap_imds);
	memset(m, 0, sizeof(*m));
	m->mark = DP_MARK_IMDS | (uint32_t)e->head.seq;
	snprintf(m->instance_id, sizeof(m->instance_id), "%s", in->head.id);
	snprintf(m->eni_id, sizeof(m->eni_id), "%s", e->head.id);
	snprintf(m->image_id, sizeof(m->image_id), "%s", in->image_id);
	snprintf(m->reservation_id, sizeof(m->reservation_id), "%s", in->reservation_id);
	snprintf(m->instance_type, sizeof(m->instance_type), "%s", in->instance_type);
	snprintf(m->az, sizeof(m->az), "%s", sn->az);
	snprintf(m->region, sizeof(m->region), "%s", b->cs->region);
	snprintf(m->account_id, sizeof(m->account_id), "%s", b->cs->account_id);
	snprintf(m->mac, sizeof(m->mac), "%s", e->mac);
	snprintf(m->subnet_id, sizeof(m->subnet_id), "%s", sn->head.id);
	snprintf(m->vpc_id, sizeof(m->vpc_id), "%s", e->vpc_id);
	cidr_format(&sn->cidr, m->subnet_cidr);
	if (v)
		cidr_format(&v->cidr, m->vpc_cidr);
	m->private_ip = e->private_ip;
	m->public_ip = e->public_ip;
	instance_private_dns(e->private_ip, b->cs->region, m->hostname);
	if (e->public_ip)
		instance_public_dns(e->public_ip, b->cs->region, m->public_hostname);
	m->key_name = in->key_name;
	m->public_key = in->key_public;
	m->user_data = in->user_data;
	m->user_data_size = in->user_data_size;
	m->group_ids = e->group_ids;
	m->n_groups = e->n_groups;
	m->tokens_required = in->http_tokens && !strcmp(in->http_tokens, "required");
	m->endpoint_enabled = !in->http_endpoint || strcmp(in->http_endpoint, "disabled");
	m->hop_limit = in->hop_limit;
	m->launch_index = in->launch_index;
	m->launch_time = in->launch_time;
	/* Instance Connect: the snapshot holds one instance's keys together. */
	for (size_t i = 0; i < b->s->n_pushed_keys; i++) {
		if (strcmp(b->s->pushed_keys[i].instance_id, in->head.id))
			continue;
		if (!m->n_pushed_keys)
			m->pushed_keys = &b->s->pushed_keys[i];
		m->n_pushed_keys++;
	}
}

int compile_build(const struct snapshot *s, const struct compile_settings *cs, struct arena *a,
		  struct dp_desired *ret)
{
	struct builder b = { .a = a, .s = s, .cs = cs };
	char inet[DP_NAME_MAX];
	compile_ns_inet(cs->prefix, inet);
	build_host(&b, inet);
	build_inet(&b, inet);
	for (size_t i = 0; i < s->n_vpcs; i++)
		build_router(&b, &s->vpcs[i], inet);
	for (size_t i = 0; i < s->n_instances; i++) {
		const struct instance *in = &s->instances[i];
		const struct eni *e = lookup_primary_eni(s, in->head.id);
		if (in->state != INSTANCE_TERMINATED && e)
			build_instance(&b, in, e);
	}
	for (size_t i = 0; i < s->n_natgws; i++) {
		const struct nat_gateway *g = &s->natgws[i];
		const struct subnet *sn = lookup_subnet(s, g->subnet_id);
		if (g->state == NATGW_AVAILABLE && sn && lookup_eni(s, g->eni_id))
			compile_natgw(&b, g, sn);
	}
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->prefix, sizeof(ret->prefix), "%s", cs->prefix);
	ret->ns = b.ns;
	ret->n_ns = b.n_ns;
	ret->instances = b.inst;
	ret->n_instances = b.n_inst;
	ret->imds = b.imds;
	ret->n_imds = b.n_imds;
	return 0;
}
