// SPDX-License-Identifier: MIT
/* What the diagram shows (see diagram.h): which VPCs, the box tree with its
 * text, and which route arrows join which boxes.  Sizes and places are
 * diagram_layout.c's.  Never reads the store or a file. */
#include "draw/diagram.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw/diagram_internal.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/cidr.h"

struct lines {
	const char **v;
	size_t n, cap;
};

static void line_add(struct arena *a, struct lines *l, const char *s)
{
	ARENA_RESERVE(a, l->v, l->n, l->cap);
	l->v[l->n++] = s;
}

static const char *tag(const struct res_head *h, const char *key)
{
	for (size_t i = 0; i < h->tags.n; i++)
		if (h->tags.v[i].key && !strcmp(h->tags.v[i].key, key))
			return h->tags.v[i].value;
	return NULL;
}

/* The Name tag, or NULL when absent or empty. */
static const char *name_of(const struct res_head *h)
{
	const char *n = tag(h, "Name");
	return n && *n ? n : NULL;
}

static size_t box_add(struct dg_ctx *c, enum dg_kind kind, const char *id, size_t parent,
		      const char *role, struct lines *l)
{
	ARENA_RESERVE(c->a, c->d.boxes, c->d.n_boxes, c->cap_boxes);
	struct dg_box *b = &c->d.boxes[c->d.n_boxes];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	snprintf(b->id, sizeof(b->id), "%s", id);
	b->parent = parent == DG_NONE ? -1 : (long)parent;
	b->role = role ? role : "";
	b->lines = l->v;
	b->n_lines = l->n;
	return c->d.n_boxes++;
}

static size_t edge_add(struct dg_ctx *c, enum dg_edge_kind kind, size_t from, size_t to,
		       const char *id)
{
	ARENA_RESERVE(c->a, c->d.edges, c->d.n_edges, c->cap_edges);
	struct dg_edge *e = &c->d.edges[c->d.n_edges];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->from = from;
	e->to = to;
	snprintf(e->id, sizeof(e->id), "%s", id ? id : "");
	return c->d.n_edges++;
}

static size_t find_box(const struct dg_ctx *c, enum dg_kind kind, const char *id, size_t vpc)
{
	for (size_t i = 0; i < c->d.n_boxes; i++) {
		const struct dg_box *b = &c->d.boxes[i];
		if (b->kind != kind || strcmp(b->id, id))
			continue;
		if (vpc != DG_NONE && kind == DG_PCX && (size_t)b->parent != vpc)
			continue;
		return i;
	}
	return DG_NONE;
}

/* The enclosing box of kind k (or i itself), DG_NONE when there is none. */
static size_t ancestor(const struct dg_ctx *c, size_t i, enum dg_kind k)
{
	while (i != DG_NONE) {
		if (c->d.boxes[i].kind == k)
			return i;
		long p = c->d.boxes[i].parent;
		i = p < 0 ? DG_NONE : (size_t)p;
	}
	return DG_NONE;
}

const struct route_table *diagram_subnet_table(const struct snapshot *s, const struct subnet *sn)
{
	const struct route_table *main_table = NULL;
	for (size_t i = 0; i < s->n_rtbs; i++) {
		const struct route_table *t = &s->rtbs[i];
		if (strcmp(t->vpc_id, sn->vpc_id))
			continue;
		for (size_t k = 0; k < t->n_assocs; k++) {
			if (!strcmp(t->assocs[k].subnet_id, sn->head.id))
				return t;
			if (t->assocs[k].is_main)
				main_table = t;
		}
	}
	return main_table;
}

static bool is_default_dest(const struct route *r)
{
	return r->dest.len == 0;
}

bool diagram_subnet_is_public(const struct snapshot *s, const struct subnet *sn)
{
	const struct route_table *t = diagram_subnet_table(s, sn);
	for (size_t i = 0; t && i < t->n_routes; i++) {
		const struct route *r = &t->routes[i];
		if (is_default_dest(r) && r->target == ROUTE_GATEWAY &&
		    !strncmp(r->target_id, "igw-", 4))
			return true;
	}
	return false;
}

bool diagram_is_nat_instance(const struct snapshot *s, const struct instance *in)
{
	if (!in->eni || in->eni->source_dest_check)
		return false;
	for (size_t i = 0; i < s->n_rtbs; i++) {
		const struct route_table *t = &s->rtbs[i];
		if (strcmp(t->vpc_id, in->vpc_id))
			continue;
		for (size_t k = 0; k < t->n_routes; k++) {
			const struct route *r = &t->routes[k];
			if ((r->target == ROUTE_INSTANCE && !strcmp(r->target_id, in->head.id)) ||
			    (r->target == ROUTE_NETWORK_INTERFACE &&
			     !strcmp(r->target_id, in->eni->head.id)))
				return true;
		}
	}
	return false;
}

static const struct eip *eip_of(const struct diagram_opts *o, const char *eni_id)
{
	for (size_t i = 0; i < o->n_eips; i++)
		if (o->eips[i].eni_id[0] && !strcmp(o->eips[i].eni_id, eni_id))
			return &o->eips[i];
	return NULL;
}

static const struct vpc *vpc_by_id(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_vpcs; i++)
		if (!strcmp(s->vpcs[i].head.id, id))
			return &s->vpcs[i];
	return NULL;
}

/* Marks the VPCs to draw in sel[0..n_vpcs). */
static int select_vpcs(const struct snapshot *s, const struct diagram_opts *o, bool *sel,
		       const char **ret_missing)
{
	if (o->vpc_ids && o->n_vpc_ids) {
		for (size_t i = 0; i < o->n_vpc_ids; i++) {
			const struct vpc *v = vpc_by_id(s, o->vpc_ids[i]);
			if (!v) {
				*ret_missing = o->vpc_ids[i];
				return -ENOENT;
			}
			sel[v - s->vpcs] = true;
		}
		return 0;
	}
	size_t others = 0;
	for (size_t i = 0; i < s->n_vpcs; i++)
		others += !s->vpcs[i].is_default;
	for (size_t i = 0; i < s->n_vpcs; i++)
		sel[i] = o->all || !s->vpcs[i].is_default || others == 0;
	return 0;
}

static const char *ip_text(struct arena *a, const char *what, uint32_t ip)
{
	char b[IP4_STR_MAX];
	return arena_printf(a, "%s %s", what, ip4_format(ip, b));
}

static void add_instance(struct dg_ctx *c, const struct instance *in, size_t parent)
{
	struct lines l = { 0 };
	const char *name = name_of(&in->head);
	bool is_nat = diagram_is_nat_instance(c->s, in);
	line_add(c->a, &l, name ? name : in->head.id);
	if (name)
		line_add(c->a, &l, in->head.id);
	if (is_nat)
		line_add(c->a, &l, "NAT instance (source/dest check off)");
	if (in->eni) {
		line_add(c->a, &l, ip_text(c->a, "private", in->eni->private_ip));
		if (in->eni->public_ip)
			line_add(c->a, &l,
				 ip_text(c->a, eip_of(c->o, in->eni->head.id) ? "Elastic IP" : "public",
					 in->eni->public_ip));
	}
	line_add(c->a, &l, arena_printf(c->a, "%s  %s", instance_state_name(in->state),
					in->instance_type));
	if (in->eni && in->eni->n_groups) {
		size_t size = 8;
		for (size_t i = 0; i < in->eni->n_groups; i++)
			size += strlen(in->eni->group_names[i] && *in->eni->group_names[i]
					       ? in->eni->group_names[i]
					       : in->eni->group_ids[i]) + 2;
		char *sg = arena_alloc(c->a, size);
		size_t off = (size_t)snprintf(sg, size, "SG:");
		for (size_t i = 0; i < in->eni->n_groups && off < size; i++) {
			const char *g = in->eni->group_names[i] && *in->eni->group_names[i]
						? in->eni->group_names[i]
						: in->eni->group_ids[i];
			off += (size_t)snprintf(sg + off, size - off, "%s %s", i ? "," : "", g);
		}
		line_add(c->a, &l, sg);
	}
	box_add(c, DG_INSTANCE, in->head.id, parent, is_nat ? "nat" : "", &l);
}

static bool natgw_drawn(const struct nat_gateway *g)
{
	return g->state == NATGW_PENDING || g->state == NATGW_AVAILABLE ||
	       g->state == NATGW_DELETING;
}

static void add_natgw(struct dg_ctx *c, const struct nat_gateway *g, size_t parent)
{
	struct lines l = { 0 };
	const char *name = name_of(&g->head);
	line_add(c->a, &l, name ? name : "NAT gateway");
	line_add(c->a, &l, g->head.id);
	if (name)
		line_add(c->a, &l, "NAT gateway");
	if (g->is_private)
		line_add(c->a, &l, "private NAT (no Elastic IP)");
	else
		line_add(c->a, &l, ip_text(c->a, "Elastic IP", g->public_ip));
	line_add(c->a, &l, ip_text(c->a, "private", g->private_ip));
	line_add(c->a, &l, natgw_state_name(g->state));
	box_add(c, DG_NATGW, g->head.id, parent, "nat", &l);
}

static void add_subnet(struct dg_ctx *c, const struct subnet *sn, size_t az)
{
	struct lines l = { 0 }; /* text comes later: the routes need every target's box */
	bool is_public = diagram_subnet_is_public(c->s, sn);
	size_t b = box_add(c, DG_SUBNET, sn->head.id, az, is_public ? "public" : "private", &l);
	for (size_t i = 0; i < c->s->n_instances; i++) {
		const struct instance *in = &c->s->instances[i];
		if (!strcmp(in->subnet_id, sn->head.id) && in->state != INSTANCE_TERMINATED)
			add_instance(c, in, b);
	}
	for (size_t i = 0; i < c->s->n_natgws; i++) {
		const struct nat_gateway *g = &c->s->natgws[i];
		if (!strcmp(g->subnet_id, sn->head.id) && natgw_drawn(g))
			add_natgw(c, g, b);
	}
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void add_azs(struct dg_ctx *c, const struct vpc *v, size_t vb)
{
	const char **azs = arena_alloc_array(c->a, c->s->n_subnets + 1, sizeof(*azs));
	size_t n = 0;
	for (size_t i = 0; i < c->s->n_subnets; i++) {
		const struct subnet *sn = &c->s->subnets[i];
		bool seen = false;
		if (strcmp(sn->vpc_id, v->head.id))
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(azs[k], sn->az);
		if (!seen)
			azs[n++] = sn->az;
	}
	qsort(azs, n, sizeof(*azs), cmp_str);
	for (size_t k = 0; k < n; k++) {
		struct lines l = { 0 };
		line_add(c->a, &l, arena_printf(c->a, "Availability Zone %s", azs[k]));
		size_t az = box_add(c, DG_AZ, azs[k], vb, "", &l);
		/* The seed's picture: public subnets above private ones. */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < c->s->n_subnets; i++) {
				const struct subnet *sn = &c->s->subnets[i];
				if (!strcmp(sn->vpc_id, v->head.id) && !strcmp(sn->az, azs[k]) &&
				    diagram_subnet_is_public(c->s, sn) == (pass == 0))
					add_subnet(c, sn, az);
			}
	}
}

static const char *vpc_label(const struct snapshot *s, const char *id)
{
	const struct vpc *v = vpc_by_id(s, id);
	const char *n = v ? name_of(&v->head) : NULL;
	return n ? n : id;
}

static void add_vpc(struct dg_ctx *c, const struct vpc *v, size_t region)
{
	struct lines l = { 0 };
	const char *name = name_of(&v->head);
	char cb[CIDR_STR_MAX];
	line_add(c->a, &l, name ? name : v->head.id);
	if (name)
		line_add(c->a, &l, v->head.id);
	const char *blocks = NULL;
	for (size_t i = 0; i < v->n_assocs; i++) {
		if (v->assocs[i].state != CIDR_ASSOCIATED)
			continue;
		cidr_format(&v->assocs[i].cidr, cb);
		blocks = blocks ? arena_printf(c->a, "%s, %s", blocks, cb) : arena_strdup(c->a, cb);
	}
	line_add(c->a, &l, blocks ? blocks : arena_strdup(c->a, cidr_format(&v->cidr, cb)));
	if (v->is_default)
		line_add(c->a, &l, "default VPC");
	size_t vb = box_add(c, DG_VPC, v->head.id, region, "", &l);

	for (size_t i = 0; i < c->s->n_igws; i++) {
		const struct igw *g = &c->s->igws[i];
		if (strcmp(g->vpc_id, v->head.id))
			continue;
		struct lines gl = { 0 };
		const char *gname = name_of(&g->head);
		line_add(c->a, &gl, gname ? gname : "Internet gateway");
		line_add(c->a, &gl, g->head.id);
		box_add(c, DG_IGW, g->head.id, vb, "", &gl);
		break; /* AWS IGW-3: one per VPC */
	}
	add_azs(c, v, vb);
	for (size_t i = 0; i < c->s->n_pcxs; i++) {
		const struct peering *p = &c->s->pcxs[i];
		const char *other = pcx_other_vpc(p, v->head.id);
		if (!other || !pcx_is_live(p->state))
			continue;
		struct lines pl = { 0 };
		const char *pname = name_of(&p->head);
		line_add(c->a, &pl, pname ? pname : "VPC peering");
		line_add(c->a, &pl, p->head.id);
		line_add(c->a, &pl, arena_printf(c->a, "with %s", vpc_label(c->s, other)));
		line_add(c->a, &pl, pcx_state_name(p->state));
		box_add(c, DG_PCX, p->head.id, vb, "", &pl);
	}
}

/* The box a route leads to, DG_NONE when it is not drawn (a blackhole, or
 * a target the diagram does not show). */
static size_t route_target_box(const struct dg_ctx *c, const struct route *r, size_t vpc)
{
	switch (r->target) {
	case ROUTE_GATEWAY: {
		size_t b = find_box(c, DG_IGW, r->target_id, DG_NONE);
		return b != DG_NONE && (size_t)c->d.boxes[b].parent == vpc ? b : DG_NONE;
	}
	case ROUTE_NAT_GATEWAY:
		return find_box(c, DG_NATGW, r->target_id, DG_NONE);
	case ROUTE_INSTANCE:
		return find_box(c, DG_INSTANCE, r->target_id, DG_NONE);
	case ROUTE_NETWORK_INTERFACE:
		for (size_t i = 0; i < c->s->n_enis; i++) {
			const struct eni *e = &c->s->enis[i];
			if (strcmp(e->head.id, r->target_id))
				continue;
			if (e->instance_id[0])
				return find_box(c, DG_INSTANCE, e->instance_id, DG_NONE);
			for (size_t k = 0; k < c->s->n_natgws; k++)
				if (!strcmp(c->s->natgws[k].eni_id, e->head.id))
					return find_box(c, DG_NATGW, c->s->natgws[k].head.id,
							DG_NONE);
		}
		return DG_NONE;
	case ROUTE_VPC_PEERING:
		return find_box(c, DG_PCX, r->target_id, vpc);
	default:
		return DG_NONE;
	}
}

/* The subnet's text (with its routes) and its arrows. */
static void route_subnet(struct dg_ctx *c, size_t b, const struct subnet *sn)
{
	struct lines l = { 0 };
	const char *name = name_of(&sn->head);
	char cb[CIDR_STR_MAX];
	size_t vpc = ancestor(c, b, DG_VPC), az = ancestor(c, b, DG_AZ);
	bool is_public = !strcmp(c->d.boxes[b].role, "public");
	line_add(c->a, &l, name ? name : sn->head.id);
	if (name)
		line_add(c->a, &l, sn->head.id);
	line_add(c->a, &l, arena_printf(c->a, "%s  %s subnet", cidr_format(&sn->cidr, cb),
					is_public ? "public" : "private"));
	const struct route_table *t = diagram_subnet_table(c->s, sn);
	if (!t) {
		const struct vpc *v = vpc_by_id(c->s, sn->vpc_id);
		line_add(c->a, &l, "no route table");
		if (v)
			line_add(c->a, &l,
				 arena_printf(c->a, "%s -> local", cidr_format(&v->cidr, cb)));
	} else {
		bool is_main = rtb_main_assoc(t) != NULL;
		for (size_t k = 0; k < t->n_assocs && is_main; k++)
			if (!strcmp(t->assocs[k].subnet_id, sn->head.id))
				is_main = false;
		const char *tname = name_of(&t->head);
		line_add(c->a, &l,
			 arena_printf(c->a, "routes: %s%s%s%s", t->head.id,
				      is_main ? " (main)" : "", tname ? " " : "", tname ? tname : ""));
	}
	int nth = 0;
	for (size_t i = 0; t && i < t->n_routes; i++) {
		const struct route *r = &t->routes[i];
		size_t tb = r->target == ROUTE_LOCAL ? DG_NONE : route_target_box(c, r, vpc);
		bool is_arrow = is_default_dest(r) || r->target == ROUTE_VPC_PEERING;
		line_add(c->a, &l,
			 arena_printf(c->a, "%s -> %s%s", cidr_format(&r->dest, cb),
				      r->target == ROUTE_LOCAL ? "local" : r->target_id,
				      r->target != ROUTE_LOCAL && tb == DG_NONE &&
						      r->target != ROUTE_EGRESS_ONLY_IGW
					      ? " (blackhole)"
					      : ""));
		if (!is_arrow || tb == DG_NONE)
			continue;
		size_t e = edge_add(c, DG_EDGE_ROUTE, b, tb, t->head.id);
		c->d.edges[e].dest = arena_strdup(c->a, cb);
		ARENA_RESERVE(c->a, c->arrows, c->n_arrows, c->cap_arrows);
		struct dg_arrow *ar = &c->arrows[c->n_arrows++];
		memset(ar, 0, sizeof(*ar));
		ar->edge = e;
		ar->subnet = b;
		ar->target = tb;
		ar->vpc = vpc;
		ar->src_az = az;
		ar->dst_az = ancestor(c, tb, DG_AZ);
		ar->nth = nth++;
		ar->src_lane = ar->dst_lane = ar->top_slot = ar->bot_slot = -1;
	}
	c->d.boxes[b].lines = l.v;
	c->d.boxes[b].n_lines = l.n;
}

static const char *region_name(const struct dg_ctx *c, const bool *sel)
{
	for (size_t i = 0; i < c->s->n_subnets; i++) {
		const struct subnet *sn = &c->s->subnets[i];
		const struct vpc *v = vpc_by_id(c->s, sn->vpc_id);
		size_t n = strlen(sn->az);
		if (!v || !sel[v - c->s->vpcs] || n < 2)
			continue;
		/* "us-east-1a" → "us-east-1" */
		while (n > 0 && sn->az[n - 1] >= 'a' && sn->az[n - 1] <= 'z')
			n--;
		if (n > 0)
			return arena_strndup(c->a, sn->az, n);
	}
	return c->o->region && *c->o->region ? c->o->region : "us-east-1";
}

int diagram_build(const struct snapshot *s, const struct diagram_opts *o, struct arena *a,
		  struct diagram *ret, const char **ret_missing)
{
	struct dg_ctx c;
	int r;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	c.a = a;
	bool *sel = arena_alloc_array(a, s->n_vpcs + 1, sizeof(*sel));
	if ((r = select_vpcs(s, o, sel, ret_missing)) < 0)
		return r;

	const char *region = region_name(&c, sel);
	struct lines rl = { 0 };
	line_add(a, &rl, arena_printf(a, "Region %s", region));
	size_t rb = box_add(&c, DG_REGION, region, DG_NONE, "", &rl);
	for (size_t i = 0; i < s->n_vpcs; i++)
		if (sel[i])
			add_vpc(&c, &s->vpcs[i], rb);

	size_t n_boxes = c.d.n_boxes;
	for (size_t b = 0; b < n_boxes; b++) {
		if (c.d.boxes[b].kind != DG_SUBNET)
			continue;
		for (size_t i = 0; i < s->n_subnets; i++)
			if (!strcmp(s->subnets[i].head.id, c.d.boxes[b].id))
				route_subnet(&c, b, &s->subnets[i]);
	}

	/* Peerings with both VPCs drawn: a link between their attachments. */
	for (size_t i = 0; i < s->n_pcxs; i++) {
		const struct peering *p = &s->pcxs[i];
		if (!pcx_is_live(p->state))
			continue;
		size_t va = find_box(&c, DG_VPC, p->requester_vpc, DG_NONE);
		size_t vb = find_box(&c, DG_VPC, p->accepter_vpc, DG_NONE);
		if (va == DG_NONE || vb == DG_NONE || va == vb)
			continue;
		size_t e = edge_add(&c, DG_EDGE_PEERING, find_box(&c, DG_PCX, p->head.id, va),
				    find_box(&c, DG_PCX, p->head.id, vb), p->head.id);
		c.d.edges[e].status = pcx_state_name(p->state);
		c.d.edges[e].label = arena_printf(a, "%s %s", p->head.id, pcx_state_name(p->state));
	}

	/* The internet above every internet gateway. */
	bool has_igw = false;
	for (size_t b = 0; b < c.d.n_boxes && !has_igw; b++)
		has_igw = c.d.boxes[b].kind == DG_IGW;
	if (has_igw) {
		struct lines il = { 0 };
		line_add(a, &il, "Internet");
		size_t ib = box_add(&c, DG_INTERNET, "internet", DG_NONE, "", &il);
		for (size_t b = 0; b < c.d.n_boxes; b++)
			if (c.d.boxes[b].kind == DG_IGW)
				edge_add(&c, DG_EDGE_INTERNET, ib, b, c.d.boxes[b].id);
	}

	dg_layout(&c);
	*ret = c.d;
	return 0;
}
