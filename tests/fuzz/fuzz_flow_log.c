// SPDX-License-Identifier: MIT
/* libFuzzer target: flow-log LogFormat, S3 destination and log group name
 * parsing; a format that parses prints back (field names joined by
 * spaces) to itself, an S3 destination's bucket and prefix lie inside it,
 * and nothing valid can climb out of the state dir. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/flow_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[1024], back[4096];
	enum fl_field f[FL_FORMAT_FIELDS_MAX];
	size_t n, bad, blen;
	const char *prefix;
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (fl_format_parse(s, f, &n, &bad) == 0) {
		size_t k = 0;
		back[0] = '\0';
		for (size_t i = 0; i < n; i++)
			k += (size_t)snprintf(back + k, sizeof(back) - k, "%s${%s}", i ? " " : "",
					      fl_field_name(f[i]));
		if (strcmp(back, s))
			abort();
	} else if (bad > size) {
		abort();
	}
	if (fl_s3_parse(s, &blen, &prefix) == 0) {
		if ((*prefix && (prefix < s || prefix > s + size)) || blen > 63 ||
		    strstr(prefix, ".."))
			abort();
	}
	if (fl_log_group_valid(s) && (s[0] == '/' || strstr(s, "/../") || !strncmp(s, "../", 3)))
		abort();
	return 0;
}
