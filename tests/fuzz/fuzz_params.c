// SPDX-License-Identifier: MIT
/* libFuzzer target: the form/query decoder and the list lookups over its
 * result (checklist 22). */
#include <stddef.h>
#include <stdint.h>

#include "api/params.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct params p;
	char bad[64];
	if (params_decode(a, (const char *)data, size, &p, bad) == PARAMS_OK) {
		(void)params_list_len(&p, "Filter");
		(void)params_list_len(&p, "VpcId");
		(void)params_get(&p, "Action");
		(void)params_has_prefix(&p, "TagSpecification");
		for (size_t i = 0; i < p.n; i++)
			(void)params_name_matches("Filter.#.Value.#", p.v[i].name);
	}
	arena_free(a);
	return 0;
}
