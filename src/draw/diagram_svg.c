// SPDX-License-Identifier: MIT
/* Draws a laid-out diagram (see diagram.h) as SVG: each box a <g> whose
 * data-kind, data-id and data-role name what it shows, each arrow or link a
 * <g> with data-from and data-to (resource IDs), so a test or a script can
 * read the picture back.  Boxes first, parents before children; edges on
 * top. */
#include <stdio.h>

#include "draw/diagram.h"
#include "draw/svg.h"
#include "util/buf.h"

static const char *const kind_names[DG_KIND_COUNT] = {
	[DG_REGION] = "region", [DG_INTERNET] = "internet", [DG_VPC] = "vpc",
	[DG_AZ] = "az",         [DG_SUBNET] = "subnet",     [DG_INSTANCE] = "instance",
	[DG_NATGW] = "natgw",   [DG_IGW] = "igw",           [DG_PCX] = "pcx",
};

static const char *const edge_names[DG_EDGE_KIND_COUNT] = {
	[DG_EDGE_ROUTE] = "route",
	[DG_EDGE_INTERNET] = "internet",
	[DG_EDGE_PEERING] = "peering",
};

static void draw_box(struct svg *g, const struct diagram *d, const struct dg_box *b)
{
	char cls[64];
	const char *kind = kind_names[b->kind];
	const char *parent = b->parent >= 0 ? d->boxes[b->parent].id : "";
	snprintf(cls, sizeof(cls), "%s%s%s", kind, *b->role ? " " : "", b->role);
	const char *attrs[] = { "kind", kind, "id", b->id, "role", b->role, "parent", parent, NULL };
	svg_group_begin(g, "box", attrs);
	svg_rect(g, cls, b->x, b->y, b->w, b->h);
	for (size_t i = 0; i < b->n_lines; i++)
		svg_text(g, i ? "" : "title", b->x + 10, b->y + 10 + 16 * (int)(i + 1) - 4,
			 b->lines[i]);
	svg_group_end(g);
}

static void draw_edge(struct svg *g, const struct diagram *d, const struct dg_edge *e)
{
	struct svg_point pts[DG_EDGE_POINTS_MAX];
	const char *kind = edge_names[e->kind];
	char cls[64];
	for (size_t i = 0; i < e->n_pts; i++)
		pts[i] = (struct svg_point){ e->pts[i].x, e->pts[i].y };
	const char *from = d->boxes[e->from].id, *to = d->boxes[e->to].id;
	if (e->kind == DG_EDGE_PEERING) {
		from = d->boxes[d->boxes[e->from].parent].id;
		to = d->boxes[d->boxes[e->to].parent].id;
	}
	const char *attrs[] = { "kind",
				kind,
				"from",
				from,
				"to",
				to,
				e->kind == DG_EDGE_ROUTE ? "table" : "id",
				e->id,
				e->kind == DG_EDGE_ROUTE ? "dest" : "status",
				e->kind == DG_EDGE_ROUTE ? e->dest : e->status,
				NULL };
	if (!attrs[9])
		attrs[8] = NULL;
	svg_group_begin(g, "edge", attrs);
	snprintf(cls, sizeof(cls), "%s%s", kind,
		 e->kind == DG_EDGE_PEERING && e->status && e->status[0] != 'a' ? " pending" : "");
	svg_polyline(g, cls, pts, e->n_pts, e->kind == DG_EDGE_ROUTE);
	if (e->label) {
		int w = svg_text_width(e->label, SVG_FONT_PX);
		svg_rect(g, "tag", e->label_x - 2, e->label_y - 12, w + 4, 16);
		svg_text(g, "label", e->label_x, e->label_y, e->label);
	}
	svg_group_end(g);
}

int diagram_svg(const struct diagram *d, struct buf *out)
{
	struct svg g = { .out = out, .err = 0 };
	svg_begin(&g, d->width, d->height, "localvpc: live architecture");
	for (size_t i = 0; i < d->n_boxes; i++)
		draw_box(&g, d, &d->boxes[i]);
	for (size_t i = 0; i < d->n_edges; i++)
		draw_edge(&g, d, &d->edges[i]);
	svg_end(&g);
	return g.err;
}
