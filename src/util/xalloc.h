// SPDX-License-Identifier: MIT
/* Allocation that aborts on out-of-memory.  Every size an outsider controls is
 * bounded before it reaches these (STYLE §4), so OOM here is our bug or the
 * machine's, and the daemon is built to survive being killed anyway. */
#ifndef UTIL_XALLOC_H
#define UTIL_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc_array(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
