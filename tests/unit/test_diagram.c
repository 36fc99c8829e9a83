// SPDX-License-Identifier: MIT
/* draw/: the diagram of a hand-made snapshot without a store — which VPCs
 * are drawn, what makes a subnet public and an instance a NAT instance, and
 * the layout's promises: children inside parents, siblings apart, every
 * text inside its box, arrows from border to border along free lanes; the
 * SVG writer's escaping and its determinism. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <string.h>

#include "draw/diagram.h"
#include "draw/svg.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/buf.h"

/* The seed: My Test VPC with a public and a private subnet in one AZ, an
 * internet gateway, a NAT instance routed to from the private table, a
 * bastion, an internal instance; a second VPC peered with it; the default
 * VPC. */
struct world {
	struct vpc vpcs[3];
	struct subnet subnets[3];
	struct route_table rtbs[4];
	struct route routes[4][3];
	struct rtb_assoc assocs[4][2];
	struct igw igw;
	struct instance inst[3];
	struct eni eni[3];
	const char *groups[3][1];
	struct peering pcx;
	struct tag tags[8];
	struct snapshot s;
};

static struct cidr C(const char *s)
{
	struct cidr c;
	assert_int_equal(cidr_parse(s, &c), 0);
	return c;
}

static void set_id(char *dst, const char *id)
{
	snprintf(dst, ID_MAX, "%s", id);
}

static void name(struct world *w, struct res_head *h, size_t slot, const char *value)
{
	w->tags[slot] = (struct tag){ "Name", value };
	h->tags.v = &w->tags[slot];
	h->tags.n = 1;
}

static void add_route(struct route_table *t, struct route *slots, const char *dest,
		      enum route_target target, const char *id)
{
	struct route *r = &slots[t->n_routes++];
	r->dest = C(dest);
	r->target = target;
	set_id(r->target_id, id);
	t->routes = slots;
}

static void build(struct world *w)
{
	memset(w, 0, sizeof(*w));
	const char *vpc_ids[] = { "vpc-default", "vpc-seed", "vpc-other" };
	const char *vpc_cidrs[] = { "172.31.0.0/16", "10.0.0.0/16", "10.9.0.0/16" };
	for (int i = 0; i < 3; i++) {
		set_id(w->vpcs[i].head.id, vpc_ids[i]);
		w->vpcs[i].head.seq = i + 1;
		w->vpcs[i].cidr = C(vpc_cidrs[i]);
		w->vpcs[i].is_default = i == 0;
		/* the main table of each VPC */
		struct route_table *t = &w->rtbs[i];
		set_id(t->head.id, i == 0 ? "rtb-main0" : i == 1 ? "rtb-main1" : "rtb-main2");
		set_id(t->vpc_id, vpc_ids[i]);
		add_route(t, w->routes[i], vpc_cidrs[i], ROUTE_LOCAL, "local");
		w->assocs[i][0].is_main = true;
		set_id(w->assocs[i][0].id, "rtbassoc-main");
		t->assocs = w->assocs[i];
		t->n_assocs = 1;
	}
	name(w, &w->vpcs[1].head, 0, "My Test VPC");
	add_route(&w->rtbs[0], w->routes[0], "0.0.0.0/0", ROUTE_GATEWAY, "igw-default");

	const char *sn_ids[] = { "subnet-pub", "subnet-priv", "subnet-other" };
	const char *sn_cidrs[] = { "10.0.1.0/24", "10.0.2.0/24", "10.9.1.0/24" };
	const char *sn_vpcs[] = { "vpc-seed", "vpc-seed", "vpc-other" };
	for (int i = 0; i < 3; i++) {
		set_id(w->subnets[i].head.id, sn_ids[i]);
		set_id(w->subnets[i].vpc_id, sn_vpcs[i]);
		w->subnets[i].cidr = C(sn_cidrs[i]);
		snprintf(w->subnets[i].az, sizeof(w->subnets[i].az), "us-east-1a");
	}
	name(w, &w->subnets[0].head, 1, "Public Subnet");
	name(w, &w->subnets[1].head, 2, "Private Subnet");

	set_id(w->igw.head.id, "igw-seed");
	set_id(w->igw.vpc_id, "vpc-seed");

	/* The private table: 0/0 → the NAT instance, the other VPC → the peering. */
	struct route_table *pt = &w->rtbs[3];
	set_id(pt->head.id, "rtb-priv");
	set_id(pt->vpc_id, "vpc-seed");
	add_route(pt, w->routes[3], "10.0.0.0/16", ROUTE_LOCAL, "local");
	add_route(pt, w->routes[3], "0.0.0.0/0", ROUTE_INSTANCE, "i-nat");
	add_route(pt, w->routes[3], "10.9.0.0/16", ROUTE_VPC_PEERING, "pcx-1");
	set_id(w->assocs[3][0].subnet_id, "subnet-priv");
	pt->assocs = w->assocs[3];
	pt->n_assocs = 1;
	/* The seed VPC's main table routes the public subnet to the gateway. */
	add_route(&w->rtbs[1], w->routes[1], "0.0.0.0/0", ROUTE_GATEWAY, "igw-seed");

	const char *in_ids[] = { "i-nat", "i-bastion", "i-internal" };
	const char *in_sn[] = { "subnet-pub", "subnet-pub", "subnet-priv" };
	const char *in_names[] = { "NAT Server", "Bastion <b>&", "Internal Server" };
	for (int i = 0; i < 3; i++) {
		struct instance *in = &w->inst[i];
		struct eni *e = &w->eni[i];
		set_id(in->head.id, in_ids[i]);
		set_id(in->subnet_id, in_sn[i]);
		set_id(in->vpc_id, "vpc-seed");
		snprintf(in->instance_type, sizeof(in->instance_type), "t2.micro");
		in->state = INSTANCE_RUNNING;
		name(w, &in->head, 3 + (size_t)i, in_names[i]);
		snprintf(e->head.id, ID_MAX, "eni-%d", i);
		set_id(e->subnet_id, in_sn[i]);
		set_id(e->instance_id, in_ids[i]);
		e->private_ip = (10u << 24) | ((i < 2 ? 1u : 2u) << 8) | (uint32_t)(4 + i);
		e->public_ip = i < 2 ? (198u << 24) | (18u << 16) | (uint32_t)(1 + i) : 0;
		e->source_dest_check = i != 0;
		w->groups[i][0] = i == 0 ? "NAT SG" : "default";
		e->group_names = w->groups[i];
		e->group_ids = w->groups[i];
		e->n_groups = 1;
		in->eni = e;
	}

	set_id(w->pcx.head.id, "pcx-1");
	set_id(w->pcx.requester_vpc, "vpc-seed");
	set_id(w->pcx.accepter_vpc, "vpc-other");
	w->pcx.state = PCX_ACTIVE;

	w->s = (struct snapshot){ .vpcs = w->vpcs, .n_vpcs = 3, .subnets = w->subnets,
				  .n_subnets = 3, .rtbs = w->rtbs, .n_rtbs = 4, .igws = &w->igw,
				  .n_igws = 1, .instances = w->inst, .n_instances = 3,
				  .enis = w->eni, .n_enis = 3, .pcxs = &w->pcx, .n_pcxs = 1 };
}

static const struct dg_box *box(const struct diagram *d, enum dg_kind k, const char *id)
{
	for (size_t i = 0; i < d->n_boxes; i++)
		if (d->boxes[i].kind == k && !strcmp(d->boxes[i].id, id))
			return &d->boxes[i];
	return NULL;
}

static size_t count(const struct diagram *d, enum dg_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_boxes; i++)
		n += d->boxes[i].kind == k;
	return n;
}

static bool inside(const struct dg_box *in, const struct dg_box *out)
{
	return in->x >= out->x && in->y >= out->y && in->x + in->w <= out->x + out->w &&
	       in->y + in->h <= out->y + out->h;
}

static bool overlap(const struct dg_box *a, const struct dg_box *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
	       b->y < a->y + a->h;
}

static bool on_border(struct dg_point p, const struct dg_box *b)
{
	bool within = p.x >= b->x && p.x <= b->x + b->w && p.y >= b->y && p.y <= b->y + b->h;
	return within && (p.x == b->x || p.x == b->x + b->w || p.y == b->y || p.y == b->y + b->h);
}

static void selection(void **state)
{
	(void)state;
	struct world w;
	struct arena *a = arena_new();
	struct diagram d;
	const char *missing = NULL;
	build(&w);

	struct diagram_opts o = { 0 };
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	assert_int_equal(count(&d, DG_VPC), 2); /* the default VPC is left out */
	assert_null(box(&d, DG_VPC, "vpc-default"));

	o.all = true;
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	assert_int_equal(count(&d, DG_VPC), 3);

	const char *only[] = { "vpc-other" };
	o = (struct diagram_opts){ .vpc_ids = only, .n_vpc_ids = 1 };
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	assert_int_equal(count(&d, DG_VPC), 1);
	assert_non_null(box(&d, DG_VPC, "vpc-other"));
	assert_null(box(&d, DG_SUBNET, "subnet-pub"));
	/* Its peering attachment is drawn, but no link to a VPC not drawn. */
	assert_non_null(box(&d, DG_PCX, "pcx-1"));
	for (size_t i = 0; i < d.n_edges; i++)
		assert_int_not_equal(d.edges[i].kind, DG_EDGE_PEERING);

	const char *bad[] = { "vpc-other", "vpc-nope" };
	o = (struct diagram_opts){ .vpc_ids = bad, .n_vpc_ids = 2 };
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), -ENOENT);
	assert_string_equal(missing, "vpc-nope");

	/* The default VPC alone is drawn. */
	w.s.n_vpcs = 1;
	w.s.n_subnets = 0;
	o = (struct diagram_opts){ 0 };
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	assert_non_null(box(&d, DG_VPC, "vpc-default"));
	assert_int_equal(count(&d, DG_INTERNET), 0); /* no gateway, no internet */
	arena_free(a);
}

static void classification(void **state)
{
	(void)state;
	struct world w;
	build(&w);
	/* Public through the main table's 0/0 → igw; private through its own. */
	assert_true(diagram_subnet_is_public(&w.s, &w.subnets[0]));
	assert_false(diagram_subnet_is_public(&w.s, &w.subnets[1]));
	assert_ptr_equal(diagram_subnet_table(&w.s, &w.subnets[0]), &w.rtbs[1]);
	assert_ptr_equal(diagram_subnet_table(&w.s, &w.subnets[1]), &w.rtbs[3]);
	assert_false(diagram_subnet_is_public(&w.s, &w.subnets[2]));

	assert_true(diagram_is_nat_instance(&w.s, &w.inst[0]));
	assert_false(diagram_is_nat_instance(&w.s, &w.inst[1])); /* check on, no route */
	w.eni[1].source_dest_check = false;
	assert_false(diagram_is_nat_instance(&w.s, &w.inst[1])); /* check off, no route */
	w.routes[3][1].target = ROUTE_NETWORK_INTERFACE;         /* the route names the ENI */
	set_id(w.routes[3][1].target_id, "eni-1");
	assert_true(diagram_is_nat_instance(&w.s, &w.inst[1]));
	assert_false(diagram_is_nat_instance(&w.s, &w.inst[0]));
	w.eni[0].source_dest_check = true;
	set_id(w.routes[3][1].target_id, "eni-0");
	assert_false(diagram_is_nat_instance(&w.s, &w.inst[0])); /* routed to, check on */
}

static void check_layout(const struct diagram *d)
{
	for (size_t i = 0; i < d->n_boxes; i++) {
		const struct dg_box *b = &d->boxes[i];
		assert_true(b->w > 0 && b->h > 0);
		assert_true(b->x >= 0 && b->y >= 0 && b->x + b->w <= d->width &&
			    b->y + b->h <= d->height);
		for (size_t k = 0; k < b->n_lines; k++)
			assert_true(svg_text_width(b->lines[k], k ? SVG_FONT_PX : SVG_TITLE_PX) +
					    20 <= b->w);
		assert_true((int)b->n_lines * 16 + 20 <= b->h);
		if (b->parent >= 0) {
			const struct dg_box *p = &d->boxes[b->parent];
			if (b->kind == DG_IGW || b->kind == DG_PCX) /* straddle the edge */
				assert_true(b->y < (b->kind == DG_IGW ? p->y : p->y + p->h) &&
					    (b->kind == DG_IGW ? p->y : p->y + p->h) < b->y + b->h);
			else
				assert_true(inside(b, p));
		}
		for (size_t j = i + 1; j < d->n_boxes; j++) {
			const struct dg_box *o = &d->boxes[j];
			if (o->parent == b->parent)
				assert_false(overlap(b, o));
		}
	}
	for (size_t i = 0; i < d->n_edges; i++) {
		const struct dg_edge *e = &d->edges[i];
		assert_true(e->n_pts >= 2);
		assert_true(on_border(e->pts[0], &d->boxes[e->from]));
		assert_true(on_border(e->pts[e->n_pts - 1], &d->boxes[e->to]));
		for (size_t k = 1; k < e->n_pts; k++)
			assert_true(e->pts[k].x == e->pts[k - 1].x || e->pts[k].y == e->pts[k - 1].y);
	}
}

static const struct dg_edge *edge(const struct diagram *d, enum dg_edge_kind k, const char *from,
				  const char *to)
{
	for (size_t i = 0; i < d->n_edges; i++) {
		const struct dg_edge *e = &d->edges[i];
		if (e->kind == k && !strcmp(d->boxes[e->from].id, from) &&
		    !strcmp(d->boxes[e->to].id, to))
			return e;
	}
	return NULL;
}

static void layout(void **state)
{
	(void)state;
	struct world w;
	struct arena *a = arena_new();
	struct diagram d;
	const char *missing = NULL;
	struct diagram_opts o = { .all = true };
	build(&w);
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	check_layout(&d);

	const struct dg_box *pub = box(&d, DG_SUBNET, "subnet-pub");
	const struct dg_box *priv = box(&d, DG_SUBNET, "subnet-priv");
	assert_string_equal(pub->role, "public");
	assert_string_equal(priv->role, "private");
	assert_true(pub->y < priv->y); /* public above private, as in the seed */
	assert_true(inside(box(&d, DG_INSTANCE, "i-nat"), pub));
	assert_true(inside(box(&d, DG_INSTANCE, "i-internal"), priv));
	assert_string_equal(box(&d, DG_INSTANCE, "i-nat")->role, "nat");
	assert_string_equal(box(&d, DG_INSTANCE, "i-bastion")->role, "");
	assert_string_equal(box(&d, DG_INSTANCE, "i-bastion")->lines[0], "Bastion <b>&");

	assert_non_null(edge(&d, DG_EDGE_ROUTE, "subnet-pub", "igw-seed"));
	assert_non_null(edge(&d, DG_EDGE_ROUTE, "subnet-priv", "i-nat"));
	assert_non_null(edge(&d, DG_EDGE_ROUTE, "subnet-priv", "pcx-1"));
	assert_non_null(edge(&d, DG_EDGE_INTERNET, "internet", "igw-seed"));
	const struct dg_edge *p = edge(&d, DG_EDGE_PEERING, "pcx-1", "pcx-1");
	assert_non_null(p);
	assert_string_equal(p->status, "active");
	/* The default VPC's gateway is gone: its route is a blackhole, no arrow. */
	const struct dg_box *dv = box(&d, DG_VPC, "vpc-default");
	assert_non_null(dv);
	assert_null(edge(&d, DG_EDGE_ROUTE, "subnet-pub", "igw-default"));

	/* A second AZ, routed across to the NAT instance, and long names. */
	struct subnet more[4];
	memcpy(more, w.subnets, sizeof(w.subnets));
	more[3] = w.subnets[1];
	set_id(more[3].head.id, "subnet-b");
	snprintf(more[3].az, sizeof(more[3].az), "us-east-1b");
	more[3].cidr = C("10.0.3.0/24");
	w.assocs[3][1] = (struct rtb_assoc){ .id = "rtbassoc-b", .subnet_id = "subnet-b" };
	w.rtbs[3].n_assocs = 2;
	w.tags[0].value = "A rather long name for a VPC, longer than anything inside it at all";
	w.s.subnets = more;
	w.s.n_subnets = 4;
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	check_layout(&d);
	const struct dg_box *b = box(&d, DG_SUBNET, "subnet-b");
	assert_true(b->x > box(&d, DG_SUBNET, "subnet-pub")->x + pub->w); /* its own column */
	assert_int_equal(b->y, box(&d, DG_SUBNET, "subnet-pub")->y);
	const struct dg_edge *x = edge(&d, DG_EDGE_ROUTE, "subnet-b", "i-nat");
	assert_non_null(x);
	assert_int_equal(x->n_pts, 6);
	arena_free(a);
}

static void svg_output(void **state)
{
	(void)state;
	struct world w;
	struct arena *a = arena_new();
	struct diagram d;
	const char *missing = NULL;
	struct diagram_opts o = { .all = true };
	struct buf b1, b2;
	build(&w);
	buf_init(&b1, 1 << 22);
	buf_init(&b2, 1 << 22);
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	assert_int_equal(diagram_svg(&d, &b1), 0);
	assert_int_equal(diagram_build(&w.s, &o, a, &d, &missing), 0);
	assert_int_equal(diagram_svg(&d, &b2), 0);
	assert_string_equal(buf_str(&b1), buf_str(&b2)); /* deterministic */
	assert_non_null(strstr(buf_str(&b1), ">Bastion &lt;b&gt;&amp;</text>"));
	assert_null(strstr(buf_str(&b1), "<b>"));
	assert_non_null(strstr(buf_str(&b1), "data-kind=\"route\" data-from=\"subnet-priv\""
					     " data-to=\"i-nat\""));
	/* A ceiling too small fails cleanly. */
	struct buf small;
	buf_init(&small, 100);
	assert_int_equal(diagram_svg(&d, &small), -E2BIG);
	buf_done(&small);
	buf_done(&b1);
	buf_done(&b2);
	arena_free(a);
}

static void escaping(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1024);
	assert_int_equal(svg_escape(&b, "<b>&\"x\"'"), 0);
	assert_string_equal(buf_str(&b), "&lt;b&gt;&amp;&quot;x&quot;&apos;");
	buf_reset(&b);
	/* A control character and malformed UTF-8 become U+FFFD; UTF-8 stays. */
	assert_int_equal(svg_escape(&b, "a\x01" "b\xff" "c\xc3\xa9\xe2\x86\x92"), 0);
	assert_string_equal(buf_str(&b), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xc3\xa9\xe2\x86\x92");
	buf_reset(&b);
	assert_int_equal(svg_escape(&b, "\xc0\xaf\xed\xa0\x80"), 0); /* overlong, surrogate */
	assert_null(strstr(buf_str(&b), "\xc0"));
	assert_null(strstr(buf_str(&b), "\xed\xa0"));
	buf_done(&b);

	assert_int_equal(svg_text_width("", 12), 0);
	assert_int_equal(svg_text_width("abcde", 10), 31);
	assert_int_equal(svg_text_width("\xe6\x9d\xb1", 10), 13); /* a wide character: 2 columns */
	assert_int_equal(svg_text_width("\xc3\xa9", 10), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selection),    cmocka_unit_test(classification),
		cmocka_unit_test(layout),       cmocka_unit_test(svg_output),
		cmocka_unit_test(escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
