// SPDX-License-Identifier: MIT
/* libFuzzer target: EC2 Instance Connect's checks of what SendSSHPublicKey
 * takes from a client (the key line, the OS user, the zone); never crashes,
 * and an accepted key is one line inside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/pushed_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	size_t s = 0, n = 0;
	if (pushed_key_check(buf, &s, &n) == 0) {
		if (s + n > strlen(buf) || memchr(buf + s, '\n', n) || memchr(buf + s, '\r', n))
			abort();
	}
	(void)pushed_key_user_valid(buf);
	(void)pushed_key_az_valid(buf);
	free(buf);
	return 0;
}
