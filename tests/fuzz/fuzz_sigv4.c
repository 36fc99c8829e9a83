// SPDX-License-Identifier: MIT
/* libFuzzer target: SigV4 verification of an arbitrary request (checklist
 * 20 and 22).  The input is "METHOD\nPATH\nQUERY\nName:value\n...\n\nBODY";
 * the corpus holds signed requests from the AWS suite and botocore, signed
 * at 20150830T123600Z or 20261124T190453Z, so mutations reach every step. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/sigv4.h"
#include "util/xalloc.h"

#define FUZZ_HEADERS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lookup(void *cookie, const char *access_key)
{
	(void)cookie;
	if (strcmp(access_key, "AKIDEXAMPLE") == 0)
		return "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	if (strcmp(access_key, "test") == 0)
		return "test";
	return NULL;
}

/* Cuts the next line out of [*p, end): NUL-terminates it in place. */
static char *next_line(char **p, char *end)
{
	char *s = *p;
	if (s >= end)
		return NULL;
	char *nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl + 1;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_header headers[FUZZ_HEADERS];
	struct sigv4_request req;
	struct sigv4_result res;
	char *copy = xmalloc(size + 1), *p = copy, *end = copy + size;
	size_t n = 0;

	memcpy(copy, data, size);
	copy[size] = '\0';
	memset(&req, 0, sizeof(req));
	req.method = next_line(&p, end);
	req.path = next_line(&p, end);
	req.query = next_line(&p, end);
	if (!req.method || !req.path || !req.query)
		goto out;
	for (char *line; (line = next_line(&p, end)) && *line && n < FUZZ_HEADERS; n++) {
		char *colon = strchr(line, ':');
		if (colon)
			*colon = '\0';
		headers[n].name = line;
		headers[n].value = colon ? colon + 1 : "";
	}
	req.headers = headers;
	req.n_headers = n;
	req.body = p < end ? p : "";
	req.body_size = p < end ? (size_t)(end - p) : 0;

	(void)sigv4_verify(&req, "us-east-1", "service", lookup, NULL, 1440938160, &res);
	(void)sigv4_verify(&req, "us-east-1", "ec2", lookup, NULL, 1795547093, &res);
	/* The pure piece on its own, with a list taken from the input. */
	char *text = NULL;
	const char *list = n ? headers[0].value : "host";
	if (sigv4_canonical_request(&req, list, &text) == 0)
		free(text);
out:
	free(copy);
	return 0;
}
