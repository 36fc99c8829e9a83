// SPDX-License-Identifier: MIT
/* libFuzzer target: the filter matcher (first NUL splits pattern and text);
 * must never hang on patterns like "*a*a*a…b". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/wildcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	const char *text = buf + strlen(buf) + 1;
	if (text > buf + size)
		text = buf + size + 1;
	(void)wildcard_match(buf, text);
	/* A pattern matches itself when it holds no special characters. */
	if (!strpbrk(buf, "*?\\") && !wildcard_match(buf, buf))
		abort();
	free(buf);
	return 0;
}
