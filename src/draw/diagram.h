// SPDX-License-Identifier: MIT
/* The live architecture as a picture (issue 7), in the manner of the seed
 * article's diagram: the region; each VPC a box with its name and blocks;
 * availability zones as columns; public and private subnets inside them
 * with their routes; instances (name, ID, addresses, state, groups) and NAT
 * gateways inside their subnet; the internet gateway on the VPC's top edge
 * under the internet; a peering's attachment on the bottom edge, linked to
 * the other VPC; a route arrow from each subnet to the target of its
 * default route (and of each route to a peering).
 *
 * diagram_build() lays it out: every size follows from the text it holds,
 * boxes nest without overlapping, arrows run in lanes and bus bands kept
 * free of boxes.  diagram_svg() renders the layout.  Pure: a snapshot in,
 * geometry and SVG text out; no store, no files, no clock; the same
 * snapshot gives the same bytes. */
#ifndef DRAW_DIAGRAM_H
#define DRAW_DIAGRAM_H
#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"

struct arena;
struct buf;
struct eip;
struct instance;
struct route_table;
struct snapshot;
struct subnet;

enum dg_kind {
	DG_REGION,
	DG_INTERNET,
	DG_VPC,
	DG_AZ,
	DG_SUBNET,
	DG_INSTANCE,
	DG_NATGW,
	DG_IGW,
	DG_PCX, /* a peering's attachment on one VPC's bottom edge */
	DG_KIND_COUNT
};

struct dg_box {
	enum dg_kind kind;
	char id[ID_MAX];     /* the resource ID; the AZ's or the region's name; "internet" */
	long parent;         /* index of the enclosing box, -1 for the outermost */
	const char *role;    /* "public" | "private" (subnets), "nat" (NAT instances), "" */
	int x, y, w, h;      /* pixels, y down */
	const char **lines;  /* lines[0] is the title */
	size_t n_lines;
};

enum dg_edge_kind {
	DG_EDGE_ROUTE,    /* subnet → a route's target */
	DG_EDGE_INTERNET, /* the internet ↔ an internet gateway */
	DG_EDGE_PEERING,  /* one VPC's attachment ↔ the other's */
	DG_EDGE_KIND_COUNT
};

#define DG_EDGE_POINTS_MAX 6

struct dg_point {
	int x, y;
};

struct dg_edge {
	enum dg_edge_kind kind;
	size_t from, to;      /* box indices */
	char id[ID_MAX];      /* route: the route table; peering: the pcx- */
	const char *dest;     /* route: its destination CIDR; otherwise NULL */
	const char *status;   /* peering: its state name; otherwise NULL */
	struct dg_point pts[DG_EDGE_POINTS_MAX];
	size_t n_pts;
	const char *label;    /* peering: drawn at (label_x, label_y); otherwise NULL */
	int label_x, label_y;
};

struct diagram {
	struct dg_box *boxes; /* parents before children */
	size_t n_boxes;
	struct dg_edge *edges;
	size_t n_edges;
	int width, height;
};

struct diagram_opts {
	const char *region;          /* shown when no subnet names its AZ's region */
	const char *const *vpc_ids;  /* draw only these (in snapshot order); NULL: see all */
	size_t n_vpc_ids;
	/* Without vpc_ids: every VPC but the default one when others exist,
	 * or every VPC with all. */
	bool all;
	const struct eip *eips;      /* to tell an Elastic IP from an auto-assigned one */
	size_t n_eips;
};

/* Lays out the picture of s.  Returns 0 and fills *ret (arena-owned), or
 * -ENOENT with *ret_missing set to the first of o->vpc_ids that s does not
 * hold (borrowed from o). */
int diagram_build(const struct snapshot *s, const struct diagram_opts *o, struct arena *a,
		  struct diagram *ret, const char **ret_missing);
/* Appends the SVG document of d to out.  Returns 0 or -E2BIG. */
int diagram_svg(const struct diagram *d, struct buf *out);

/* The table that routes a subnet: its explicit association, else the main
 * table of its VPC; NULL when neither exists.  Borrowed from s. */
const struct route_table *diagram_subnet_table(const struct snapshot *s, const struct subnet *sn);
/* AWS's "public subnet": its table sends 0.0.0.0/0 to an internet gateway. */
bool diagram_subnet_is_public(const struct snapshot *s, const struct subnet *sn);
/* A NAT instance: the source/destination check is off on its primary ENI and
 * a route of its VPC targets it (or that ENI). */
bool diagram_is_nat_instance(const struct snapshot *s, const struct instance *in);

#endif
