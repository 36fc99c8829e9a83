// SPDX-License-Identifier: MIT
/* IPv4 addresses and CIDR blocks.  Parsing is strict (inet_pton only: no
 * "10.1", hex, octal or leading zeros); host bits are cleared, as AWS
 * canonicalises "10.0.0.18/24" to "10.0.0.0/24" (spec GEN-5). Host order. */
#ifndef UTIL_CIDR_H
#define UTIL_CIDR_H
#include <stdbool.h>
#include <stdint.h>

#define CIDR_STR_MAX 19 /* "255.255.255.255/32" + NUL */
#define IP4_STR_MAX 16

struct cidr {
	uint32_t addr; /* network address, host order, host bits clear */
	uint8_t len;   /* prefix length 0..32 */
};

/* Parses "a.b.c.d/n"; clears host bits.  Returns 0 or -EINVAL. */
int cidr_parse(const char *s, struct cidr *ret);
/* Parses a dotted quad strictly.  Returns 0 or -EINVAL. */
int ip4_parse(const char *s, uint32_t *ret);
/* Formats into out (CIDR_STR_MAX / IP4_STR_MAX bytes); returns out. */
char *cidr_format(const struct cidr *c, char *out);
char *ip4_format(uint32_t addr, char *out);

uint32_t cidr_mask(uint8_t len);
uint32_t cidr_last(const struct cidr *c);
/* Number of addresses in the block (2^(32-len)). */
uint64_t cidr_size(const struct cidr *c);
bool cidr_contains_ip(const struct cidr *c, uint32_t addr);
/* True when inner lies entirely within outer. */
bool cidr_contains(const struct cidr *outer, const struct cidr *inner);
bool cidr_overlaps(const struct cidr *a, const struct cidr *b);
bool cidr_equal(const struct cidr *a, const struct cidr *b);

#endif
