// SPDX-License-Identifier: MIT
/* The reconciler's memory of its last pass; see memo.h.  A sorted array:
 * a few thousand namespaces at most, looked up by binary search. */
#include "dataplane/memo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct dp_memo {
	struct dp_memo_ns *v;
	size_t n, cap;
};

struct dp_memo *dp_memo_new(void)
{
	return xcalloc(1, sizeof(struct dp_memo));
}

void dp_memo_free(struct dp_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].nft_text);
	free(m->v);
	free(m);
}

/* The index of name, or where it would go (*found false). */
static size_t find(const struct dp_memo *m, const char *name, bool *found)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].name, name);
		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct dp_memo_ns *dp_memo_get(const struct dp_memo *m, const char *name)
{
	bool found;
	size_t i = m ? find(m, name, &found) : 0;
	return m && found ? &m->v[i] : NULL;
}

static struct dp_memo_ns *entry(struct dp_memo *m, const char *name)
{
	bool found;
	size_t i = find(m, name, &found);
	if (!found) {
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 64;
			m->v = xrealloc_array(m->v, m->cap, sizeof(*m->v));
		}
		memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
		m->n++;
		memset(&m->v[i], 0, sizeof(m->v[i]));
		snprintf(m->v[i].name, sizeof(m->v[i].name), "%s", name);
	}
	return &m->v[i];
}

void dp_memo_put(struct dp_memo *m, const char *name, unsigned long long spec,
		 const char *nft_text)
{
	struct dp_memo_ns *e = entry(m, name);
	e->spec = spec;
	if (!nft_text || !e->nft_text || strcmp(e->nft_text, nft_text)) {
		free(e->nft_text);
		e->nft_text = nft_text ? xstrdup(nft_text) : NULL;
		e->listed = 0; /* another table: its listing is not known yet */
	}
	e->nft = nft_text ? dp_text_hash(nft_text) : 0;
}

void dp_memo_take(struct dp_memo *m, const char *name, unsigned long long spec, char *nft_text,
		  unsigned long long hash)
{
	struct dp_memo_ns *e = entry(m, name);
	e->spec = spec;
	free(e->nft_text);
	e->nft_text = nft_text;
	e->nft = hash;
	e->listed = 0;
}

void dp_memo_forget(struct dp_memo *m, const char *name)
{
	bool found;
	size_t i = m ? find(m, name, &found) : 0;
	if (!m || !found)
		return;
	free(m->v[i].nft_text);
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*m->v));
	m->n--;
}

size_t dp_memo_count(const struct dp_memo *m)
{
	return m ? m->n : 0;
}

const char *dp_memo_name(const struct dp_memo *m, size_t i)
{
	return m->v[i].name;
}

void dp_memo_set_listed(struct dp_memo *m, const char *name, unsigned long long listed)
{
	bool found;
	size_t i = m ? find(m, name, &found) : 0;
	if (m && found)
		m->v[i].listed = listed;
}

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static void mix(unsigned long long *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ p[i]) * FNV_PRIME;
}

static void mix_str(unsigned long long *h, const char *s)
{
	mix(h, s, strlen(s) + 1);
}

static void mix_u32(unsigned long long *h, uint32_t v)
{
	mix(h, &v, sizeof(v));
}

unsigned long long dp_text_hash(const char *s)
{
	unsigned long long h = FNV_BASIS;
	mix(&h, s, strlen(s));
	return h ? h : 1;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Line by line as nft prints a table: "\tset NAME {", its "flags …"
 * line, then "elements = { …" up to the brace that closes it, "\t}". */
unsigned long long dp_listing_hash(const char *listing)
{
	unsigned long long h = FNV_BASIS;
	bool in_set = false, dynamic = false;
	int skip = 0; /* depth of braces inside a skipped elements clause */
	for (const char *p = listing; *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) + 1 : strlen(p);
		const char *t = p + strspn(p, "\t ");
		bool skipped = skip > 0;
		if (!skip && in_set && dynamic && starts(t, "elements = {"))
			skipped = true;
		if (skipped) {
			for (const char *c = p; c < p + n; c++)
				skip += *c == '{' ? 1 : *c == '}' ? -1 : 0;
		} else if (starts(t, "set ") || starts(t, "map ")) {
			in_set = true;
			dynamic = false;
		} else if (in_set && starts(t, "flags ") &&
			   memmem(t, (size_t)(p + n - t), "dynamic", 7)) {
			dynamic = true;
		} else if (in_set && starts(t, "}")) {
			in_set = false;
		}
		if (!skipped)
			mix(&h, p, n);
		p += n;
	}
	return h ? h : 1;
}

/* Field by field: struct padding is not part of the state. */
unsigned long long dp_spec_hash(const struct dp_ns *ns)
{
	unsigned long long h = FNV_BASIS;
	mix_str(&h, ns->name);
	mix_u32(&h, ns->kind);
	for (size_t i = 0; i < ns->n_links; i++) {
		const struct dp_link *l = &ns->links[i];
		mix_str(&h, l->name);
		mix_str(&h, l->peer);
		mix_str(&h, l->peer_ns);
		mix(&h, l->peer_mac, sizeof(l->peer_mac));
		mix_u32(&h, l->has_peer_mac);
	}
	mix_u32(&h, 0xa11u);
	for (size_t i = 0; i < ns->n_addrs; i++) {
		mix_str(&h, ns->addrs[i].dev);
		mix_u32(&h, ns->addrs[i].addr);
		mix_u32(&h, ns->addrs[i].len);
	}
	mix_u32(&h, 0x2007u);
	for (size_t i = 0; i < ns->n_routes; i++) {
		const struct dp_route *r = &ns->routes[i];
		mix_u32(&h, r->table);
		mix_u32(&h, r->dst);
		mix_u32(&h, r->dst_len);
		mix_u32(&h, r->type);
		mix_u32(&h, r->gateway);
		mix_str(&h, r->dev);
		mix_u32(&h, r->metric);
	}
	mix_u32(&h, 0x401eu);
	for (size_t i = 0; i < ns->n_rules; i++) {
		const struct dp_rule *r = &ns->rules[i];
		mix_u32(&h, r->priority);
		mix_u32(&h, r->fwmark);
		mix_u32(&h, r->fwmask);
		mix_u32(&h, r->dst);
		mix_u32(&h, r->dst_len);
		mix_u32(&h, r->table);
	}
	mix_u32(&h, 0x5c71u);
	for (size_t i = 0; i < ns->n_sysctls; i++) {
		mix_str(&h, ns->sysctls[i].path);
		mix_str(&h, ns->sysctls[i].value);
	}
	return h;
}
