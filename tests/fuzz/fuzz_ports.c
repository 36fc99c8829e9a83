// SPDX-License-Identifier: MIT
/* libFuzzer target: a rule's protocol and port range as the API takes them
 * (SG-8, checklist 22).  Whatever is accepted keeps EC2's invariants:
 * tcp/udp 0 ≤ from ≤ to ≤ 65535; icmp type and code in -1..255, type -1
 * only with code -1; every other protocol -1, -1; and a protocol's name
 * parses back to the same protocol. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/security_group.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* [flags][from: 8][to: 8][protocol text...] */
	if (size < 17)
		return 0;
	int64_t from, to;
	memcpy(&from, data + 1, sizeof(from));
	memcpy(&to, data + 9, sizeof(to));
	char text[64];
	size_t n = size - 17 < sizeof(text) - 1 ? size - 17 : sizeof(text) - 1;
	memcpy(text, data + 17, n);
	text[n] = '\0';
	int proto;
	if (sg_protocol_parse(text, &proto) < 0)
		return 0;
	char name[SG_PROTO_NAME_MAX];
	int again;
	if (sg_protocol_parse(sg_protocol_name(proto, name), &again) < 0 || again != proto)
		abort();
	int f, t;
	const char *why = NULL;
	if (sg_ports_normalise(proto, data[0] & 1, (long)from, data[0] & 2, (long)to, &f, &t,
			       &why) < 0) {
		if (!why)
			abort();
		return 0;
	}
	if (proto == 6 || proto == 17) {
		if (f < 0 || t > 65535 || f > t)
			abort();
	} else if (proto == 1) {
		if (f < -1 || f > 255 || t < -1 || t > 255 || (f == -1 && t != -1))
			abort();
	} else if (f != -1 || t != -1) {
		abort();
	}
	return 0;
}
