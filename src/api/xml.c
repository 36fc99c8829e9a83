// SPDX-License-Identifier: MIT
/* XML writer for EC2 responses; see xml.h.  Never decides content. */
#include "api/xml.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define EC2_NS "http://ec2.amazonaws.com/doc/2016-11-15/"

void xml_init(struct xml *x, struct buf *out)
{
	memset(x, 0, sizeof(*x));
	x->out = out;
}

static void put(struct xml *x, const char *s)
{
	if (!x->err)
		x->err = buf_puts(x->out, s);
}

int xml_escape(struct buf *out, const char *s)
{
	int r = 0;
	const char *run = s;
	for (const char *p = s; *p && !r; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		case '\r': rep = "&#13;"; break;
		default: continue;
		}
		r = buf_append(out, run, (size_t)(p - run));
		if (!r)
			r = buf_puts(out, rep);
		run = p + 1;
	}
	if (!r)
		r = buf_puts(out, run);
	return r;
}

static void open_tag(struct xml *x, const char *name, const char *attrs)
{
	if (x->depth >= XML_DEPTH_MAX) {
		x->err = -E2BIG;
		return;
	}
	put(x, "<");
	put(x, name);
	if (attrs)
		put(x, attrs);
	put(x, ">");
	x->stack[x->depth++] = name;
}

void xml_open(struct xml *x, const char *name)
{
	open_tag(x, name, NULL);
}

void xml_open_root(struct xml *x, const char *name)
{
	put(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	open_tag(x, name, " xmlns=\"" EC2_NS "\"");
}

void xml_close(struct xml *x)
{
	if (x->depth <= 0) {
		x->err = -EINVAL;
		return;
	}
	const char *name = x->stack[--x->depth];
	put(x, "</");
	put(x, name);
	put(x, ">");
}

void xml_str(struct xml *x, const char *name, const char *value)
{
	if (!value)
		return;
	put(x, "<");
	put(x, name);
	put(x, ">");
	if (!x->err)
		x->err = xml_escape(x->out, value);
	put(x, "</");
	put(x, name);
	put(x, ">");
}

void xml_bool(struct xml *x, const char *name, bool value)
{
	xml_str(x, name, value ? "true" : "false");
}

void xml_int(struct xml *x, const char *name, int64_t value)
{
	char s[24];
	snprintf(s, sizeof(s), "%" PRId64, value);
	xml_str(x, name, s);
}

void xml_empty(struct xml *x, const char *name)
{
	put(x, "<");
	put(x, name);
	put(x, "/>");
}

int xml_error(const struct xml *x)
{
	return x->err ? x->err : (x->depth ? -EINVAL : 0);
}
