// SPDX-License-Identifier: MIT
/* libFuzzer target: the offline importer (import/aws_json.c) over the ten
 * describe-… documents at once.  The input is split at NUL bytes: the k-th
 * piece is the document of kind k (an empty piece: that file is absent).
 * Each piece gets its own exact-size buffer, not NUL-terminated, so a read
 * past a document's end is caught.  An import that succeeds must hold
 * together: every instance's interfaces are its own, in device order, and
 * every string it kept is readable. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/aws_json.h"
#include "model/snapshot.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static void check(const struct snapshot *s)
{
	size_t sum = 0;
	for (size_t i = 0; i < s->n_instances; i++) {
		const struct instance *in = &s->instances[i];
		if ((in->n_enis == 0) != (in->eni == NULL))
			abort();
		for (size_t k = 0; k < in->n_enis; k++) {
			const struct eni *e = in->enis[k];
			if (e < s->enis || e >= s->enis + s->n_enis || strcmp(e->instance_id, in->head.id))
				abort();
			if (k && in->enis[k - 1]->device_index > e->device_index)
				abort();
		}
		sum += touch(in->key_name);
	}
	for (size_t i = 0; i < s->n_enis; i++) {
		const struct eni *e = &s->enis[i];
		sum += touch(e->description) + touch(e->interface_type);
		for (size_t k = 0; k < e->n_groups; k++)
			sum += touch(e->group_ids[k]) + touch(e->group_names[k]);
	}
	for (size_t i = 0; i < s->n_sgs; i++) {
		const struct security_group *g = &s->sgs[i];
		sum += touch(g->name) + touch(g->description) + touch(g->head.id);
		for (size_t k = 0; k < g->n_rules; k++)
			sum += touch(g->rules[k].description);
	}
	for (size_t i = 0; i < s->n_vpcs; i++)
		for (size_t k = 0; k < s->vpcs[i].head.tags.n; k++)
			sum += touch(s->vpcs[i].head.tags.v[k].key) +
			       touch(s->vpcs[i].head.tags.v[k].value);
	for (size_t i = 0; i < s->n_rtbs; i++)
		for (size_t k = 0; k < s->rtbs[i].n_routes; k++)
			sum += touch(s->rtbs[i].routes[k].origin);
	for (size_t i = 0; i < s->n_nacls; i++)
		for (size_t k = 0; k < s->nacls[i].n_entries; k++)
			if (s->nacls[i].entries[k].rule_number < 1 ||
			    s->nacls[i].entries[k].rule_number > 32766)
				abort();
	for (size_t i = 0; i < s->n_pcxs; i++)
		sum += touch(s->pcxs[i].state_message);
	if (sum == (size_t)-1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_json_input in;
	char *bufs[AWS_JSON_KINDS] = { NULL };
	char err[256];
	size_t at = 0;
	memset(&in, 0, sizeof(in));
	for (int k = 0; k < AWS_JSON_KINDS && at <= size; k++) {
		const uint8_t *end = at < size ? memchr(data + at, '\0', size - at) : NULL;
		size_t n = (end ? (size_t)(end - data) : size) - at;
		if (n) {
			bufs[k] = malloc(n);
			memcpy(bufs[k], data + at, n);
			in.text[k] = bufs[k];
			in.len[k] = n;
		}
		at += n + 1;
	}
	struct arena *a = arena_new();
	struct snapshot s;
	int r = import_aws_json_buffers(&in, a, &s, err, sizeof(err));
	if (r == 0)
		check(&s);
	else if (r != -22 || !memchr(err, '\0', sizeof(err)) || !err[0])
		abort(); /* every failure is -EINVAL with a message */
	arena_free(a);
	for (int k = 0; k < AWS_JSON_KINDS; k++)
		free(bufs[k]);
	return 0;
}
