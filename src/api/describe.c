// SPDX-License-Identifier: MIT
/* Generic Describe: IDs, filters, pages; see describe.h.  Never touches the
 * store: the family loads its list, this code only selects and writes. */
#include "api/describe.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/wildcard.h"

void strv_add(struct api_call *c, struct strv *s, const char *value)
{
	if (!value)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		s->v = arena_grow_array(c->arena, s->v, s->n, cap, sizeof(*s->v));
		s->cap = cap;
	}
	s->v[s->n++] = value;
}

void strv_add_bool(struct api_call *c, struct strv *s, bool value)
{
	strv_add(c, s, value ? "true" : "false");
}

struct filter {
	const char *name;
	const char **values;
	size_t n_values;
};

static bool known_filter(const struct describe_spec *spec, const char *name)
{
	if (strncmp(name, "tag:", 4) == 0 && name[4])
		return true;
	if (strcmp(name, "tag-key") == 0 || strcmp(name, "tag-value") == 0)
		return true;
	for (const char *const *f = spec->filters; f && *f; f++)
		if (strcmp(*f, name) == 0)
			return true;
	return false;
}

static int parse_filters(struct api_call *c, const struct describe_spec *spec,
			 struct filter **ret, size_t *ret_n)
{
	size_t n = params_list_len(c->p, "Filter"), total = 0;
	if (n > FILTERS_MAX)
		return api_fail(c, ERR_FILTER_LIMIT, "50");
	struct filter *f = arena_alloc_array(c->arena, n + 1, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		char *key = arena_printf(c->arena, "Filter.%zu.Name", i + 1);
		f[i].name = params_get(c->p, key);
		if (!f[i].name)
			return api_fail(c, ERR_MISSING_PARAMETER, key);
		if (!known_filter(spec, f[i].name))
			return api_fail(c, ERR_INVALID_FILTER, f[i].name);
		int r = api_get_str_list(c, arena_printf(c->arena, "Filter.%zu.Value", i + 1),
					 &f[i].values, &f[i].n_values);
		if (r < 0)
			return r;
		total += f[i].n_values;
		if (total > FILTER_VALUES_MAX)
			return api_fail(c, ERR_FILTER_LIMIT, "200");
	}
	*ret = f;
	*ret_n = n;
	return 0;
}

static bool any_match(const struct filter *f, const struct strv *vals)
{
	for (size_t i = 0; i < f->n_values; i++)
		for (size_t j = 0; j < vals->n; j++)
			if (wildcard_match(f->values[i], vals->v[j]))
				return true;
	return false;
}

static bool matches(struct api_call *c, const struct describe_spec *spec, const void *item,
		    const struct filter *f, size_t n_f)
{
	const struct res_head *h = item;
	for (size_t i = 0; i < n_f; i++) {
		struct strv vals = { 0 };
		if (strncmp(f[i].name, "tag:", 4) == 0) {
			for (size_t t = 0; t < h->tags.n; t++)
				if (strcmp(h->tags.v[t].key, f[i].name + 4) == 0)
					strv_add(c, &vals, h->tags.v[t].value);
		} else if (strcmp(f[i].name, "tag-key") == 0) {
			for (size_t t = 0; t < h->tags.n; t++)
				strv_add(c, &vals, h->tags.v[t].key);
		} else if (strcmp(f[i].name, "tag-value") == 0) {
			for (size_t t = 0; t < h->tags.n; t++)
				strv_add(c, &vals, h->tags.v[t].value);
		} else {
			spec->values(c, item, f[i].name, &vals);
		}
		if (!any_match(&f[i], &vals))
			return false;
	}
	return true;
}

/* NextToken is the creation sequence of the last item sent, as 16 hex
 * digits behind a version tag, so a stale or forged token is recognised. */
static int parse_token(const char *s, int64_t *ret)
{
	char *end;
	if (strncmp(s, "lv1", 3) != 0 || strlen(s) != 19)
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s + 3, &end, 16);
	if (*end || errno || v > INT64_MAX)
		return -EINVAL;
	*ret = (int64_t)v;
	return 0;
}

int api_describe(struct api_call *c, const struct describe_spec *spec, const void *items,
		 size_t n)
{
	const char **ids = NULL;
	size_t n_ids = 0, n_f = 0;
	struct filter *f = NULL;
	long max_results = 0;
	int64_t after = -1;
	const char *token = NULL;
	int r;

	if (spec->id_param) {
		r = api_get_id_list(c, spec->id_param, spec->id_prefix, spec->malformed, &ids, &n_ids);
		if (r < 0)
			return r;
	}
	r = parse_filters(c, spec, &f, &n_f);
	if (r < 0)
		return r;
	if (spec->max_results_max) {
		r = api_get_int(c, "MaxResults", spec->max_results_min, spec->max_results_max,
				&max_results);
		if (r < 0)
			return r;
		if (max_results && n_ids)
			return api_fail(c, ERR_INVALID_PARAMETER_COMBINATION,
					arena_printf(c->arena,
						     "The parameter %ss cannot be used with the "
						     "parameter maxResults",
						     spec->id_param));
		r = api_get_str(c, "NextToken", false, &token);
		if (r < 0)
			return r;
		if (token && parse_token(token, &after) < 0)
			return api_fail(c, ERR_INVALID_NEXT_TOKEN, token);
	}
	/* API-19: every explicit ID must exist. */
	for (size_t i = 0; i < n_ids; i++) {
		bool found = false;
		for (size_t k = 0; k < n && !found; k++) {
			const struct res_head *h =
				(const void *)((const char *)items + k * spec->item_size);
			found = strcmp(h->id, ids[i]) == 0;
		}
		if (!found)
			return api_fail(c, spec->not_found, ids[i]);
	}
	r = api_dry_run(c);
	if (r < 0)
		return r;

	size_t sent = 0;
	int64_t last_seq = -1;
	bool more = false;
	const void **chosen = arena_alloc_array(c->arena, n + 1, sizeof(*chosen));
	for (size_t k = 0; k < n; k++) {
		const void *item = (const char *)items + k * spec->item_size;
		const struct res_head *h = item;
		if (h->seq <= after)
			continue;
		if (n_ids) {
			bool wanted = false;
			for (size_t i = 0; i < n_ids && !wanted; i++)
				wanted = strcmp(h->id, ids[i]) == 0;
			if (!wanted)
				continue;
		}
		if (!matches(c, spec, item, f, n_f))
			continue;
		if (max_results && sent == (size_t)max_results) {
			more = true;
			break;
		}
		chosen[sent++] = item;
		last_seq = h->seq;
	}
	xml_open(c->x, spec->set_name);
	for (size_t k = 0; k < sent; k++) {
		xml_open(c->x, "item");
		if (!spec->group_of) {
			spec->write(c, chosen[k]);
			xml_close(c->x);
			continue;
		}
		const char *g = spec->group_of(chosen[k]);
		spec->group_write(c, chosen[k]);
		xml_open(c->x, spec->group_list);
		for (; k < sent && !strcmp(spec->group_of(chosen[k]), g); k++) {
			xml_open(c->x, "item");
			spec->write(c, chosen[k]);
			xml_close(c->x);
		}
		k--;
		xml_close(c->x);
		xml_close(c->x);
	}
	xml_close(c->x);
	if (more) {
		char tok[24];
		snprintf(tok, sizeof(tok), "lv1%016" PRIx64, (uint64_t)last_seq);
		xml_str(c->x, "nextToken", tok);
	}
	return 0;
}
