// SPDX-License-Identifier: MIT
/* Random resource IDs and request UUIDs from getrandom(2). */
#include "util/id.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static void random_bytes(void *p, size_t n)
{
	uint8_t *b = p;
	while (n) {
		ssize_t r = getrandom(b, n, 0);
		if (r < 0)
			abort(); /* the kernel's CSPRNG cannot fail once seeded */
		b += r;
		n -= (size_t)r;
	}
}

void id_new(const char *prefix, char out[ID_MAX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t rnd[9];
	size_t n = strlen(prefix);

	if (n > ID_MAX - 19)
		abort(); /* our own prefixes are short */
	random_bytes(rnd, sizeof(rnd));
	memcpy(out, prefix, n);
	out[n++] = '-';
	for (int i = 0; i < 17; i++) {
		uint8_t v = rnd[i / 2];
		out[n++] = hex[(i & 1) ? (v & 0xf) : (v >> 4)];
	}
	out[n] = '\0';
}

bool id_has_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s && strncmp(s, prefix, n) == 0 && s[n] == '-' && s[n + 1] != '\0';
}

void uuid_new(char out[37])
{
	uint8_t b[16];
	random_bytes(b, sizeof(b));
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}
