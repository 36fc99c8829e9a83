// SPDX-License-Identifier: MIT
/* A bump allocator for one API request: everything a handler loads or
 * formats comes from here and dies with arena_free() when the response has
 * been sent.  Long-lived state never points into an arena (STYLE §4). */
#ifndef UTIL_ARENA_H
#define UTIL_ARENA_H
#include <stddef.h>

struct arena;

/* Returns a new arena; free with arena_free(). */
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed memory valid until arena_free(). Aborts on OOM. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_alloc_array(struct arena *a, size_t n, size_t size);
/* Grows an array allocated from the arena (the old block is abandoned). */
void *arena_grow_array(struct arena *a, void *p, size_t old_n, size_t new_n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Makes room for one more element in an arena array `arr` of `n` used and
 * `cap` allocated elements (doubling; the old block is abandoned). */
#define ARENA_RESERVE(a, arr, n, cap)                                                    \
	do {                                                                            \
		if ((n) == (cap)) {                                                     \
			size_t ncap_ = (cap) ? (cap) * 2 : 8;                            \
			(arr) = arena_grow_array((a), (arr), (n), ncap_, sizeof(*(arr))); \
			(cap) = ncap_;                                                   \
		}                                                                       \
	} while (0)

char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
