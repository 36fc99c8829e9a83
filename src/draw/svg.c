// SPDX-License-Identifier: MIT
/* See svg.h.  The output is deterministic: the same calls give the same
 * bytes (integer coordinates, no clock, no locale). */
#include "draw/svg.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"

/* Decodes one UTF-8 sequence at s; returns its length (0 when malformed)
 * and the code point in *cp. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c = s[0], min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* XML 1.0's Char production, less the whitespace controls we never want. */
static bool xml_char(uint32_t c)
{
	if (c < 0x20)
		return false;
	return !(c == 0xfffe || c == 0xffff);
}

static bool wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	       (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	       (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	       (c >= 0x20000 && c <= 0x3fffd);
}

int svg_text_width(const char *s, int font_px)
{
	const unsigned char *p = (const unsigned char *)s;
	long cols = 0;
	while (*p) {
		uint32_t c = 0xfffd;
		size_t n = utf8_next(p, &c);
		p += n ? n : 1;
		cols += wide(c) ? 2 : 1;
	}
	/* 0.62 em per column, rounded up: DejaVu Sans Mono's advance is 0.602. */
	return (int)((cols * font_px * 62 + 99) / 100);
}

int svg_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int r = 0;
	while (*p && !r) {
		uint32_t c;
		size_t n = utf8_next(p, &c);
		if (!n || !xml_char(c)) {
			r = buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
			p += n ? n : 1;
			continue;
		}
		switch (c) {
		case '&': r = buf_puts(b, "&amp;"); break;
		case '<': r = buf_puts(b, "&lt;"); break;
		case '>': r = buf_puts(b, "&gt;"); break;
		case '"': r = buf_puts(b, "&quot;"); break;
		case '\'': r = buf_puts(b, "&apos;"); break;
		default: r = buf_append(b, p, n); break;
		}
		p += n;
	}
	return r;
}

static void put(struct svg *g, const char *s)
{
	if (!g->err)
		g->err = buf_puts(g->out, s);
}

static void esc(struct svg *g, const char *s)
{
	if (!g->err)
		g->err = svg_escape(g->out, s);
}

static void __attribute__((format(printf, 2, 3))) putf(struct svg *g, const char *fmt, ...)
{
	va_list ap;
	if (g->err)
		return;
	va_start(ap, fmt);
	g->err = buf_vprintf(g->out, fmt, ap);
	va_end(ap);
}

static const char style[] =
	"<style>\n"
	"text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;fill:#1b1f24}\n"
	"text.title{font-size:13px;font-weight:bold}\n"
	"text.label{font-size:12px;fill:#57606a}\n"
	"rect{stroke-width:1.5}\n"
	"rect.region{fill:#ffffff;stroke:#8c6d00;stroke-dasharray:8 4}\n"
	"rect.internet{fill:#f6f8fa;stroke:#57606a}\n"
	"rect.vpc{fill:#f3faf3;stroke:#1a7f37;stroke-width:2}\n"
	"rect.az{fill:none;stroke:#0969da;stroke-dasharray:6 4}\n"
	"rect.subnet.public{fill:#e6f4e6;stroke:#2da44e}\n"
	"rect.subnet.private{fill:#e8f0fb;stroke:#0969da}\n"
	"rect.instance{fill:#ffffff;stroke:#d4731b}\n"
	"rect.instance.nat,rect.natgw{fill:#fff4e5;stroke:#bc4c00;stroke-width:2.5}\n"
	"rect.igw{fill:#f5efff;stroke:#8250df;stroke-width:2}\n"
	"rect.pcx{fill:#fff8c5;stroke:#9a6700;stroke-width:2}\n"
	"rect.tag{fill:#ffffff;stroke:none;opacity:0.85}\n"
	"polyline{fill:none;stroke-width:1.5}\n"
	"polyline.route{stroke:#cf222e}\n"
	"polyline.internet{stroke:#8250df;stroke-width:2}\n"
	"polyline.peering{stroke:#9a6700;stroke-width:2.5}\n"
	"polyline.peering.pending{stroke-dasharray:6 4}\n"
	"</style>\n";

void svg_begin(struct svg *g, int width, int height, const char *title)
{
	put(g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	putf(g,
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
	     " viewBox=\"0 0 %d %d\">\n<title>",
	     width, height, width, height);
	esc(g, title);
	put(g, "</title>\n");
	put(g, style);
	put(g, "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\""
	       " markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
	       "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#cf222e\"/></marker></defs>\n");
	putf(g, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height);
}

void svg_end(struct svg *g)
{
	put(g, "</svg>\n");
}

void svg_group_begin(struct svg *g, const char *cls, const char *const *attrs)
{
	put(g, "<g class=\"");
	esc(g, cls);
	put(g, "\"");
	for (size_t i = 0; attrs && attrs[i] && attrs[i + 1]; i += 2) {
		putf(g, " data-%s=\"", attrs[i]);
		esc(g, attrs[i + 1]);
		put(g, "\"");
	}
	put(g, ">\n");
}

void svg_group_end(struct svg *g)
{
	put(g, "</g>\n");
}

void svg_rect(struct svg *g, const char *cls, int x, int y, int w, int h)
{
	put(g, "<rect class=\"");
	esc(g, cls);
	putf(g, "\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>\n", x, y, w, h);
}

void svg_text(struct svg *g, const char *cls, int x, int y, const char *s)
{
	put(g, "<text");
	if (cls && *cls) {
		put(g, " class=\"");
		esc(g, cls);
		put(g, "\"");
	}
	putf(g, " x=\"%d\" y=\"%d\">", x, y);
	esc(g, s);
	put(g, "</text>\n");
}

void svg_polyline(struct svg *g, const char *cls, const struct svg_point *pts, size_t n,
		  int with_arrow)
{
	put(g, "<polyline class=\"");
	esc(g, cls);
	put(g, "\" points=\"");
	for (size_t i = 0; i < n; i++)
		putf(g, "%s%d,%d", i ? " " : "", pts[i].x, pts[i].y);
	put(g, with_arrow ? "\" marker-end=\"url(#arrow)\"/>\n" : "\"/>\n");
}
