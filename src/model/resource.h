// SPDX-License-Identifier: MIT
/* What every resource has: its ID, its creation order and its tags.  Each
 * model struct begins with a `struct res_head`, so generic code (describe,
 * filters, tags) can treat any resource list alike. */
#ifndef MODEL_RESOURCE_H
#define MODEL_RESOURCE_H
#include <stddef.h>
#include <stdint.h>

#include "util/id.h"

#define TAGS_PER_RESOURCE_MAX 50 /* AWS API-23 */
#define TAG_KEY_MAX 128          /* Unicode characters */
#define TAG_VALUE_MAX 256

struct tag {
	const char *key;
	const char *value;
};

struct tag_list {
	struct tag *v;
	size_t n;
};

struct res_head {
	char id[ID_MAX];
	int64_t seq;          /* creation order; the describe order and the page cursor */
	struct tag_list tags; /* loaded by the store, borrowed from the request arena */
};

#endif
