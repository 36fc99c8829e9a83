// SPDX-License-Identifier: MIT
/* A small XML writer for EC2 responses (spec API-7..9): elements open and
 * close as a stack, text is escaped, and fields whose value is absent are
 * simply not written.  Output goes to a bounded struct buf; the first write
 * error sticks and is reported by xml_error(). */
#ifndef API_XML_H
#define API_XML_H
#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define XML_DEPTH_MAX 32

struct xml {
	struct buf *out;
	const char *stack[XML_DEPTH_MAX]; /* names must outlive the element */
	int depth;
	int err;
};

void xml_init(struct xml *x, struct buf *out);
/* Opens <name>; name must stay valid until the matching xml_close(). */
void xml_open(struct xml *x, const char *name);
/* Opens the root element with EC2's namespace. */
void xml_open_root(struct xml *x, const char *name);
void xml_close(struct xml *x);
/* <name>escaped value</name>; nothing when value is NULL. */
void xml_str(struct xml *x, const char *name, const char *value);
void xml_bool(struct xml *x, const char *name, bool value);
void xml_int(struct xml *x, const char *name, int64_t value);
/* <name/>: an empty list wrapper. */
void xml_empty(struct xml *x, const char *name);
/* Appends s to out with &, <, >, " and ' escaped. */
int xml_escape(struct buf *out, const char *s);
int xml_error(const struct xml *x);

#endif
