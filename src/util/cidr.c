// SPDX-License-Identifier: MIT
/* IPv4 CIDR parsing and arithmetic; see cidr.h.  Pure. */
#include "util/cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int ip4_parse(const char *s, uint32_t *ret)
{
	struct in_addr a;

	/* inet_pton(AF_INET) accepts only four decimal parts, no leading
	 * zeros... except that glibc does accept "01.2.3.4"; refuse it. */
	for (const char *p = s; *p; p++) {
		if (*p == '0' && (p == s || p[-1] == '.') && p[1] >= '0' && p[1] <= '9')
			return -EINVAL;
	}
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ret = ntohl(a.s_addr);
	return 0;
}

int cidr_parse(const char *s, struct cidr *ret)
{
	char ip[IP4_STR_MAX];
	const char *slash = strchr(s, '/');
	uint32_t addr;
	unsigned len = 0;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	if (ip4_parse(ip, &addr) < 0)
		return -EINVAL;
	const char *p = slash + 1;
	if (!*p || strlen(p) > 2 || (p[0] == '0' && p[1]))
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		len = len * 10 + (unsigned)(*p - '0');
	}
	if (len > 32)
		return -EINVAL;
	ret->len = (uint8_t)len;
	ret->addr = addr & cidr_mask(ret->len);
	return 0;
}

uint32_t cidr_mask(uint8_t len)
{
	return len ? ~(uint32_t)0 << (32 - len) : 0;
}

uint32_t cidr_last(const struct cidr *c)
{
	return c->addr | ~cidr_mask(c->len);
}

uint64_t cidr_size(const struct cidr *c)
{
	return (uint64_t)1 << (32 - c->len);
}

char *ip4_format(uint32_t addr, char *out)
{
	snprintf(out, IP4_STR_MAX, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
		 (addr >> 8) & 0xff, addr & 0xff);
	return out;
}

char *cidr_format(const struct cidr *c, char *out)
{
	char ip[IP4_STR_MAX];
	size_t n = strlen(ip4_format(c->addr, ip));
	memcpy(out, ip, n);
	snprintf(out + n, CIDR_STR_MAX - n, "/%u", (unsigned)(c->len & 63));
	return out;
}

bool cidr_contains_ip(const struct cidr *c, uint32_t addr)
{
	return (addr & cidr_mask(c->len)) == c->addr;
}

bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	return inner->len >= outer->len && cidr_contains_ip(outer, inner->addr);
}

bool cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	return cidr_contains(a, b) || cidr_contains(b, a);
}

bool cidr_equal(const struct cidr *a, const struct cidr *b)
{
	return a->addr == b->addr && a->len == b->len;
}
