// SPDX-License-Identifier: MIT
/* libFuzzer target: CIDR and address parsing; whatever parses must print
 * back to a string that parses to the same block (round trip). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/cidr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	struct cidr c, back;
	uint32_t ip;
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cidr_parse(s, &c) == 0) {
		char out[CIDR_STR_MAX];
		if (cidr_parse(cidr_format(&c, out), &back) != 0 || !cidr_equal(&c, &back))
			abort();
	}
	if (ip4_parse(s, &ip) == 0) {
		char out[IP4_STR_MAX];
		uint32_t again;
		if (ip4_parse(ip4_format(ip, out), &again) != 0 || again != ip)
			abort();
	}
	return 0;
}
