// SPDX-License-Identifier: MIT
/* A small hand-written SVG writer: the document, rectangles, polylines and
 * text, every text and attribute value XML-escaped.  Errors are sticky (the
 * first failed append is kept in ->err), so a caller writes a whole picture
 * and checks once.  Pure: writes into a struct buf, never to a file. */
#ifndef DRAW_SVG_H
#define DRAW_SVG_H
#include <stddef.h>

struct buf;

/* The diagram's fonts: monospace, so a text's width follows from its length. */
#define SVG_FONT_PX 12
#define SVG_TITLE_PX 13

struct svg {
	struct buf *out; /* borrowed */
	int err;         /* 0, or the first negative errno of an append */
};

struct svg_point {
	int x, y;
};

/* Width in pixels of s (UTF-8) set at font_px in the diagram's monospace
 * font: 0.62 em a column, East Asian wide characters two columns. */
int svg_text_width(const char *s, int font_px);
/* Appends s to b with &, <, >, " and ' escaped.  Bytes that XML 1.0 cannot
 * carry (control characters, malformed UTF-8) become U+FFFD.  Returns 0 or
 * -E2BIG. */
int svg_escape(struct buf *b, const char *s);

/* Starts the document: XML declaration, <svg> of width × height, a <title>,
 * the style sheet and the arrow markers. */
void svg_begin(struct svg *g, int width, int height, const char *title);
void svg_end(struct svg *g);
/* <g class="cls" data-NAME="value"…>: attrs is NULL or pairs of name, value
 * ending with NULL; names are ours, values are escaped. */
void svg_group_begin(struct svg *g, const char *cls, const char *const *attrs);
void svg_group_end(struct svg *g);
void svg_rect(struct svg *g, const char *cls, int x, int y, int w, int h);
/* A text whose baseline starts at x, y. */
void svg_text(struct svg *g, const char *cls, int x, int y, const char *s);
/* A polyline through pts; with_arrow ends it in an arrowhead. */
void svg_polyline(struct svg *g, const char *cls, const struct svg_point *pts, size_t n,
		  int with_arrow);

#endif
