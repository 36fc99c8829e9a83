// SPDX-License-Identifier: MIT
/* Bounded growable buffer; see buf.h. */
#include "util/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->size = 0;
	b->cap = 0;
	b->max = max;
}

void buf_done(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

char *buf_take(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	buf_init(b, b->max);
	return s;
}

void buf_reset(struct buf *b)
{
	b->size = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra > b->max || b->size > b->max - extra)
		return -E2BIG;
	need = b->size + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc_array(b->data, cap, 1);
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t size)
{
	int r = grow(b, size);
	if (r < 0)
		return r;
	if (size)
		memcpy(b->data + b->size, data, size);
	b->size += size;
	b->data[b->size] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	int r = grow(b, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(b->data + b->size, (size_t)n + 1, fmt, ap);
	b->size += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
