// SPDX-License-Identifier: MIT
/* Sizes and places the diagram's boxes and arrows (see diagram.h).  Every
 * size follows from the text a box holds (monospace: width = columns) and
 * from its children; siblings are stacked or set side by side with gaps, so
 * nothing overlaps.  Arrows run in space no box uses: a lane per arrow to
 * the right of an AZ's subnets, a track per arrow in the VPC's top band
 * (between its title and its AZs) and bottom band (under its AZs).  The
 * internet gateway straddles the VPC's top edge right of its title; peering
 * attachments straddle its bottom edge; peering links run below every VPC. */
#include <string.h>

#include "draw/diagram_internal.h"
#include "draw/svg.h"
#include "util/arena.h"

static int max_i(int a, int b)
{
	return a > b ? a : b;
}

static int line_w(const struct dg_box *b, size_t i)
{
	return svg_text_width(b->lines[i], i == 0 ? SVG_TITLE_PX : SVG_FONT_PX);
}

static int text_w(const struct dg_box *b)
{
	int w = 0;
	for (size_t i = 0; i < b->n_lines; i++)
		w = max_i(w, line_w(b, i));
	return w;
}

static int text_h(const struct dg_box *b)
{
	return (int)b->n_lines * DG_LINE_H;
}

static bool is_child(const struct dg_ctx *c, size_t i, size_t parent, enum dg_kind k)
{
	const struct dg_box *b = &c->d.boxes[i];
	return b->parent >= 0 && (size_t)b->parent == parent && b->kind == k;
}

static bool in_az(enum dg_kind k)
{
	return k == DG_INSTANCE || k == DG_NATGW;
}

static void size_leaf(struct dg_box *b)
{
	b->w = text_w(b) + 2 * DG_PAD;
	b->h = text_h(b) + 2 * DG_PAD;
}

/* Assigns each arrow its lanes and tracks. */
static void assign_lanes(struct dg_ctx *c)
{
	for (size_t i = 0; i < c->n_arrows; i++) {
		struct dg_arrow *ar = &c->arrows[i];
		enum dg_kind k = c->d.boxes[ar->target].kind;
		ar->src_lane = c->aux[ar->src_az].lanes++;
		if (k == DG_IGW) {
			ar->top_slot = c->aux[ar->vpc].top_slots++;
			ar->dst_lane = c->aux[ar->target].n_arrows++;
		} else if (k == DG_PCX) {
			ar->bot_slot = c->aux[ar->vpc].bot_slots++;
			ar->dst_lane = c->aux[ar->target].n_arrows++;
		} else if (in_az(k) && ar->dst_az != ar->src_az) {
			ar->top_slot = c->aux[ar->vpc].top_slots++;
			ar->dst_lane = c->aux[ar->dst_az].lanes++;
		}
		c->aux[ar->subnet].n_arrows++;
	}
}

/* Widths and heights, leaves first: subnets in an AZ share one width. */
static void size_boxes(struct dg_ctx *c)
{
	size_t n = c->d.n_boxes;
	for (size_t i = 0; i < n; i++) {
		struct dg_box *b = &c->d.boxes[i];
		if (b->kind == DG_INSTANCE || b->kind == DG_NATGW || b->kind == DG_IGW ||
		    b->kind == DG_PCX || b->kind == DG_INTERNET)
			size_leaf(b);
	}
	for (size_t i = 0; i < n; i++) {
		struct dg_box *b = &c->d.boxes[i];
		if (b->kind != DG_SUBNET)
			continue;
		int w = text_w(b) + 2 * DG_PAD, h = 0, k = 0;
		/* Room on the right edge for where the arrows start. */
		int starts = DG_PAD + 6 + c->aux[i].n_arrows * 8;
		for (size_t j = 0; j < n; j++) {
			const struct dg_box *ch = &c->d.boxes[j];
			if (ch->parent < 0 || (size_t)ch->parent != i)
				continue;
			w = max_i(w, ch->w + 2 * DG_PAD);
			h += ch->h + (k++ ? DG_GAP : 0);
		}
		b->w = w;
		b->h = max_i(2 * DG_PAD + text_h(b) + (k ? DG_GAP / 2 + h : 0), starts + DG_PAD);
	}
	for (size_t i = 0; i < n; i++) {
		struct dg_box *b = &c->d.boxes[i];
		if (b->kind != DG_AZ)
			continue;
		int cw = text_w(b), h = 0, k = 0;
		for (size_t j = 0; j < n; j++)
			if (is_child(c, j, i, DG_SUBNET))
				cw = max_i(cw, c->d.boxes[j].w);
		for (size_t j = 0; j < n; j++) {
			struct dg_box *sn = &c->d.boxes[j];
			if (!is_child(c, j, i, DG_SUBNET))
				continue;
			sn->w = cw;
			for (size_t m = 0; m < n; m++)
				if (c->d.boxes[m].parent >= 0 && (size_t)c->d.boxes[m].parent == j)
					c->d.boxes[m].w = cw - 2 * DG_PAD;
			h += sn->h + (k++ ? DG_GAP : 0);
		}
		c->aux[i].content_w = cw;
		b->w = DG_PAD + cw + 4 + c->aux[i].lanes * DG_LANE + DG_PAD;
		b->h = DG_PAD + text_h(b) + DG_GAP / 2 + h + DG_PAD;
	}
}

/* Places the subnets of AZ box az (and their children) under its title. */
static void place_az(struct dg_ctx *c, size_t az)
{
	const struct dg_box *a = &c->d.boxes[az];
	int y = a->y + DG_PAD + text_h(a) + DG_GAP / 2;
	for (size_t j = 0; j < c->d.n_boxes; j++) {
		struct dg_box *sn = &c->d.boxes[j];
		if (!is_child(c, j, az, DG_SUBNET))
			continue;
		sn->x = a->x + DG_PAD;
		sn->y = y;
		y += sn->h + DG_GAP;
		int cy = sn->y + DG_PAD + text_h(sn) + DG_GAP / 2;
		for (size_t m = 0; m < c->d.n_boxes; m++) {
			struct dg_box *ch = &c->d.boxes[m];
			if (ch->parent < 0 || (size_t)ch->parent != j)
				continue;
			ch->x = sn->x + DG_PAD;
			ch->y = cy;
			cy += ch->h + DG_GAP;
		}
	}
}

/* Sizes VPC box v and places it and its contents at (x, y). */
static void place_vpc(struct dg_ctx *c, size_t v, int x, int y, int min_header_w)
{
	struct dg_box *vb = &c->d.boxes[v];
	size_t n = c->d.n_boxes, igw = DG_NONE;
	int azs_w = 0, az_h = 0, n_az = 0, ports_w = 0, port_h = 0, n_ports = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dg_box *b = &c->d.boxes[i];
		if (b->parent < 0 || (size_t)b->parent != v)
			continue;
		if (b->kind == DG_IGW)
			igw = i;
		else if (b->kind == DG_AZ) {
			azs_w += b->w + (n_az++ ? DG_GAP : 0);
			az_h = max_i(az_h, b->h);
		} else if (b->kind == DG_PCX) {
			ports_w += b->w + (n_ports++ ? DG_GAP : 0);
			port_h = max_i(port_h, b->h);
		}
	}
	int header_w = max_i(text_w(vb), min_header_w);
	int top_w = header_w + (igw != DG_NONE ? 2 * DG_GAP + c->d.boxes[igw].w : 0);
	vb->x = x;
	vb->y = y;
	vb->w = 2 * DG_PAD + max_i(top_w, max_i(azs_w, ports_w));

	int top_end = y + max_i(DG_PAD + text_h(vb), igw != DG_NONE ? c->d.boxes[igw].h / 2 : 0);
	int az_y = top_end + c->aux[v].top_slots * DG_BUS + DG_GAP;
	int az_end = az_y + az_h;
	int bot_end = az_end + c->aux[v].bot_slots * DG_BUS + DG_GAP;
	int bottom = n_ports ? bot_end + port_h / 2 + 2 : bot_end;
	vb->h = bottom - y;
	/* Track k of the top band is at top_end + DG_BUS * (k + 1) - DG_BUS / 2,
	 * of the bottom band at az_end + DG_BUS * (k + 1) - DG_BUS / 2. */
	if (igw != DG_NONE) {
		struct dg_box *g = &c->d.boxes[igw];
		g->x = x + vb->w - DG_PAD - g->w;
		g->y = y - g->h / 2;
	}
	int ax = x + DG_PAD, px = x + DG_PAD;
	for (size_t i = 0; i < n; i++) {
		struct dg_box *b = &c->d.boxes[i];
		if (b->parent < 0 || (size_t)b->parent != v)
			continue;
		if (b->kind == DG_AZ) {
			b->x = ax;
			b->y = az_y;
			b->h = az_h;
			ax += b->w + DG_GAP;
			place_az(c, i);
		} else if (b->kind == DG_PCX) {
			b->x = px;
			b->y = bottom - b->h / 2;
			px += b->w + DG_GAP;
		}
	}
}

static int lane_x(const struct dg_ctx *c, size_t az, int lane)
{
	const struct dg_box *a = &c->d.boxes[az];
	return a->x + DG_PAD + c->aux[az].content_w + 4 + lane * DG_LANE + DG_LANE / 2;
}

static int top_track(const struct dg_ctx *c, size_t v, int slot)
{
	const struct dg_box *vb = &c->d.boxes[v];
	size_t az = DG_NONE;
	for (size_t i = 0; i < c->d.n_boxes && az == DG_NONE; i++)
		if (is_child(c, i, v, DG_AZ))
			az = i;
	/* The band ends DG_GAP above the AZs. */
	int band_end = az != DG_NONE ? c->d.boxes[az].y - DG_GAP : vb->y + vb->h;
	return band_end - (c->aux[v].top_slots - slot) * DG_BUS + DG_BUS / 2;
}

static int bottom_track(const struct dg_ctx *c, size_t v, int slot)
{
	int az_end = c->d.boxes[v].y;
	for (size_t i = 0; i < c->d.n_boxes; i++)
		if (is_child(c, i, v, DG_AZ))
			az_end = max_i(az_end, c->d.boxes[i].y + c->d.boxes[i].h);
	return az_end + slot * DG_BUS + DG_BUS / 2;
}

static void pt(struct dg_edge *e, int x, int y)
{
	if (e->n_pts < DG_EDGE_POINTS_MAX)
		e->pts[e->n_pts++] = (struct dg_point){ x, y };
}

static void route_arrow(struct dg_ctx *c, const struct dg_arrow *ar)
{
	struct dg_edge *e = &c->d.edges[ar->edge];
	const struct dg_box *s = &c->d.boxes[ar->subnet], *t = &c->d.boxes[ar->target];
	int sy = s->y + DG_PAD + 6 + ar->nth * 8;
	int lx = lane_x(c, ar->src_az, ar->src_lane);
	e->n_pts = 0;
	pt(e, s->x + s->w, sy);
	pt(e, lx, sy);
	if (t->kind == DG_IGW) {
		int ty = top_track(c, ar->vpc, ar->top_slot);
		int gx = t->x + t->w * (ar->dst_lane + 1) / (c->aux[ar->target].n_arrows + 1);
		pt(e, lx, ty);
		pt(e, gx, ty);
		pt(e, gx, t->y + t->h);
	} else if (t->kind == DG_PCX) {
		int ty = bottom_track(c, ar->vpc, ar->bot_slot);
		int gx = t->x + t->w * (ar->dst_lane + 1) / (c->aux[ar->target].n_arrows + 1);
		pt(e, lx, ty);
		pt(e, gx, ty);
		pt(e, gx, t->y);
	} else if (ar->dst_az != ar->src_az && ar->dst_az != DG_NONE) {
		int ty = top_track(c, ar->vpc, ar->top_slot);
		int dx = lane_x(c, ar->dst_az, ar->dst_lane);
		pt(e, lx, ty);
		pt(e, dx, ty);
		pt(e, dx, t->y + t->h / 2);
		pt(e, t->x + t->w, t->y + t->h / 2);
	} else {
		pt(e, lx, t->y + t->h / 2);
		pt(e, t->x + t->w, t->y + t->h / 2);
	}
}

void dg_layout(struct dg_ctx *c)
{
	size_t n = c->d.n_boxes, region = DG_NONE, internet = DG_NONE;
	c->aux = arena_alloc_array(c->a, n + 1, sizeof(*c->aux));
	assign_lanes(c);
	size_boxes(c);
	for (size_t i = 0; i < n; i++) {
		if (c->d.boxes[i].kind == DG_REGION)
			region = i;
		else if (c->d.boxes[i].kind == DG_INTERNET)
			internet = i;
	}
	struct dg_box *rb = &c->d.boxes[region];
	int igw_h = 0, y = DG_MARGIN;
	for (size_t i = 0; i < n; i++)
		if (c->d.boxes[i].kind == DG_IGW)
			igw_h = max_i(igw_h, c->d.boxes[i].h);
	if (internet != DG_NONE)
		y += c->d.boxes[internet].h + 3 * DG_GAP;
	rb->x = DG_MARGIN;
	rb->y = y;
	int title_w = text_w(rb);
	int vpc_y = y + DG_PAD + text_h(rb) + DG_GAP + igw_h / 2;
	int x = rb->x + DG_PAD, bottom = vpc_y, n_vpcs = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_child(c, i, region, DG_VPC))
			continue;
		place_vpc(c, i, x, vpc_y, n_vpcs++ ? 0 : title_w);
		const struct dg_box *vb = &c->d.boxes[i];
		x += vb->w + 3 * DG_GAP;
		bottom = max_i(bottom, vb->y + vb->h);
		for (size_t j = 0; j < n; j++)
			if (is_child(c, j, i, DG_PCX))
				bottom = max_i(bottom, c->d.boxes[j].y + c->d.boxes[j].h);
	}
	int right = n_vpcs ? x - 3 * DG_GAP : x;
	rb->w = max_i(right - rb->x + DG_PAD, title_w + 2 * DG_PAD);

	for (size_t i = 0; i < c->n_arrows; i++)
		route_arrow(c, &c->arrows[i]);

	/* Peering links: one track each below every VPC, the label under it. */
	int track = bottom + DG_GAP, label_w_max = 0;
	for (size_t i = 0; i < c->d.n_edges; i++) {
		struct dg_edge *e = &c->d.edges[i];
		if (e->kind != DG_EDGE_PEERING)
			continue;
		const struct dg_box *pa = &c->d.boxes[e->from], *pb = &c->d.boxes[e->to];
		int ax = pa->x + pa->w / 2, bx = pb->x + pb->w / 2;
		int lw = svg_text_width(e->label, SVG_FONT_PX);
		pt(e, ax, pa->y + pa->h);
		pt(e, ax, track);
		pt(e, bx, track);
		pt(e, bx, pb->y + pb->h);
		e->label_x = max_i((ax + bx) / 2 - lw / 2, rb->x + DG_PAD);
		e->label_y = track + DG_LINE_H;
		label_w_max = max_i(label_w_max, e->label_x + lw + DG_PAD - rb->x);
		track += 2 * DG_LINE_H + DG_GAP;
	}
	rb->w = max_i(rb->w, label_w_max);
	rb->h = (track > bottom + DG_GAP ? track : bottom + DG_PAD) - rb->y;

	int width = rb->x + rb->w + DG_MARGIN;
	if (internet != DG_NONE) {
		struct dg_box *ib = &c->d.boxes[internet];
		int left = 0, rt = 0, first = 1;
		for (size_t i = 0; i < n; i++) {
			const struct dg_box *g = &c->d.boxes[i];
			if (g->kind != DG_IGW)
				continue;
			left = first ? g->x : (g->x < left ? g->x : left);
			rt = max_i(rt, g->x + g->w);
			first = 0;
		}
		ib->w = max_i(ib->w, rt - left);
		ib->x = max_i((left + rt) / 2 - ib->w / 2, DG_MARGIN);
		ib->y = DG_MARGIN;
		width = max_i(width, ib->x + ib->w + DG_MARGIN);
		for (size_t i = 0; i < c->d.n_edges; i++) {
			struct dg_edge *e = &c->d.edges[i];
			if (e->kind != DG_EDGE_INTERNET)
				continue;
			const struct dg_box *g = &c->d.boxes[e->to];
			pt(e, g->x + g->w / 2, ib->y + ib->h);
			pt(e, g->x + g->w / 2, g->y);
		}
	}
	c->d.width = width;
	c->d.height = rb->y + rb->h + DG_MARGIN;
}
