// SPDX-License-Identifier: MIT
/* Element-only changes between two versions of a table; see nft_diff.h. */
#include "dataplane/nft_diff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define ELEMENTS "\t\telements = { "
#define TEXT_MAX (256u << 20)

struct span {
	const char *s;
	size_t n;
};

struct set_text {
	struct span name;
	bool is_map;
	struct span *elems;
	size_t n_elems;
};

struct parsed {
	struct buf skeleton; /* the text without its elements lines */
	struct set_text *sets;
	size_t n_sets, cap;
};

static bool starts(const char *line, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && !memcmp(line, prefix, k);
}

static void split(struct set_text *st, const char *s, size_t n)
{
	size_t cap = 0;
	while (n) {
		const char *comma = memmem(s, n, ", ", 2);
		size_t len = comma ? (size_t)(comma - s) : n;
		if (st->n_elems == cap) {
			cap = cap ? 2 * cap : 16;
			st->elems = xrealloc_array(st->elems, cap, sizeof(*st->elems));
		}
		st->elems[st->n_elems++] = (struct span){ s, len };
		if (!comma)
			break;
		s = comma + 2;
		n -= len + 2;
	}
}

static void parse(const char *text, struct parsed *p)
{
	struct set_text *cur = NULL;
	buf_init(&p->skeleton, TEXT_MAX);
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		bool is_set = starts(line, n, "\tset "), is_map = starts(line, n, "\tmap ");
		if ((is_set || is_map) && n > 7 && !memcmp(line + n - 2, " {", 2)) {
			if (p->n_sets == p->cap) {
				p->cap = p->cap ? 2 * p->cap : 16;
				p->sets = xrealloc_array(p->sets, p->cap, sizeof(*p->sets));
			}
			cur = &p->sets[p->n_sets++];
			*cur = (struct set_text){ .name = { line + 5, n - 7 }, .is_map = is_map };
		} else if (n == 2 && !memcmp(line, "\t}", 2)) {
			cur = NULL;
		}
		if (cur && starts(line, n, ELEMENTS) && n >= strlen(ELEMENTS) + 2 &&
		    !memcmp(line + n - 2, " }", 2)) {
			size_t k = strlen(ELEMENTS);
			split(cur, line + k, n - k - 2);
		} else {
			(void)buf_append(&p->skeleton, line, nl ? n + 1 : n);
		}
		line = nl ? nl + 1 : line + n;
	}
}

static void parsed_done(struct parsed *p)
{
	for (size_t i = 0; i < p->n_sets; i++)
		free(p->sets[i].elems);
	free(p->sets);
	buf_done(&p->skeleton);
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* A map element is deleted by its key alone. */
static struct span key_of(struct span e, bool is_map)
{
	const char *colon = is_map ? memmem(e.s, e.n, " : ", 3) : NULL;
	return colon ? (struct span){ e.s, (size_t)(colon - e.s) } : e;
}

static void emit(struct buf *out, const char *verb, const char *table, const struct set_text *st,
		 const struct span *v, size_t n, bool keys_only)
{
	if (!n)
		return;
	(void)buf_printf(out, "%s element %s %.*s { ", verb, table, (int)st->name.n, st->name.s);
	for (size_t i = 0; i < n; i++) {
		struct span e = keys_only ? key_of(v[i], st->is_map) : v[i];
		(void)buf_printf(out, "%s%.*s", i ? ", " : "", (int)e.n, e.s);
	}
	(void)buf_puts(out, " }\n");
}

/* Elements of a not in b (both sorted), into *ret. */
static size_t minus(const struct set_text *a, const struct set_text *b, struct span *ret)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < a->n_elems; i++) {
		while (k < b->n_elems && cmp_span(&b->elems[k], &a->elems[i]) < 0)
			k++;
		if (k < b->n_elems && !cmp_span(&b->elems[k], &a->elems[i]))
			continue;
		ret[n++] = a->elems[i];
	}
	return n;
}

/* Parses both texts into *o and *w, each set's elements sorted; false
 * when they differ in more than elements.  Free both with parsed_done. */
static bool same_shape(const char *old_text, const char *new_text, struct parsed *o,
		       struct parsed *w)
{
	parse(old_text, o);
	parse(new_text, w);
	if (o->n_sets != w->n_sets || strcmp(buf_str(&o->skeleton), buf_str(&w->skeleton)))
		return false;
	for (size_t i = 0; i < o->n_sets; i++) {
		struct set_text *a = &o->sets[i], *b = &w->sets[i];
		if (a->n_elems > 1) /* an empty set has no array: qsort(NULL) is UB */
			qsort(a->elems, a->n_elems, sizeof(*a->elems), cmp_span);
		if (b->n_elems > 1)
			qsort(b->elems, b->n_elems, sizeof(*b->elems), cmp_span);
	}
	return true;
}

char *nft_diff(const char *table, const char *old_text, const char *new_text)
{
	struct parsed o = { 0 }, w = { 0 };
	char *ret = NULL;
	if (!same_shape(old_text, new_text, &o, &w))
		goto out;
	struct buf dels, adds;
	buf_init(&dels, TEXT_MAX);
	buf_init(&adds, TEXT_MAX);
	for (size_t i = 0; i < o.n_sets; i++) {
		struct set_text *a = &o.sets[i], *b = &w.sets[i];
		size_t max = a->n_elems > b->n_elems ? a->n_elems : b->n_elems;
		struct span *tmp = xcalloc(max + 1, sizeof(*tmp));
		size_t n = minus(a, b, tmp);
		emit(&dels, "delete", table, a, tmp, n, true);
		n = minus(b, a, tmp);
		emit(&adds, "add", table, b, tmp, n, false);
		free(tmp);
	}
	/* Deletions first: a map key whose value changed goes, then comes back. */
	(void)buf_puts(&dels, buf_str(&adds));
	ret = xstrdup(buf_str(&dels));
	buf_done(&dels);
	buf_done(&adds);
out:
	parsed_done(&o);
	parsed_done(&w);
	return ret;
}

/* The changes to one set of nft_text_edit's text. */
struct edit {
	struct span name;
	struct span *dels, *adds; /* sorted */
	size_t n_dels, n_adds, found;
	bool matched, had_elements;
};

static bool is_del(const struct edit *e, struct span el)
{
	return e->n_dels && bsearch(&el, e->dels, e->n_dels, sizeof(*e->dels), cmp_span);
}

static void put_elements(struct buf *out, struct edit *e, const char *s, size_t n)
{
	struct set_text have = { 0 };
	bool any = false;
	if (s)
		split(&have, s, n);
	for (size_t i = 0; i < have.n_elems; i++) {
		if (is_del(e, have.elems[i])) {
			e->found++;
			continue;
		}
		(void)buf_puts(out, any ? ", " : ELEMENTS);
		(void)buf_append(out, have.elems[i].s, have.elems[i].n);
		any = true;
	}
	for (size_t i = 0; i < e->n_adds; i++) {
		(void)buf_puts(out, any ? ", " : ELEMENTS);
		(void)buf_append(out, e->adds[i].s, e->adds[i].n);
		any = true;
	}
	if (any) /* compile/ writes no elements line for an empty set */
		(void)buf_puts(out, " }\n");
	free(have.elems);
}

static struct edit *edit_of(struct edit *v, size_t n, const char *line, size_t len)
{
	if (!((starts(line, len, "\tset ") || starts(line, len, "\tmap ")) && len > 7 &&
	      !memcmp(line + len - 2, " {", 2)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].name.n == len - 7 && !memcmp(v[i].name.s, line + 5, len - 7))
			return &v[i];
	return NULL;
}

char *nft_text_edit(const char *text, const char *old_part, const char *new_part)
{
	struct parsed o = { 0 }, w = { 0 };
	struct edit *v = NULL;
	size_t n = 0;
	char *ret = NULL;
	if (!same_shape(old_part, new_part, &o, &w))
		goto out;
	v = xcalloc(o.n_sets + 1, sizeof(*v));
	for (size_t i = 0; i < o.n_sets; i++) {
		struct set_text *a = &o.sets[i], *b = &w.sets[i];
		struct edit *e = &v[n];
		*e = (struct edit){ .name = a->name };
		e->dels = xcalloc(a->n_elems + 1, sizeof(*e->dels));
		e->adds = xcalloc(b->n_elems + 1, sizeof(*e->adds));
		e->n_dels = minus(a, b, e->dels);
		e->n_adds = minus(b, a, e->adds);
		if (e->n_dels || e->n_adds)
			n++; /* an unchanged set keeps its line as it is */
		else {
			free(e->dels);
			free(e->adds);
		}
	}
	struct buf out;
	buf_init(&out, TEXT_MAX);
	struct edit *cur = NULL;
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		struct edit *e = edit_of(v, n, line, len);
		if (e) {
			cur = e;
			e->matched = true;
		}
		if (cur && starts(line, len, ELEMENTS) && len >= strlen(ELEMENTS) + 2 &&
		    !memcmp(line + len - 2, " }", 2)) {
			size_t k = strlen(ELEMENTS);
			put_elements(&out, cur, line + k, len - k - 2);
			cur->had_elements = true;
		} else {
			if (cur && len == 2 && !memcmp(line, "\t}", 2)) {
				if (!cur->had_elements)
					put_elements(&out, cur, NULL, 0);
				cur = NULL;
			}
			(void)buf_append(&out, line, nl ? len + 1 : len);
		}
		line = nl ? nl + 1 : line + len;
	}
	bool ok = true;
	for (size_t i = 0; i < n; i++)
		ok = ok && v[i].matched && v[i].found == v[i].n_dels;
	if (ok)
		ret = buf_take(&out);
	buf_done(&out);
out:
	for (size_t i = 0; i < n; i++) {
		free(v[i].dels);
		free(v[i].adds);
	}
	free(v);
	parsed_done(&o);
	parsed_done(&w);
	return ret;
}
