// SPDX-License-Identifier: MIT
/* Shared by the diagram's own files only: the build context.  diagram.c
 * makes the boxes, their text and the route arrows; diagram_layout.c sizes
 * and places them; diagram_svg.c draws them.  Nothing outside src/draw/
 * includes this. */
#ifndef DRAW_DIAGRAM_INTERNAL_H
#define DRAW_DIAGRAM_INTERNAL_H
#include <stddef.h>

#include "draw/diagram.h"

#define DG_NONE ((size_t)-1)

/* Spacing, in pixels. */
#define DG_PAD 10    /* inside a box, around its text and children */
#define DG_GAP 12    /* between sibling boxes */
#define DG_LINE_H 16 /* one line of text */
#define DG_LANE 12   /* one vertical arrow lane beside an AZ's subnets */
#define DG_BUS 10    /* one horizontal arrow track in a VPC's bus bands */
#define DG_MARGIN 20 /* around the picture */

/* A route arrow before it has coordinates. */
struct dg_arrow {
	size_t edge;             /* its dg_edge */
	size_t subnet, target;   /* boxes */
	size_t vpc, src_az;      /* boxes */
	size_t dst_az;           /* the target's AZ box, DG_NONE when it sits on an edge */
	int nth;                 /* the how-many-th arrow of its subnet (start height) */
	int src_lane, dst_lane;  /* lanes in src_az / dst_az, -1 when unused */
	int top_slot, bot_slot;  /* tracks in the VPC's top / bottom bus, -1 when unused */
};

/* Per box: what the layout needs besides the box itself. */
struct dg_aux {
	int lanes;       /* AZ: arrow lanes */
	int top_slots;   /* VPC: tracks in the top bus band */
	int bot_slots;   /* VPC: tracks in the bottom bus band */
	int n_arrows;    /* subnet: arrows leaving it; igw, pcx: arrows reaching it */
	int content_w;   /* AZ: the width of its subnets column */
};

struct dg_ctx {
	const struct snapshot *s;
	const struct diagram_opts *o;
	struct arena *a;
	struct diagram d;
	size_t cap_boxes, cap_edges;
	struct dg_arrow *arrows;
	size_t n_arrows, cap_arrows;
	struct dg_aux *aux;       /* parallel to d.boxes, made by the layout */
};

/* Sizes and places every box and edge of c->d (diagram_layout.c). */
void dg_layout(struct dg_ctx *c);

#endif
