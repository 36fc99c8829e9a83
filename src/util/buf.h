// SPDX-License-Identifier: MIT
/* A growable byte buffer that carries its ceiling (curl's dynbuf): appends
 * past `max` fail with -E2BIG and leave the buffer as it was.  The content is
 * always NUL-terminated, so `b->data` can be used as a C string. */
#ifndef UTIL_BUF_H
#define UTIL_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t size;  /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* ceiling for size */
};

void buf_init(struct buf *b, size_t max);
void buf_done(struct buf *b);
/* The content, malloc'd for the caller to free(); b is left empty.  Saves
 * the copy of a big text that outlives its buffer. */
char *buf_take(struct buf *b);
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *data, size_t size);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Returns the buffer's content ("" when empty); borrowed until the next change. */
const char *buf_str(const struct buf *b);

#endif
