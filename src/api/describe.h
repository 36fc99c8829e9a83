// SPDX-License-Identifier: MIT
/* The shared shape of every Describe call (spec API-18..22): explicit IDs
 * that must all exist, filters (values OR'd, filters AND'd, wildcards, tag
 * filters), MaxResults/NextToken paging in creation order.  A resource family
 * supplies its list (each item begins with struct res_head), the filter names
 * it knows, a function giving a field's values, and a writer for one item. */
#ifndef API_DESCRIBE_H
#define API_DESCRIBE_H
#include <stdbool.h>
#include <stddef.h>

#include "api/call.h"

#define FILTERS_MAX 50
#define FILTER_VALUES_MAX 200 /* across all filters of one call */

/* A list of strings on the call's arena. */
struct strv {
	const char **v;
	size_t n, cap;
};
void strv_add(struct api_call *c, struct strv *s, const char *value);
/* Adds "true"/"false". */
void strv_add_bool(struct api_call *c, struct strv *s, bool value);

/* Appends to out every value the resource has for filter `name` (a name
 * from the family's list; tag filters are handled generically). */
typedef void (*describe_values_fn)(struct api_call *c, const void *item, const char *name,
				   struct strv *out);
typedef void (*describe_write_fn)(struct api_call *c, const void *item);

struct describe_spec {
	const char *id_param;          /* "VpcId" → VpcId.N; NULL when the call takes no IDs */
	const char *id_prefix;         /* "vpc" */
	enum api_err malformed;        /* for a wrong-prefix ID */
	enum api_err not_found;        /* for an ID that names nothing */
	const char *const *filters;    /* NULL-terminated names accepted besides tag filters */
	long max_results_min, max_results_max; /* 0,0: the call does not page */
	const char *set_name;          /* "vpcSet" */
	size_t item_size;              /* sizeof(struct vpc) */
	describe_values_fn values;
	describe_write_fn write;
	/* Optional nesting (DescribeInstances: reservations hold instances):
	 * consecutive items with the same group_of() share one item of
	 * set_name, whose header group_write() writes, followed by the items
	 * themselves inside <group_list>. */
	const char *(*group_of)(const void *item);
	describe_write_fn group_write;
	const char *group_list;
};

/* Runs the whole Describe over items[0..n) (ordered by seq) and writes the
 * response.  Returns 0 or the failure already recorded on the call. */
int api_describe(struct api_call *c, const struct describe_spec *spec, const void *items,
		 size_t n);

#endif
