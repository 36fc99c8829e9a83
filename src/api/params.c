// SPDX-License-Identifier: MIT
/* Form decoder and lookups for EC2 Query parameters; see params.h.  This is
 * the first code that touches client bytes: everything is bounded here. */
#include "api/params.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Strict UTF-8 check: no overlongs, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* Decodes s[0..n) into a new arena string; returns NULL when malformed or
 * longer than max. */
static char *unescape(struct arena *a, const char *s, size_t n, size_t max, bool *too_long)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;

	*too_long = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			if (i + 2 >= n)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return NULL;
		out[o++] = c;
	}
	out[o] = '\0';
	if (o > max) {
		*too_long = true;
		return NULL;
	}
	if (!utf8_valid((const unsigned char *)out, o))
		return NULL;
	return out;
}

static int cmp_param(const void *a, const void *b)
{
	return strcmp(((const struct param *)a)->name, ((const struct param *)b)->name);
}

static void copy_name(char bad_name[64], const char *s, size_t n)
{
	if (!bad_name)
		return;
	if (n > 63)
		n = 63;
	memcpy(bad_name, s, n);
	bad_name[n] = '\0';
}

/* Every numeric component of a name must be a list index 1..PARAM_INDEX_MAX
 * written without leading zeros ("Filter.01" or "VpcId.0" are refused). */
static bool indexes_ok(const char *name)
{
	const char *p = name;
	while ((p = strchr(p, '.'))) {
		p++;
		const char *q = p;
		unsigned long v = 0;
		while (*q >= '0' && *q <= '9') {
			if (q - p >= 7)
				return false;
			v = v * 10 + (unsigned long)(*q - '0');
			q++;
		}
		if (q == p || (*q != '.' && *q != '\0'))
			continue; /* not a numeric component */
		if (*p == '0' || v == 0 || v > PARAM_INDEX_MAX)
			return false;
	}
	return true;
}

static enum params_error check_sorted(struct params *p, char bad_name[64])
{
	qsort(p->v, p->n, sizeof(p->v[0]), cmp_param);
	for (size_t i = 1; i < p->n; i++) {
		if (strcmp(p->v[i - 1].name, p->v[i].name) == 0) {
			copy_name(bad_name, p->v[i].name, strlen(p->v[i].name));
			return PARAMS_DUPLICATE;
		}
	}
	return PARAMS_OK;
}

enum params_error params_decode(struct arena *arena, const char *s, size_t size,
				struct params *ret, char bad_name[64])
{
	size_t count = 0, i = 0;
	struct params p = { 0 };

	if (bad_name)
		bad_name[0] = '\0';
	for (size_t k = 0; k < size; k++)
		if (s[k] == '&')
			count++;
	if (count + 1 > PARAMS_MAX)
		return PARAMS_TOO_MANY;
	p.v = arena_alloc_array(arena, count + 1, sizeof(*p.v));
	while (i < size) {
		size_t end = i;
		while (end < size && s[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && s[eq] != '=')
				eq++;
			bool too_long;
			char *name = unescape(arena, s + i, eq - i, PARAM_NAME_MAX, &too_long);
			if (!name || !*name) {
				copy_name(bad_name, s + i, eq - i);
				return too_long ? PARAMS_TOO_LONG : PARAMS_MALFORMED;
			}
			const char *vs = eq < end ? s + eq + 1 : s + end;
			size_t vn = eq < end ? end - eq - 1 : 0;
			char *value = unescape(arena, vs, vn, PARAM_VALUE_MAX, &too_long);
			if (!value) {
				copy_name(bad_name, name, strlen(name));
				return too_long ? PARAMS_TOO_LONG : PARAMS_MALFORMED;
			}
			if (!indexes_ok(name)) {
				copy_name(bad_name, name, strlen(name));
				return PARAMS_BAD_INDEX;
			}
			p.v[p.n].name = name;
			p.v[p.n].value = value;
			p.n++;
		}
		i = end + 1;
	}
	enum params_error e = check_sorted(&p, bad_name);
	if (e != PARAMS_OK)
		return e;
	*ret = p;
	return PARAMS_OK;
}

enum params_error params_merge(struct arena *arena, struct params *a, const struct params *b,
			       char bad_name[64])
{
	if (!b->n)
		return PARAMS_OK;
	if (a->n + b->n > PARAMS_MAX)
		return PARAMS_TOO_MANY;
	struct params m;
	m.n = a->n + b->n;
	m.v = arena_alloc_array(arena, m.n, sizeof(*m.v));
	if (a->n)
		memcpy(m.v, a->v, a->n * sizeof(*m.v));
	memcpy(m.v + a->n, b->v, b->n * sizeof(*m.v));
	enum params_error e = check_sorted(&m, bad_name);
	if (e != PARAMS_OK)
		return e;
	*a = m;
	return PARAMS_OK;
}

const char *params_get(const struct params *p, const char *name)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->v[mid].name, name);
		if (c == 0)
			return p->v[mid].value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* First index whose name is >= key. */
static size_t lower_bound(const struct params *p, const char *key)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(p->v[mid].name, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool has_member(const struct params *p, const char *prefix, size_t index)
{
	char key[PARAM_NAME_MAX + 16];
	int n = snprintf(key, sizeof(key), "%s.%zu", prefix, index);
	if (n < 0 || (size_t)n >= sizeof(key))
		return false;
	size_t i = lower_bound(p, key);
	if (i >= p->n || strncmp(p->v[i].name, key, (size_t)n) != 0)
		return false;
	/* "Foo.1" itself, or "Foo.1.Bar" — but not "Foo.10". */
	for (; i < p->n && strncmp(p->v[i].name, key, (size_t)n) == 0; i++) {
		char c = p->v[i].name[n];
		if (c == '\0' || c == '.')
			return true;
	}
	return false;
}

size_t params_list_len(const struct params *p, const char *prefix)
{
	size_t n = 0;
	while (n < PARAM_INDEX_MAX && has_member(p, prefix, n + 1))
		n++;
	return n;
}

/* Checklist 21: a list member N > 1 needs member N-1 (so every list starts
 * at 1 and has no gap), and "Foo.-1" is no index at all.  Without this a
 * list the handler reads up to its first gap would silently drop members
 * (a DescribeVpcs with only VpcId.2 would list every VPC). */
static bool list_name_ok(const struct params *p, const char *name)
{
	char prefix[PARAM_NAME_MAX + 1];
	for (const char *d = strchr(name, '.'); d; d = strchr(d + 1, '.')) {
		const char *c = d + 1;
		if (c[0] == '-' && c[1] >= '0' && c[1] <= '9')
			return false;
		if (*c < '1' || *c > '9')
			continue;
		const char *e = c;
		unsigned long v = 0;
		while (*e >= '0' && *e <= '9' && e - c < 7)
			v = v * 10 + (unsigned long)(*e++ - '0');
		if ((*e != '.' && *e != '\0') || v < 2)
			continue;
		size_t n = (size_t)(d - name);
		if (n >= sizeof(prefix))
			return false;
		memcpy(prefix, name, n);
		prefix[n] = '\0';
		if (!has_member(p, prefix, v - 1))
			return false;
	}
	return true;
}

enum params_error params_check_lists(const struct params *p, char bad_name[64])
{
	for (size_t i = 0; i < p->n; i++) {
		if (!list_name_ok(p, p->v[i].name)) {
			copy_name(bad_name, p->v[i].name, strlen(p->v[i].name));
			return PARAMS_BAD_INDEX;
		}
	}
	return PARAMS_OK;
}

bool params_has_prefix(const struct params *p, const char *prefix)
{
	char key[PARAM_NAME_MAX + 2];
	size_t n = strlen(prefix);
	if (n + 1 >= sizeof(key))
		return false;
	memcpy(key, prefix, n);
	key[n] = '.';
	key[n + 1] = '\0';
	size_t i = lower_bound(p, key);
	return i < p->n && strncmp(p->v[i].name, key, n + 1) == 0;
}

bool params_name_matches(const char *pattern, const char *name)
{
	while (*pattern) {
		if (*pattern == '#') {
			int digits = 0;
			while (*name >= '0' && *name <= '9' && digits < 5) {
				name++;
				digits++;
			}
			if (!digits || digits > 4)
				return false;
			pattern++;
			continue;
		}
		if (*pattern != *name)
			return false;
		pattern++;
		name++;
	}
	return *name == '\0';
}
