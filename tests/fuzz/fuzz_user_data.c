// SPDX-License-Identifier: MIT
/* libFuzzer target: RunInstances' user-data decoding (checklist 22): never
 * crashes or reads past the input; what it accepts is within EC2's 16 KiB,
 * and encoding it again decodes back to the same bytes. */
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/user_data.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	char *b64 = arena_alloc(a, size + 1); /* NUL-terminated, as the form gives it */
	memcpy(b64, data, size);
	unsigned char *out = NULL;
	size_t n = 0;
	if (user_data_decode(a, b64, size, &out, &n) == USER_DATA_OK) {
		if (n > USER_DATA_MAX || n > size / 4 * 3)
			abort();
		unsigned char *again = arena_alloc(a, n / 3 * 4 + 8);
		int k = EVP_EncodeBlock(again, out, (int)n);
		unsigned char *back = NULL;
		size_t m = 0;
		if (k < 0 || user_data_decode(a, (const char *)again, (size_t)k, &back, &m) != USER_DATA_OK ||
		    m != n || memcmp(back, out, n))
			abort();
	}
	arena_free(a);
	return 0;
}
