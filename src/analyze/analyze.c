// SPDX-License-Identifier: MIT
/* Reachability analysis; see analyze.h.  Walks one packet through the
 * model the way the routers do (spec §9), asking semantics/ at every hop —
 * the same answers compile/ turns into nftables rules and routes — then
 * walks the replies back through every stateless component.  Each router
 * crossing is recorded as a segment (where the packet came in, where it
 * left, its header inside), so the return path is the forward one
 * reversed.  Pure: no store, no kernel, no clock. */
#include "analyze/analyze.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analyze/check.h"
#include "analyze/path.h"
#include "model/snapshot.h"
#include "semantics/nacl.h"
#include "semantics/route.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"

/* ---- the walk ------------------------------------------------------------- */

static int leave_eni(struct path_ctx *c, const struct eni *e, struct path_pkt k, int depth);
static int from_internet(struct path_ctx *c, struct path_pkt k, int depth);

static void seg_open(struct path_ctx *c, enum path_point in, const struct eni *e, const struct igw *g,
		     const struct peering *p, const struct path_pkt *k)
{
	memset(&c->cur, 0, sizeof(c->cur));
	c->cur.in = in;
	c->cur.in_eni = e;
	c->cur.igw_in = g;
	c->cur.pcx_in = p;
	c->cur.pkt = *k;
}

static void seg_close(struct path_ctx *c, enum path_point out, const struct eni *e, const struct igw *g,
		      const struct peering *p)
{
	c->cur.out = out;
	c->cur.out_eni = e;
	c->cur.igw_out = g;
	c->cur.pcx_out = p;
	if (c->n_segs < sizeof(c->segs) / sizeof(c->segs[0]))
		c->segs[c->n_segs++] = c->cur;
}

/* The packet reaches ENI t (its destination, or a NAT that forwards it). */
static int arrive(struct path_ctx *c, const struct eni *t, struct path_pkt k, int depth)
{
	bool ok = check_src_dst(c, t, false, &k);
	ok &= check_sg(c, t, false, &k);
	if (!ok)
		return -1;
	if (k.dst == t->private_ip) {
		if (!check_running(c, t, &k))
			return -1;
		if (sem_eni_is_natgw(t)) {
			/* A NAT gateway admits nothing it did not start. */
			path_hop(c, T_NATGW, path_eni_id(c, t), "", false,
			    "accepts no connection it did not start", &k);
			path_explain(c, "NO_POSSIBLE_DESTINATION", T_NATGW, path_eni_id(c, t), NULL,
				"A NAT gateway accepts no traffic addressed to itself.", NULL);
			return -1;
		}
		path_hop(c, path_eni_type(t), path_eni_id(c, t), path_eni_name(c, t), true,
		    arena_printf(c->a, "delivered to %s", path_ip(c, t->private_ip)), &k);
		c->arrived = t == c->dst_eni || (c->dst_eni && c->dst_eni->private_ip == t->private_ip);
		return c->arrived ? 0 : -1;
	}
	if (depth >= DEPTH_MAX) {
		path_explain(c, "NO_POSSIBLE_DESTINATION", path_eni_type(t), path_eni_id(c, t), NULL,
			"The path loops between routers.", NULL);
		return -1;
	}
	if (sem_eni_is_natgw(t)) {
		const struct nat_gateway *g = sem_natgw_of_eni(c->s, t);
		if (!path_vpc_holds(path_vpc(c, t->vpc_id), k.src)) {
			path_hop(c, T_NATGW, path_eni_id(c, t), path_tag_name(&g->head), false,
			    "translates only traffic from its own VPC", &k);
			path_explain(c, "NGW_REQUIRES_SOURCE_IN_VPC", T_NATGW, g->head.id, NULL,
				"A NAT gateway forwards only traffic that starts in its own VPC.",
				NULL);
			return -1;
		}
		const char *rule = arena_printf(c->a, "source %s → %s (its private IP)",
						path_ip(c, k.src), path_ip(c, t->private_ip));
		k.src = t->private_ip;
		path_hop(c, T_NATGW, g->head.id, path_tag_name(&g->head), true, rule, &k);
		return leave_eni(c, t, k, depth + 1);
	}
	if (!check_running(c, t, &k))
		return -1;
	/* The MASQUERADE of a NAT instance lives in its user data, which
	 * the model cannot see: a route to it with its check off means NAT. */
	path_note(c, arena_printf(c->a,
			     "%s is assumed to translate (MASQUERADE) the traffic routed to it, "
			     "as its source/destination check is off",
			     path_eni_id(c, t)));
	const char *rule = arena_printf(c->a, "NAT instance: source %s → %s (assumed MASQUERADE)",
					path_ip(c, k.src), path_ip(c, t->private_ip));
	k.src = t->private_ip;
	path_hop(c, T_INSTANCE, path_eni_id(c, t), path_eni_name(c, t), true, rule, &k);
	return leave_eni(c, t, k, depth + 1);
}

static const char *route_text(struct path_ctx *c, const struct route *r)
{
	char pfx[CIDR_STR_MAX];
	return arena_printf(c->a, "%s → %s", cidr_format(&r->dest, pfx),
			    r->target == ROUTE_LOCAL ? "local" : r->target_id);
}

static const char *no_route_fix(struct path_ctx *c, const struct eni *e, const struct route_table *t,
				uint32_t dst)
{
	const struct vpc *dv = sem_vpc_of_ip(c->s, dst);
	const struct peering *p = dv ? sem_pcx_between(c->s, e->vpc_id, dv->head.id) : NULL;
	char pfx[CIDR_STR_MAX];
	const char *id = t->head.id;
	if (p)
		return arena_printf(c->a,
				    "add to %s a route %s → %s (aws ec2 create-route --route-table-id "
				    "%s --destination-cidr-block %s --vpc-peering-connection-id %s)",
				    id, cidr_format(&dv->cidr, pfx), p->head.id, id, pfx, p->head.id);
	if (!dv && !sem_is_private_space(dst)) {
		const struct igw *g = sem_igw_of_vpc(c->s, e->vpc_id);
		for (size_t i = 0; !e->public_ip && i < c->s->n_natgws; i++) {
			const struct nat_gateway *n = &c->s->natgws[i];
			if (n->state == NATGW_AVAILABLE && !strcmp(n->vpc_id, e->vpc_id))
				return arena_printf(c->a,
						    "add to %s a route 0.0.0.0/0 → %s (aws ec2 "
						    "create-route --route-table-id %s "
						    "--destination-cidr-block 0.0.0.0/0 "
						    "--nat-gateway-id %s)",
						    id, n->head.id, id, n->head.id);
		}
		if (g)
			return arena_printf(c->a,
					    "add to %s a route 0.0.0.0/0 → %s (aws ec2 create-route "
					    "--route-table-id %s --destination-cidr-block 0.0.0.0/0 "
					    "--gateway-id %s)",
					    id, g->head.id, id, g->head.id);
	}
	return arena_printf(c->a, "add to %s a route for %s/32", t->head.id, path_ip(c, dst));
}

/* Through the internet gateway of e's VPC, out to the internet. */
static int out_igw(struct path_ctx *c, const struct eni *e, const struct igw *g, struct path_pkt k,
		   int depth)
{
	if (sem_is_private_space(k.dst)) {
		path_hop(c, T_IGW, g->head.id, path_tag_name(&g->head), false,
		    "private addresses never cross an internet gateway", &k);
		path_explain(c, "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", T_IGW, g->head.id, NULL,
			"Internet gateways drop outbound traffic to private (RFC 1918/6598) "
			"addresses.",
			NULL);
		return -1;
	}
	const struct eni *owner = sem_eni_by_ip(c->s, k.src);
	uint32_t pub = owner && !strcmp(owner->vpc_id, e->vpc_id) ? sem_eni_public_ip(c->s, owner)
								   : 0;
	if (!pub) {
		path_hop(c, T_IGW, g->head.id, path_tag_name(&g->head), false,
		    arena_printf(c->a, "no public IP is mapped to %s", path_ip(c, k.src)), &k);
		const char *fix =
			owner ? arena_printf(c->a,
					     "associate an Elastic IP with %s (aws ec2 "
					     "associate-address --network-interface-id %s "
					     "--allocation-id eipalloc-…), or route through a NAT",
					     owner->head.id, owner->head.id)
			      : NULL;
		path_explain(c, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", T_IGW, g->head.id, NULL,
			arena_printf(c->a,
				     "%s has no public IPv4: the internet gateway maps only "
				     "addresses with one (1:1 NAT).",
				     path_ip(c, k.src)),
			fix);
		return -1;
	}
	seg_close(c, PATH_IGW, NULL, g, NULL);
	const char *rule =
		arena_printf(c->a, "source %s → %s (1:1 NAT)", path_ip(c, k.src), path_ip(c, pub));
	k.src = pub;
	path_hop(c, T_IGW, g->head.id, path_tag_name(&g->head), true, rule, &k);
	if (c->dst_igw && c->dst_igw == g) {
		c->arrived = true;
		return 0;
	}
	if (sem_eni_by_public_ip(c->s, k.dst))
		return from_internet(c, k, depth + 1); /* a public IP of ours: back in */
	c->arrived = k.dst == c->dst_internet_ip;
	return c->arrived ? 0 : -1;
}

/* Over peering p from e's VPC into the other one (spec §13). */
static int over_peering(struct path_ctx *c, const struct eni *e, const struct peering *p,
			const char *peer_vpc, struct path_pkt k)
{
	const struct vpc *pv = path_vpc(c, peer_vpc), *mine = path_vpc(c, e->vpc_id);
	const struct eni *t = sem_eni_by_ip(c->s, k.dst);
	bool src_ok = path_vpc_holds(mine, k.src);
	bool dst_ok = path_vpc_holds(pv, k.dst) && t && !strcmp(t->vpc_id, peer_vpc) &&
		      sem_eni_has_groups(t) && sem_eni_wired(c->s, t);
	if (!src_ok || !dst_ok) {
		path_hop(c, T_PCX, p->head.id, path_tag_name(&p->head), false,
		    "carries only traffic between the two VPCs' own addresses (no transit)", &k);
		path_explain(c, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", T_PCX, p->head.id, NULL,
			arena_printf(c->a,
				     "%s carries only traffic from %s's blocks to an interface in "
				     "%s: peering is never transitive, and never edge to edge.",
				     p->head.id, e->vpc_id, peer_vpc),
			path_vpc_holds(pv, k.dst) ? NULL
					     : arena_printf(c->a,
							    "peer %s directly with the VPC that "
							    "holds %s (peering is not transitive)",
							    e->vpc_id, path_ip(c, k.dst)));
		return -1;
	}
	seg_close(c, PATH_PCX, NULL, NULL, p);
	path_hop(c, T_PCX, p->head.id, path_tag_name(&p->head), true,
	    arena_printf(c->a, "active: %s ↔ %s", p->requester_vpc, p->accepter_vpc), &k);
	seg_open(c, PATH_PCX, NULL, NULL, p, &k);
	bool ok = check_acl(c, t->subnet_id, false, &k);
	seg_close(c, PATH_ENI, t, NULL, NULL);
	return arrive(c, t, k, 0) == 0 && ok ? 0 : -1;
}

/* The packet leaves ENI e (sent, or forwarded by a NAT) into its router. */
static int leave_eni(struct path_ctx *c, const struct eni *e, struct path_pkt k, int depth)
{
	seg_open(c, PATH_ENI, e, NULL, NULL, &k);
	bool ok = check_src_dst(c, e, true, &k);
	if (!ok)
		return -1;
	ok &= check_sg(c, e, true, &k);
	if (sem_is_link_local(k.dst)) {
		path_hop(c, T_ENI, e->head.id, path_eni_name(c, e), false,
		    "169.254.0.0/16 is never routed", &k);
		path_explain(c, "NO_POSSIBLE_DESTINATION", T_ENI, e->head.id, NULL,
			"Link-local addresses (169.254.0.0/16) are never routed.", NULL);
		return -1;
	}
	/* Spec §9 step 3: inside one subnet, no route table, no ACL. */
	const struct eni *t = sem_eni_by_ip(c->s, k.dst);
	if (t && !strcmp(t->subnet_id, e->subnet_id) && sem_eni_wired(c->s, t)) {
		seg_close(c, PATH_ENI, t, NULL, NULL);
		return arrive(c, t, k, depth) == 0 && ok ? 0 : -1;
	}
	const struct subnet *sn = sem_subnet(c->s, e->subnet_id);
	const struct route_table *rt = sn ? sem_route_table_of_subnet(c->s, sn) : NULL;
	const struct route *r = rt ? sem_route_lookup(rt, k.dst) : NULL;
	if (!r) {
		const char *id = rt ? rt->head.id : e->subnet_id;
		path_hop(c, T_RTB, id, rt ? path_tag_name(&rt->head) : "", false,
		    arena_printf(c->a, "no route for %s", path_ip(c, k.dst)), &k);
		path_explain(c, "NO_ROUTE_TO_DESTINATION", T_RTB, id, NULL,
			arena_printf(c->a, "%s has no route for %s.", id, path_ip(c, k.dst)),
			rt ? no_route_fix(c, e, rt, k.dst) : NULL);
		return -1;
	}
	struct sem_next_hop nh;
	enum sem_hop_kind kind = sem_route_resolve(c->s, rt, r, &nh);
	if (kind == SEM_HOP_BLACKHOLE) {
		path_hop(c, T_RTB, rt->head.id, path_tag_name(&rt->head), false,
		    arena_printf(c->a, "%s (blackhole)", route_text(c, r)), &k);
		char pfx[CIDR_STR_MAX];
		path_explain(c, "BAD_STATE_ROUTE", T_RTB, rt->head.id, NULL,
			arena_printf(c->a, "The route %s of %s is a blackhole: %s.",
				     route_text(c, r), rt->head.id, nh.why),
			arena_printf(c->a,
				     "replace the route %s in %s with a working target (aws ec2 "
				     "replace-route --route-table-id %s --destination-cidr-block "
				     "%s …)",
				     cidr_format(&r->dest, pfx), rt->head.id, rt->head.id,
				     cidr_format(&r->dest, pfx)));
		return -1;
	}
	if (kind == SEM_HOP_LOCAL) {
		t = sem_eni_by_ip(c->s, k.dst);
		if (!t || strcmp(t->vpc_id, e->vpc_id) || !sem_eni_wired(c->s, t)) {
			path_hop(c, T_RTB, rt->head.id, path_tag_name(&rt->head), false,
			    arena_printf(c->a, "%s: no interface holds %s", route_text(c, r),
					 path_ip(c, k.dst)),
			    &k);
			path_explain(c, "NO_POSSIBLE_DESTINATION", T_RTB, rt->head.id, NULL,
				arena_printf(c->a, "No network interface in %s holds %s.",
					     e->vpc_id, path_ip(c, k.dst)),
				NULL);
			return -1;
		}
		path_hop(c, T_RTB, rt->head.id, path_tag_name(&rt->head), true, route_text(c, r), &k);
		ok &= check_acls_between(c, e, t, &k);
		seg_close(c, PATH_ENI, t, NULL, NULL);
		return arrive(c, t, k, depth) == 0 && ok ? 0 : -1;
	}
	path_hop(c, T_RTB, rt->head.id, path_tag_name(&rt->head), true, route_text(c, r), &k);
	switch (kind) {
	case SEM_HOP_ENI:
	case SEM_HOP_NATGW:
		if (nh.eni == e) {
			path_explain(c, "NO_POSSIBLE_DESTINATION", T_RTB, rt->head.id, NULL,
				"The route points back at the interface that sent the packet.",
				NULL);
			return -1;
		}
		ok &= check_acls_between(c, e, nh.eni, &k);
		seg_close(c, PATH_ENI, nh.eni, NULL, NULL);
		return arrive(c, nh.eni, k, depth) == 0 && ok ? 0 : -1;
	case SEM_HOP_IGW:
		ok &= check_acl(c, e->subnet_id, true, &k);
		return out_igw(c, e, nh.igw, k, depth) == 0 && ok ? 0 : -1;
	case SEM_HOP_PEERING:
		ok &= check_acl(c, e->subnet_id, true, &k);
		return over_peering(c, e, nh.pcx, nh.peer_vpc_id, k) == 0 && ok ? 0 : -1;
	default:
		return -1;
	}
}

/* From the internet to public IP k.dst, through its VPC's gateway. */
static int from_internet(struct path_ctx *c, struct path_pkt k, int depth)
{
	const struct eni *t = sem_eni_by_public_ip(c->s, k.dst);
	const struct igw *g = t ? sem_igw_of_vpc(c->s, t->vpc_id) : NULL;
	if (!t || !g || !sem_eni_wired(c->s, t)) {
		const struct eni *want = c->dst_eni;
		const char *gid = want ? (sem_igw_of_vpc(c->s, want->vpc_id)
						  ? sem_igw_of_vpc(c->s, want->vpc_id)->head.id
						  : want->vpc_id)
				       : "internet";
		path_hop(c, T_IGW, gid, "", false,
		    arena_printf(c->a, "no interface has the public IP %s", path_ip(c, k.dst)), &k);
		path_explain(c, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", T_IGW, gid, NULL,
			want ? arena_printf(c->a,
					    "%s has no public IPv4 (or its VPC no internet gateway): "
					    "nothing on the internet can address it.",
					    want->head.id)
			     : "No interface of a VPC with an internet gateway has that address.",
			want ? arena_printf(c->a,
					    "associate an Elastic IP with %s and attach an internet "
					    "gateway to %s",
					    want->head.id, want->vpc_id)
			     : NULL);
		return -1;
	}
	if (sem_is_private_space(k.src)) {
		path_hop(c, T_IGW, g->head.id, path_tag_name(&g->head), false,
		    "private source addresses never come in from the internet", &k);
		path_explain(c, "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS", T_IGW, g->head.id, NULL,
			"Internet gateways drop inbound traffic from private addresses.", NULL);
		return -1;
	}
	const char *rule = arena_printf(c->a, "destination %s → %s (1:1 NAT)", path_ip(c, k.dst),
					path_ip(c, t->private_ip));
	k.dst = t->private_ip;
	path_hop(c, T_IGW, g->head.id, path_tag_name(&g->head), true, rule, &k);
	seg_open(c, PATH_IGW, NULL, g, NULL, &k);
	bool ok = check_acl(c, t->subnet_id, false, &k);
	seg_close(c, PATH_ENI, t, NULL, NULL);
	return arrive(c, t, k, depth) == 0 && ok ? 0 : -1;
}

/* ---- the return path ---------------------------------------------------- */

static int reply_type(int type)
{
	return type == 8 ? 0 : type == 13 ? 14 : type == 15 ? 16 : type;
}

/* One crossing backwards: the reply enters where the packet left and
 * leaves where it came in.  Groups and NAT pass it (tracked); ACLs and
 * routes judge it again. */
static bool return_seg(struct path_ctx *c, const struct path_seg *g, bool is_first, bool is_last)
{
	struct path_pkt k = g->pkt;
	k.src = g->pkt.dst;
	k.dst = g->pkt.src;
	k.sport = g->pkt.dport;
	k.dport = g->pkt.sport;
	if (k.proto == 1) {
		k.dport = reply_type(g->pkt.dport);
		k.sport = 0;
	}
	bool ok = true;
	if (g->out == PATH_ENI) {
		const struct eni *e = g->out_eni;
		if (sem_eni_is_natgw(e))
			path_hop(c, T_NATGW, path_eni_id(c, e), "", true,
			    arena_printf(c->a, "destination back to %s (tracked)", path_ip(c, k.dst)),
			    &k);
		else
			path_hop(c, path_eni_type(e), path_eni_id(c, e), path_eni_name(c, e), true,
			    is_last ? arena_printf(c->a, "replies from %s", path_ip(c, k.src))
				    : arena_printf(c->a,
						   "translates the reply back to %s and forwards it "
						   "(tracked)",
						   path_ip(c, k.dst)),
			    &k);
		ok &= check_src_dst(c, e, true, &k);
		ok &= check_sg(c, e, true, &k);
	} else if (g->out == PATH_IGW) {
		path_hop(c, T_IGW, g->igw_out->head.id, path_tag_name(&g->igw_out->head), true,
		    "destination back to the private address (1:1 NAT)", &k);
	} else {
		path_hop(c, T_PCX, g->pcx_out->head.id, path_tag_name(&g->pcx_out->head), true, "active", &k);
	}
	/* Replies leaving toward the internet or a peering need a route
	 * there from the replying ENI's subnet. */
	if (g->out == PATH_ENI && g->in != PATH_ENI) {
		const struct eni *e = g->out_eni;
		const struct subnet *sn = sem_subnet(c->s, e->subnet_id);
		const struct route_table *rt = sn ? sem_route_table_of_subnet(c->s, sn) : NULL;
		const struct route *r = rt ? sem_route_lookup(rt, k.dst) : NULL;
		struct sem_next_hop nh = { 0 };
		enum sem_hop_kind kind = r ? sem_route_resolve(c->s, rt, r, &nh) : SEM_HOP_BLACKHOLE;
		bool good = r && ((g->in == PATH_IGW && kind == SEM_HOP_IGW && nh.igw == g->igw_in) ||
				  (g->in == PATH_PCX && kind == SEM_HOP_PEERING &&
				   nh.pcx == g->pcx_in));
		/* Replies to the public address of the forwarding instance
		 * (a NAT instance, check off) the route points at — the
		 * request came from it, through the gateway — reach the
		 * gateway through it when its own subnet routes them there:
		 * it forwards them unchanged (no translation of its own
		 * matches them), the gateway maps them back and the reply
		 * arrives as the NAT's own (found by the differential test;
		 * the kernel delivers them, and so does AWS's hairpin).
		 * That holds for TCP and ICMP replies only: its conntrack
		 * marks a reply no connection of its own expects invalid,
		 * and MASQUERADE leaves invalid packets alone.  A UDP
		 * datagram is a new flow to it, which it translates, so the
		 * reply leaves with the NAT's address and misses the client
		 * (found by the differential test, seed 1796255682).
		 * Replies to an internet client would leave with the NAT's
		 * address and miss it. */
		if (r && !good && g->in == PATH_IGW && kind == SEM_HOP_ENI && nh.eni &&
		    k.proto != 17 && /* UDP */
		    !sem_eni_checks_src_dst(nh.eni) && sem_eni_running(c->s, nh.eni) &&
		    sem_eni_public_ip(c->s, nh.eni) == k.dst) {
			const struct subnet *fs = sem_subnet(c->s, nh.eni->subnet_id);
			const struct route_table *ft = fs ? sem_route_table_of_subnet(c->s, fs) : NULL;
			const struct route *fr = ft ? sem_route_lookup(ft, k.dst) : NULL;
			struct sem_next_hop fh = { 0 };
			good = fr && sem_route_resolve(c->s, ft, fr, &fh) == SEM_HOP_IGW &&
			       fh.igw == g->igw_in;
			if (good)
				c->nat_detour = nh.eni;
		}
		/* A client in this VPC that came through the gateway by the
		 * replying ENI's public address: the router that translated
		 * the request gives the reply its client's private address
		 * back before it routes it, so the VPC's local route takes it
		 * whatever the table says for the public one (found by the
		 * differential test: seed 1796303439, topology 44, an ICMP
		 * echo to another instance's public address from a subnet
		 * whose 0/0 goes to a NAT instance).  Measured for ICMP; TCP
		 * follows the same conntrack path; UDP left as it was. */
		const struct eni *client = sem_eni_by_public_ip(c->s, k.dst);
		if (r && !good && g->in == PATH_IGW && k.proto != 17 && client &&
		    client != nh.eni && !strcmp(client->vpc_id, e->vpc_id) &&
		    sem_eni_running(c->s, client))
			good = true;
		const char *id = rt ? rt->head.id : e->subnet_id;
		path_hop(c, T_RTB, id, rt ? path_tag_name(&rt->head) : "", good,
		    r ? route_text(c, r) : arena_printf(c->a, "no route for %s", path_ip(c, k.dst)),
		    &k);
		if (!good) {
			const char *via = g->in == PATH_IGW ? g->igw_in->head.id : g->pcx_in->head.id;
			path_explain(c, r && kind == SEM_HOP_BLACKHOLE ? "BAD_STATE_ROUTE"
								 : "NO_ROUTE_TO_DESTINATION",
				T_RTB, id, NULL,
				arena_printf(c->a,
					     "The replies from %s to %s do not route back through "
					     "%s.",
					     path_ip(c, k.src), path_ip(c, k.dst), via),
				rt ? arena_printf(c->a,
						  "add to %s a route %s/32 → %s (aws ec2 create-route "
						  "--route-table-id %s --destination-cidr-block %s/32 "
						  "--%s %s)",
						  id, path_ip(c, k.dst), via, id, path_ip(c, k.dst),
						  g->in == PATH_IGW ? "gateway-id"
								  : "vpc-peering-connection-id",
						  via)
				   : NULL);
			ok = false;
		}
	}
	const struct eni *from = g->out == PATH_ENI ? g->out_eni : NULL;
	const struct eni *to = g->in == PATH_ENI ? g->in_eni : NULL;
	/* A reply detouring through the NAT instance (above) first enters
	 * that instance's subnet with its own addresses: that subnet's ACL
	 * judges it there.  The gateway then maps it back inside the router
	 * (conntrack), from the instance to the instance, which crosses no
	 * ACL: the later crossing "gateway → instance" is not judged again
	 * (found by the differential test, seed 22, topology 17). */
	bool hairpin = c->nat_detour && g->in == PATH_ENI && g->in_eni == c->nat_detour &&
		       g->out == PATH_IGW;
	if (c->nat_detour && !hairpin && g->in == PATH_IGW && g->out == PATH_ENI)
		to = c->nat_detour;
	if (!hairpin)
		ok &= check_acls_between(c, from, to, &k);
	if (g->in == PATH_ENI) {
		const struct eni *e = g->in_eni;
		ok &= check_src_dst(c, e, false, &k);
		ok &= check_sg(c, e, false, &k);
		/* A NAT on the way: the next crossing starts with it. */
		if (is_first)
			path_hop(c, path_eni_type(e), path_eni_id(c, e), path_eni_name(c, e), true,
			    arena_printf(c->a, "reply delivered to %s", path_ip(c, k.dst)), &k);
	} else if (g->in == PATH_IGW) {
		path_hop(c, T_IGW, g->igw_in->head.id, path_tag_name(&g->igw_in->head), true,
		    "source back to the public address (1:1 NAT)", &k);
	} /* PATH_PCX: the next crossing starts with the peering */
	return ok;
}

/* ---- endpoints ------------------------------------------------------------ */

static int resolve_eni(struct path_ctx *c, const struct endpoint *ep, const struct eni **ret)
{
	const struct eni *e = NULL;
	if (ep->kind == EP_INSTANCE) {
		if (!sem_instance(c->s, ep->id))
			return -ENOENT;
		e = sem_primary_eni(c->s, ep->id);
	} else if (ep->kind == EP_ENI) {
		e = sem_eni(c->s, ep->id);
	} else if (ep->kind == EP_IP) {
		e = sem_eni_by_ip(c->s, ep->ip);
		if (!e)
			e = sem_eni_by_public_ip(c->s, ep->ip);
		if (!e && !sem_vpc_of_ip(c->s, ep->ip)) {
			*ret = NULL;
			return 0; /* an internet host */
		}
	} else {
		*ret = NULL;
		return 0;
	}
	if (!e)
		return -ENOENT;
	*ret = e;
	return 0;
}

static uint32_t internet_ip(const struct endpoint *ep)
{
	if (ep->kind == EP_INTERNET || ep->kind == EP_IGW || ep->kind == EP_IP)
		return ep->ip ? ep->ip : ANALYZE_INTERNET_IP;
	return ANALYZE_INTERNET_IP;
}

int analyze_path(const struct snapshot *s, const struct probe *p, struct arena *a,
		 struct analysis *ret)
{
	struct path_ctx *c = arena_alloc(a, sizeof(*c));
	const struct eni *src = NULL, *dst = NULL;
	int r;
	c->s = s;
	c->a = a;
	c->p = p;
	c->notes = "";
	if (p->protocol < 0 || p->protocol > 255)
		return -EINVAL;
	if ((p->protocol == 6 || p->protocol == 17) && (p->port < 0 || p->port > 65535))
		return -EINVAL;
	if ((r = resolve_eni(c, &p->src, &src)) < 0 || (r = resolve_eni(c, &p->dst, &dst)) < 0)
		return r;
	if (p->src.kind == EP_IGW) {
		bool found = false;
		for (size_t i = 0; i < s->n_igws; i++)
			found |= !strcmp(s->igws[i].head.id, p->src.id);
		if (!found)
			return -ENOENT;
	}
	if (p->dst.kind == EP_IGW) {
		for (size_t i = 0; i < s->n_igws; i++)
			if (!strcmp(s->igws[i].head.id, p->dst.id))
				c->dst_igw = &s->igws[i];
		if (!c->dst_igw)
			return -ENOENT;
	}
	if (!src && !dst)
		return -EINVAL; /* internet to internet: not ours to say */
	struct path_pkt k = { .proto = p->protocol,
			 .sport = p->src_port ? p->src_port : ANALYZE_EPHEMERAL_PORT,
			 .dport = p->port };
	if (k.proto == 1) {
		k.dport = p->port < 0 ? 8 : p->port;
		k.sport = 0;
	}
	c->dst_eni = dst;
	c->dst_internet_ip = dst ? 0 : internet_ip(&p->dst);
	if (src) {
		k.src = src->private_ip;
		/* A destination named by its public IP is reached through the
		 * internet (IGW-13: the source is then the public one). */
		if (dst && p->dst.kind == EP_IP && p->dst.ip == dst->public_ip &&
		    p->dst.ip != dst->private_ip)
			k.dst = dst->public_ip;
		else
			k.dst = dst ? dst->private_ip : c->dst_internet_ip;
		if (src->instance_id[0] && !check_running(c, src, &k))
			goto done;
		path_hop(c, path_eni_type(src), path_eni_id(c, src), path_eni_name(c, src), true,
		    arena_printf(c->a, "sends %s from %s to %s", path_flow(c, &k),
				 path_ip(c, k.src), path_ip(c, k.dst)),
		    &k);
		(void)leave_eni(c, src, k, 0);
	} else {
		k.src = internet_ip(&p->src);
		k.dst = dst->public_ip ? dst->public_ip : dst->private_ip;
		(void)from_internet(c, k, 0);
	}
	if (c->n_why == 0 && !c->arrived)
		path_explain(c, "NO_POSSIBLE_DESTINATION", T_ENI, dst ? dst->head.id : "", NULL,
			"The packet does not reach the destination.", NULL);
	if (c->n_why == 0) {
		c->in_return = true;
		for (size_t i = c->n_segs; i-- > 0;)
			(void)return_seg(c, &c->segs[i], i == 0, i + 1 == c->n_segs);
		c->in_return = false;
	}
done:
	memset(ret, 0, sizeof(*ret));
	ret->found = c->n_why == 0;
	ret->fwd = c->fwd;
	ret->n_fwd = c->n_fwd;
	ret->ret = c->ret;
	ret->n_ret = c->n_ret;
	ret->why = c->why;
	ret->n_why = c->n_why;
	for (size_t i = 0; i < c->n_why && !ret->suggestion; i++)
		ret->suggestion = c->why[i].suggestion;
	ret->notes = c->notes;
	return 0;
}
