// SPDX-License-Identifier: MIT
/* Decoded EC2 Query parameters (spec API-3/4): form-encoded name=value pairs
 * from a POST body or a GET query string.  Decoding enforces the limits of
 * security checklist item 21 before anything is kept: parameter count, name
 * and value length, list indexes.  Names are kept sorted for lookup. */
#ifndef API_PARAMS_H
#define API_PARAMS_H
#include <stdbool.h>
#include <stddef.h>

#define PARAMS_MAX 2000         /* parameters per request */
#define PARAM_NAME_MAX 256      /* bytes in a decoded name */
#define PARAM_VALUE_MAX 65536   /* bytes in a decoded value (user data is ≤ 16 KiB raw) */
#define PARAM_INDEX_MAX 1000    /* largest N accepted in Foo.N */

struct param {
	char *name;  /* decoded, NUL-terminated */
	char *value; /* decoded, NUL-terminated; may contain no NUL bytes */
};

struct params {
	struct param *v; /* sorted by name */
	size_t n;
};

enum params_error {
	PARAMS_OK = 0,
	PARAMS_MALFORMED,  /* bad %-escape, NUL byte, invalid UTF-8, empty name */
	PARAMS_TOO_MANY,   /* more than PARAMS_MAX */
	PARAMS_TOO_LONG,   /* a name or value over its limit */
	PARAMS_DUPLICATE,  /* the same name twice */
	PARAMS_BAD_INDEX,  /* a list index that is 0, has leading zeros or exceeds PARAM_INDEX_MAX */
};

struct arena;

/* Decodes an application/x-www-form-urlencoded string of `size` bytes ('+' is
 * a space, %XX escapes) into *ret, allocating from arena.  On failure returns
 * the error and writes the offending name (truncated) into bad_name. */
enum params_error params_decode(struct arena *arena, const char *s, size_t size,
				struct params *ret, char bad_name[64]);
/* Merges b into a (used when a POST also carries a query string). Returns
 * PARAMS_DUPLICATE on a clash. */
enum params_error params_merge(struct arena *arena, struct params *a, const struct params *b,
			       char bad_name[64]);

/* Returns the value of name, or NULL. Borrowed for the life of the params. */
const char *params_get(const struct params *p, const char *name);
/* Counts list members "prefix.N..." and returns the largest N such that
 * prefix.1 .. prefix.N all have at least one parameter beginning with them;
 * a gap ends the list (the botocore serializer never leaves one). */
size_t params_list_len(const struct params *p, const char *prefix);
/* PARAMS_BAD_INDEX when a list member N > 1 comes without member N-1, or an
 * index is negative; run on the merged parameters of a request. */
enum params_error params_check_lists(const struct params *p, char bad_name[64]);
/* True when some parameter starts with "prefix." (a list or structure is given). */
bool params_has_prefix(const struct params *p, const char *prefix);
/* True when name matches pattern, where '#' in the pattern matches 1..4 digits. */
bool params_name_matches(const char *pattern, const char *name);

#endif
